#pragma once
// A meeting point for the load clients (one io_context, one thread): each arrives, then waits
// until all have arrived or the deadline passes. A client that fails leaves instead, so the
// others do not wait for it.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace relaycheck::harness::load {

class Barrier {
 public:
  Barrier(boost::asio::io_context& io, int needed, std::chrono::steady_clock::time_point deadline)
      : needed_(needed), timer_(io) {
    timer_.expires_at(deadline);  // set once: waits end at the deadline, cancel() ends them early
  }

  void arrive() {
    ++arrived_;
    if (done()) timer_.cancel();
  }
  void leave() {
    --needed_;
    if (done()) timer_.cancel();
  }
  bool done() const { return arrived_ >= needed_; }

  // True when everyone arrived; false when the deadline passed first.
  boost::asio::awaitable<bool> wait() {
    while (!done() && std::chrono::steady_clock::now() < timer_.expiry()) {
      boost::system::error_code ec;
      co_await timer_.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    }
    co_return done();
  }

 private:
  int needed_;
  int arrived_ = 0;
  boost::asio::steady_timer timer_;
};

}  // namespace relaycheck::harness::load
