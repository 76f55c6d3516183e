#include "proto/cs594/names.h"

namespace relaycheck::proto::cs594 {

std::size_t utf8_length(std::string_view text) {
  std::size_t n = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

NameCheck check_name(std::string_view name) {
  const std::size_t n = utf8_length(name);
  if (n < 1 || n > kMaxNameChars) return NameCheck::bad_length;
  for (unsigned char c : name)
    if (c == '.' || c < 0x20 || c == 0x7f) return NameCheck::bad_character;
  return NameCheck::ok;
}

}  // namespace relaycheck::proto::cs594
