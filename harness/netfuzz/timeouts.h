#pragma once
// How long to wait for a barrier reply: k times the p99 of the reply times seen so far, within a
// floor and a ceiling, so a slow target gets patience and a fast one is not waited on in vain.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

namespace relaycheck::harness::netfuzz {

class AdaptiveTimeout {
 public:
  AdaptiveTimeout(std::chrono::milliseconds floor, std::chrono::milliseconds ceiling)
      : floor_(floor), ceiling_(ceiling) {}

  // True when the estimate changed (after the 8th, 16th, 32nd sample, then every 64th).
  bool observe(std::chrono::microseconds reply_time) {
    if (samples_.size() < kWindow)
      samples_.push_back(reply_time.count());
    else
      samples_[next_++ % kWindow] = reply_time.count();
    ++since_update_;
    const std::size_t n = samples_.size();
    if (since_update_ < 64 && n != 8 && n != 16 && n != 32) return false;
    update();
    return true;
  }
  std::chrono::milliseconds limit() const { return limit_; }
  // The p90 of the recent reply times (nothing until the first estimate): what a silence window
  // is calibrated from. Not the p99: over a few dozen samples that is the slowest one, and one
  // slow reply on a loaded machine would widen every window for the rest of the run.
  std::optional<std::chrono::microseconds> p90() const { return p90_; }
  std::chrono::milliseconds ceiling() const { return ceiling_; }

 private:
  static constexpr std::size_t kWindow = 1024;
  static constexpr long long kFactor = 20;

  void update() {
    since_update_ = 0;
    std::vector<long long> sorted = samples_;
    const std::size_t at = sorted.size() * 99 / 100;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<long>(at), sorted.end());
    const auto p99 = std::chrono::microseconds(sorted[at]);
    limit_ = std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(p99 * kFactor), floor_, ceiling_);
    if (sorted.size() < 16) return;  // fewer: the p90 would be the slowest of them
    const std::size_t at90 = sorted.size() * 9 / 10;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<long>(at90), sorted.begin() + static_cast<long>(at));
    p90_ = std::chrono::microseconds(sorted[at90]);
  }

  std::chrono::milliseconds floor_, ceiling_;
  std::chrono::milliseconds limit_ = std::clamp(std::chrono::milliseconds(1000), floor_, ceiling_);  // until measured
  std::optional<std::chrono::microseconds> p90_;
  std::vector<long long> samples_;
  std::size_t next_ = 0, since_update_ = 0;
};

}  // namespace relaycheck::harness::netfuzz
