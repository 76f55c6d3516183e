#pragma once
// A latency histogram with bounded memory: exact below 128 us, then 64 buckets per power of two
// (about 1.5% resolution) up to hours. Enough for p50/p90/p99/max of millions of samples.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace relaycheck::harness::load {

class LatencyHistogram {
 public:
  LatencyHistogram();
  void add(std::uint64_t micros);
  std::uint64_t count() const { return count_; }
  std::uint64_t max() const { return max_; }
  // The upper end of the first bucket with at least `fraction` of the samples at or below it.
  std::uint64_t percentile(double fraction) const;

 private:
  static std::size_t bucket_of(std::uint64_t micros);
  static std::uint64_t value_of(std::size_t bucket);
  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
  std::uint64_t max_ = 0;
};

}  // namespace relaycheck::harness::load
