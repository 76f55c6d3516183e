#include "harness/load/stats.h"

#include <algorithm>

namespace relaycheck::harness::load {

namespace {
constexpr std::size_t kMaxSamples = 10;
}

LoadStats::LoadStats(int clients)
    : clients_(clients),
      send_times_(static_cast<std::size_t>(clients)),
      next_(static_cast<std::size_t>(clients) * static_cast<std::size_t>(clients), 0) {}

LoadStats::LoadStats(int participants, std::vector<int> partner) : LoadStats(participants) {
  partner_ = std::move(partner);
}

void LoadStats::note(const std::string& what) {
  if (samples_.size() < kMaxSamples) samples_.push_back(what);
}

void LoadStats::sent(int sender, Clock::time_point at) {
  send_times_[static_cast<std::size_t>(sender)].push_back(at);
  ++sent_total_;
}

void LoadStats::delivered(int receiver, int sender, std::uint64_t seq, Clock::time_point at) {
  const auto who = "client " + std::to_string(receiver) + " got message " + std::to_string(seq) + " of client " +
                   std::to_string(sender);
  if (sender < 0 || sender >= clients_ || seq >= send_times_[static_cast<std::size_t>(sender)].size()) {
    ++corrupted_;
    return note(who + ", which was never sent");
  }
  if (sender == receiver) {
    ++misdelivered_;
    return note(who + ": its own message, which it should not get back");
  }
  if (!partner_.empty() && partner_[static_cast<std::size_t>(sender)] != receiver) {
    ++misdelivered_;
    return note(who + ", which was meant for " + std::to_string(partner_[static_cast<std::size_t>(sender)]));
  }
  std::uint64_t& next =
      next_[static_cast<std::size_t>(receiver) * static_cast<std::size_t>(clients_) + static_cast<std::size_t>(sender)];
  if (seq < next) {
    ++duplicates_;
    return note(who + " again, or out of order (expected " + std::to_string(next) + ")");
  }
  if (seq > next) {
    gaps_ += seq - next;
    note(who + " but not " + std::to_string(next) + (seq - next > 1 ? ".." + std::to_string(seq - 1) : "") +
         " before it");
  }
  next = seq + 1;
  ++deliveries_;
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(at - send_times_[static_cast<std::size_t>(sender)][seq]);
  latency_.add(static_cast<std::uint64_t>(std::max<long long>(0, micros.count())));
}

void LoadStats::corrupt(const std::string& detail) {
  ++corrupted_;
  note("corrupt: " + detail);
}

void LoadStats::protocol_error(const std::string& detail) {
  ++protocol_errors_;
  note("protocol error: " + detail);
}

void LoadStats::connection_error(const std::string& detail) {
  ++connection_errors_;
  note("connection error: " + detail);
}

std::uint64_t LoadStats::expected_deliveries() const {
  return partner_.empty() ? sent_total_ * static_cast<std::uint64_t>(clients_ - 1) : sent_total_;
}

std::uint64_t LoadStats::lost() const {
  std::uint64_t missing = 0;
  for (std::size_t r = 0; r < static_cast<std::size_t>(clients_); ++r)
    for (std::size_t s = 0; s < static_cast<std::size_t>(clients_); ++s)
      if (r != s && (partner_.empty() || partner_[s] == static_cast<int>(r)))
        missing += send_times_[s].size() - next_[r * static_cast<std::size_t>(clients_) + s];
  return missing + gaps_;
}

}  // namespace relaycheck::harness::load
