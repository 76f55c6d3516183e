#include "harness/load/latency.h"

#include <algorithm>
#include <bit>

namespace relaycheck::harness::load {

namespace {
constexpr std::size_t kLinear = 128;  // exact microseconds below this
constexpr std::size_t kSub = 64;      // buckets per power of two above it
constexpr std::size_t kBuckets = kLinear + 57 * kSub;
}  // namespace

LatencyHistogram::LatencyHistogram() : buckets_(kBuckets, 0) {}

std::size_t LatencyHistogram::bucket_of(std::uint64_t v) {
  if (v < kLinear) return static_cast<std::size_t>(v);
  const int width = std::bit_width(v);  // >= 8
  const int shift = width - 7;          // v >> shift is in [64, 128)
  const std::size_t b =
      kLinear + static_cast<std::size_t>(width - 8) * kSub + static_cast<std::size_t>((v >> shift) - 64);
  return std::min(b, kBuckets - 1);
}

std::uint64_t LatencyHistogram::value_of(std::size_t b) {
  if (b < kLinear) return b;
  const std::size_t k = b - kLinear;
  const int width = static_cast<int>(k / kSub) + 8;
  return (static_cast<std::uint64_t>(k % kSub) + 64) << (width - 7);
}

void LatencyHistogram::add(std::uint64_t micros) {
  ++buckets_[bucket_of(micros)];
  ++count_;
  max_ = std::max(max_, micros);
}

std::uint64_t LatencyHistogram::percentile(double fraction) const {
  if (count_ == 0) return 0;
  const auto wanted = static_cast<std::uint64_t>(fraction * static_cast<double>(count_) + 0.5);
  std::uint64_t seen = 0;
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    seen += buckets_[b];
    // The bucket's highest value: a percentile is never reported lower than it was.
    if (seen >= std::max<std::uint64_t>(wanted, 1)) return std::min(value_of(b + 1) - 1, max_);
  }
  return max_;
}

}  // namespace relaycheck::harness::load
