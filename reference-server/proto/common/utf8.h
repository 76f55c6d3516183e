#pragma once
// Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
// Shared by the text protocols that must reject malformed input with the offset where it starts.
#include <cstddef>
#include <optional>
#include <string_view>

namespace relaycheck::proto {

// The offset of the first byte of the first ill-formed sequence (a stray continuation byte, an
// invalid lead byte, a sequence cut short, an overlong form, a surrogate or a code point above
// U+10FFFF), or nothing when `text` is well-formed.
std::optional<std::size_t> find_invalid_utf8(std::string_view text);

// The number of code points in well-formed UTF-8 (counts lead bytes).
std::size_t utf8_length(std::string_view valid_text);

}  // namespace relaycheck::proto
