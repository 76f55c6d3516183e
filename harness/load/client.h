#pragma once
// One simulated client of a load run: connects, logs in and joins through the pattern's setup
// steps (meeting the others at each phase), then sends its messages, closed loop (the next when
// the server has acknowledged the last) or at a fixed rate, and checks everything it receives.
#include <chrono>
#include <deque>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "harness/load/barrier.h"
#include "harness/load/pattern.h"
#include "harness/load/stats.h"
#include "harness/protocols/dialect.h"
#include "harness/transport/connection.h"

namespace relaycheck::harness::load {

struct LoadConfig {
  int clients = 10;
  std::chrono::milliseconds duration{5000};
  double rate = 0;  // messages per second over all clients; 0: closed loop
  std::size_t message_bytes = 64;
  std::chrono::milliseconds setup_timeout{20000};  // connect, log in and join, all clients
  std::chrono::milliseconds ack_timeout{5000};
  std::chrono::milliseconds drain_timeout{5000};  // after the last send, for deliveries in flight
};

// What every client of a run shares.
struct RunState {
  RunState(boost::asio::io_context& io, const LoadConfig& c, const Pattern& p, const Dialect& d, LoadStats& s,
           Clock::time_point setup_deadline)
      : config(c),
        pattern(p),
        dialect(d),
        stats(s),
        logged_in(io, c.clients, setup_deadline),
        room_ready(io, c.clients, setup_deadline),
        joined(io, c.clients, setup_deadline) {}
  const LoadConfig& config;
  const Pattern& pattern;
  const Dialect& dialect;
  LoadStats& stats;
  Barrier logged_in, room_ready, joined;
  Clock::time_point traffic_start{}, traffic_end{};  // set when everyone has joined
  int sending = 0;                                   // clients still in their send loop
};

class LoadClient : public std::enable_shared_from_this<LoadClient> {
 public:
  LoadClient(boost::asio::io_context& io, int index, RunState& run);
  boost::asio::awaitable<void> run(boost::asio::ip::tcp::endpoint server);
  void close();
  bool connected() const { return connection_.is_open() && !closed_by_peer_; }

 private:
  boost::asio::awaitable<void> reader();
  boost::asio::awaitable<void> writer();
  boost::asio::awaitable<bool> setup(const std::vector<SetupStep>& steps, const std::string& phase);
  boost::asio::awaitable<void> send_loop();
  void send(const json& frame);
  void on_frame(const json& frame);

  boost::asio::io_context& io_;
  int index_;
  RunState& run_;
  transport::Connection connection_;
  std::unique_ptr<FrameDecoder> decoder_;
  std::deque<std::string> out_;
  boost::asio::steady_timer out_wake_;
  std::deque<json> inbox_;  // setup replies
  boost::asio::steady_timer inbox_wake_;
  boost::asio::steady_timer ack_wake_;
  std::uint64_t next_seq_ = 0;
  std::uint64_t acks_ = 0;
  bool in_setup_ = true;
  bool finished_ = false;  // the run is over: a close now is ours, not an error
  bool closed_by_peer_ = false;
};

}  // namespace relaycheck::harness::load
