#pragma once
// How long to wait for a barrier reply: k times the p99 of the reply times seen so far, within a
// floor and a ceiling, so a slow target gets patience and a fast one is not waited on in vain.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <vector>

namespace relaycheck::harness::netfuzz {

class AdaptiveTimeout {
 public:
  AdaptiveTimeout(std::chrono::milliseconds floor, std::chrono::milliseconds ceiling) : floor_(floor), ceiling_(ceiling) {}

  void observe(std::chrono::microseconds reply_time) {
    if (samples_.size() < kWindow) samples_.push_back(reply_time.count());
    else samples_[next_++ % kWindow] = reply_time.count();
    if (++since_update_ >= 64) update();
  }
  std::chrono::milliseconds limit() const { return limit_; }
  std::chrono::milliseconds ceiling() const { return ceiling_; }

 private:
  static constexpr std::size_t kWindow = 1024;
  static constexpr long long kFactor = 20;

  void update() {
    since_update_ = 0;
    std::vector<long long> sorted = samples_;
    const std::size_t at = sorted.size() * 99 / 100;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<long>(at), sorted.end());
    const auto p99 = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::microseconds(sorted[at] * kFactor));
    limit_ = std::clamp(p99, floor_, ceiling_);
  }

  std::chrono::milliseconds floor_, ceiling_;
  std::chrono::milliseconds limit_ = std::clamp(std::chrono::milliseconds(1000), floor_, ceiling_);  // until measured
  std::vector<long long> samples_;
  std::size_t next_ = 0, since_update_ = 0;
};

}  // namespace relaycheck::harness::netfuzz
