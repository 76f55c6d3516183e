#include "proto/psuirc/labels.h"

#include <cstdint>
#include <cstring>

#include "proto/common/utf8.h"
#include "proto/psuirc/codec.h"

namespace relaycheck::proto::psuirc {

namespace {
// C0 controls and DEL as bytes; C1 controls (U+0080..U+009F) are encoded C2 80..C2 9F.
bool has_control(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  for (std::size_t i = 0; i < n; ++i) {
    // Eight printable ASCII bytes at a time, the common case. A word goes to the byte test
    // below if any byte has its high bit, is below 0x20 (w - 0x20.. borrows into it) or is 0x7F
    // (w ^ 0x7F.. has a zero byte): the standard "has a byte less than n" bit test, exact.
    for (std::uint64_t w; i + 8 <= n; i += 8) {
      std::memcpy(&w, p + i, 8);
      const std::uint64_t del = w ^ (kOnes * 0x7F);
      if ((w | ((w - kOnes * 0x20) & ~w) | ((del - kOnes) & ~del)) & kHighs) break;
    }
    if (i == n) break;
    const unsigned char b = p[i];
    if (b < 0x20 || b == 0x7F) return true;
    if (b == 0xC2 && i + 1 < n && p[i + 1] <= 0x9F) return true;
  }
  return false;
}
}  // namespace

bool valid_label(std::string_view text, std::size_t min_chars) {
  if (text.size() > kMaxLabelBytes) return false;
  if (find_invalid_utf8(text)) return false;
  // Each character is at most 4 bytes, so the first 4 * min_chars bytes hold min_chars of them
  // when the text does (no count over a long label).
  if (utf8_length(text.substr(0, 4 * min_chars)) < min_chars) return false;
  return text.find(' ') == std::string_view::npos && !has_control(text);
}

bool valid_message(std::string_view text) {
  if (text.empty() || text.size() > kMaxMessageBytes) return false;
  return !find_invalid_utf8(text) && !has_control(text);
}

}  // namespace relaycheck::proto::psuirc
