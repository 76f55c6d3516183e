#include "proto/psuirc/labels.h"

#include "proto/common/utf8.h"
#include "proto/psuirc/codec.h"

namespace relaycheck::proto::psuirc {

namespace {
// C0 controls and DEL as bytes; C1 controls (U+0080..U+009F) are encoded C2 80..C2 9F.
bool has_control(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x20 || b == 0x7F) return true;
    if (b == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9F) return true;
  }
  return false;
}
}  // namespace

bool valid_label(std::string_view text, std::size_t min_chars) {
  if (text.size() > kMaxLabelBytes) return false;
  if (find_invalid_utf8(text)) return false;
  if (utf8_length(text) < min_chars) return false;
  return text.find(' ') == std::string_view::npos && !has_control(text);
}

bool valid_message(std::string_view text) {
  if (text.empty() || text.size() > kMaxMessageBytes) return false;
  return !find_invalid_utf8(text) && !has_control(text);
}

}  // namespace relaycheck::proto::psuirc
