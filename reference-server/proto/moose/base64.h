#pragma once
// Standard base64 (RFC 4648, with padding) through OpenSSL. Decoding is strict: only the
// alphabet, a length that is a multiple of 4 and padding at the end.
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

namespace relaycheck::proto::moose {

std::string base64_encode(std::string_view bytes);

struct Base64Error {
  std::size_t offset;  // the first offending character (or the length, for a bad length)
};
std::variant<std::string, Base64Error> base64_decode(std::string_view text);

}  // namespace relaycheck::proto::moose
