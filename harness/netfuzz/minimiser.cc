#include "harness/netfuzz/minimiser.h"

#include <algorithm>

namespace relaycheck::harness::netfuzz {

namespace {

class Shrinker {
 public:
  Shrinker(FuzzCase best, const std::function<bool(const FuzzCase&)>& reproduces, MinimiseLimits limits)
      : best_(std::move(best)), reproduces_(reproduces), limits_(limits), start_(std::chrono::steady_clock::now()) {
    best_.prefix = 0;  // the finding is the whole conversation now
  }

  FuzzCase run() {
    drop_sends();
    drop_connections();
    drop_sends();
    for (std::size_t i = 0; i < best_.sends.size(); ++i) shrink_bytes(i);
    return best_;
  }
  std::size_t checks() const { return checks_; }

 private:
  bool try_case(FuzzCase candidate) {
    if (out_of_budget() || candidate.sends.empty()) return false;
    ++checks_;
    if (!reproduces_(candidate)) return false;
    best_ = std::move(candidate);
    return true;
  }

  // ddmin over the list of writes: remove chunks, halving the chunk size down to one write.
  void drop_sends() {
    for (std::size_t chunk = std::max<std::size_t>(best_.sends.size() / 2, 1);; chunk /= 2) {
      for (std::size_t at = 0; at < best_.sends.size();) {
        FuzzCase candidate = best_;
        const auto from = candidate.sends.begin() + static_cast<long>(at);
        candidate.sends.erase(from, from + static_cast<long>(std::min(chunk, candidate.sends.size() - at)));
        if (!try_case(std::move(candidate))) at += chunk;
      }
      if (chunk == 1) break;
    }
  }

  // Connections with nothing left to send still connect; try without each.
  void drop_connections() {
    for (int conn = best_.conns - 1; conn >= 0 && best_.conns > 1; --conn) {
      FuzzCase candidate = best_;
      std::erase_if(candidate.sends, [&](const Send& s) { return s.conn == conn; });
      for (auto& s : candidate.sends)
        if (s.conn > conn) --s.conn;
      --candidate.conns;
      try_case(std::move(candidate));
    }
  }

  // Within one write: cut chunks of bytes, halving the chunk size down to one byte.
  void shrink_bytes(std::size_t index) {
    for (std::size_t chunk = std::max<std::size_t>(best_.sends[index].bytes.size() / 2, 1);; chunk /= 2) {
      for (std::size_t at = 0; at < best_.sends[index].bytes.size();) {
        FuzzCase candidate = best_;
        std::string& b = candidate.sends[index].bytes;
        b.erase(at, std::min(chunk, b.size() - at));
        if (b.empty() || !try_case(std::move(candidate))) at += chunk;
      }
      if (chunk == 1 || out_of_budget()) break;
    }
  }

  bool out_of_budget() const {
    return checks_ >= limits_.max_checks ||
           (limits_.max_time.count() > 0 && std::chrono::steady_clock::now() - start_ >= limits_.max_time);
  }

  FuzzCase best_;
  const std::function<bool(const FuzzCase&)>& reproduces_;
  MinimiseLimits limits_;
  std::size_t checks_ = 0;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

FuzzCase minimise(const FuzzCase& found, const std::function<bool(const FuzzCase&)>& reproduces, MinimiseLimits limits,
                  std::size_t* checks) {
  Shrinker s(found, reproduces, limits);
  FuzzCase result = s.run();
  if (checks) *checks = s.checks();
  return result;
}

}  // namespace relaycheck::harness::netfuzz
