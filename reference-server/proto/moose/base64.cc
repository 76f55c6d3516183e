#include "proto/moose/base64.h"

#include <openssl/evp.h>

namespace relaycheck::proto::moose {

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

namespace {
bool alphabet(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}
}  // namespace

std::variant<std::string, Base64Error> base64_decode(std::string_view text) {
  // EVP_DecodeBlock skips whitespace and says nothing of padding; check the text first.
  std::size_t padding = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '=') {
      if (i + 2 < text.size() || (i + 2 == text.size() && text[i + 1] != '=')) return Base64Error{i};
      ++padding;
    } else if (!alphabet(c)) {
      return Base64Error{i};
    }
  }
  if (text.size() % 4 != 0) return Base64Error{text.size()};
  if (text.size() > static_cast<std::size_t>(INT32_MAX)) return Base64Error{0};
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return Base64Error{0};
  out.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

}  // namespace relaycheck::proto::moose
