#include "harness/uniq.h"

#include <atomic>
#include <cstdint>
#include <random>

namespace relaycheck::harness {

namespace {

constexpr std::uint64_t kSpace = 36ULL * 36 * 36 * 36 * 36 * 36;  // 6 base-36 digits
// Coprime with 36^6 (neither even nor a multiple of 3): counter -> value is a bijection, so no
// two runs of one process share ${uniq} (and 1296 consecutive ones do not share ${uniq2}).
constexpr std::uint64_t kStride = 1'000'003;

std::uint64_t process_offset() {
  std::random_device device;
  return ((static_cast<std::uint64_t>(device()) << 32) | device()) % kSpace;
}

}  // namespace

UniqueName next_unique_name() {
  static const std::uint64_t offset = process_offset();
  static std::atomic<std::uint64_t> counter{0};
  std::uint64_t value = (offset + (counter++ % kSpace) * kStride) % kSpace;
  static const char* digits = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string text(6, '0');
  for (int i = 5; i >= 0; --i, value /= 36) text[i] = digits[value % 36];
  return {text, text.substr(4)};
}

}  // namespace relaycheck::harness
