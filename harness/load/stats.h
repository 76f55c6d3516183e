#pragma once
// What a load run counted, and the delivery check: every message a client sends must reach
// every other client exactly once, in the order sent. Single-threaded (the load clients share
// one io_context).
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/load/latency.h"

namespace relaycheck::harness::load {

using Clock = std::chrono::steady_clock;

class LoadStats {
 public:
  explicit LoadStats(int clients);
  // Point to point instead of everyone to everyone: each participant's messages are due only at
  // partner[participant] (a client and the end user it chats with, where a pattern pairs them).
  LoadStats(int participants, std::vector<int> partner);

  // Message `seq` of `sender` is on its way (seqs count up from 0 per sender).
  void sent(int sender, Clock::time_point at);
  void acked() { ++acks_; }
  // `receiver` got message `seq` of `sender`: checks recipient, order and duplicates.
  void delivered(int receiver, int sender, std::uint64_t seq, Clock::time_point at);
  void corrupt(const std::string& detail);
  void protocol_error(const std::string& detail);
  void connection_error(const std::string& detail);

  // Deliveries still missing (sent to all others minus delivered, gaps included).
  std::uint64_t lost() const;
  std::uint64_t expected_deliveries() const;
  std::uint64_t sent_total() const { return sent_total_; }
  std::uint64_t acks() const { return acks_; }
  std::uint64_t deliveries() const { return deliveries_; }
  std::uint64_t duplicates() const { return duplicates_; }
  std::uint64_t misdelivered() const { return misdelivered_; }
  std::uint64_t corrupted() const { return corrupted_; }
  std::uint64_t protocol_errors() const { return protocol_errors_; }
  std::uint64_t connection_errors() const { return connection_errors_; }
  const LatencyHistogram& latency() const { return latency_; }
  // The first few problems, for the report.
  const std::vector<std::string>& samples() const { return samples_; }
  int clients() const { return clients_; }
  bool point_to_point() const { return !partner_.empty(); }
  // How many participants each message is due at: every other one, or its partner.
  int recipients_per_message() const { return point_to_point() ? 1 : clients_ - 1; }

 private:
  void note(const std::string& what);

  int clients_;
  std::vector<int> partner_;                                // empty: everyone to everyone
  std::vector<std::vector<Clock::time_point>> send_times_;  // [sender][seq]
  std::vector<std::uint64_t> next_;                         // [receiver * clients + sender]: next seq due
  std::uint64_t sent_total_ = 0, acks_ = 0, deliveries_ = 0, gaps_ = 0, duplicates_ = 0, misdelivered_ = 0;
  std::uint64_t corrupted_ = 0, protocol_errors_ = 0, connection_errors_ = 0;
  LatencyHistogram latency_;
  std::vector<std::string> samples_;
};

}  // namespace relaycheck::harness::load
