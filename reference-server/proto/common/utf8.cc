#include "proto/common/utf8.h"

#include <cstdint>
#include <cstring>

namespace relaycheck::proto {

namespace {
bool is_continuation(unsigned char b) { return (b & 0xC0) == 0x80; }
}  // namespace

std::optional<std::size_t> find_invalid_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    // Eight ASCII bytes at a time, the common case: one test instead of eight.
    for (std::uint64_t word; i + 8 <= n; i += 8) {
      std::memcpy(&word, p + i, 8);
      if (word & 0x8080808080808080ULL) break;
    }
    if (i == n) break;
    const unsigned char lead = p[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    // The allowed range of the second byte narrows for the leads that could start an overlong
    // form, a surrogate (ED A0..BF) or a code point above U+10FFFF (F4 90..).
    unsigned char lo = 0x80, hi = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      len = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      len = 3;
      if (lead == 0xE0) lo = 0xA0;
      if (lead == 0xED) hi = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      len = 4;
      if (lead == 0xF0) lo = 0x90;
      if (lead == 0xF4) hi = 0x8F;
    } else {
      return i;  // a continuation byte without a lead, C0/C1 (overlong) or F5..FF
    }
    if (i + len > n) return i;
    if (p[i + 1] < lo || p[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if (!is_continuation(p[i + k])) return i;
    i += len;
  }
  return std::nullopt;
}

std::size_t utf8_length(std::string_view valid_text) {
  std::size_t count = 0;
  for (unsigned char b : valid_text)
    if (!is_continuation(b)) ++count;
  return count;
}

}  // namespace relaycheck::proto
