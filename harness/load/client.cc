#include "harness/load/client.h"

#include <array>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "harness/match.h"

namespace relaycheck::harness::load {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

LoadClient::LoadClient(asio::io_context& io, int index, RunState& run)
    : io_(io),
      index_(index),
      run_(run),
      connection_(io),
      decoder_(run.dialect.decoder()),
      out_wake_(io),
      inbox_wake_(io),
      ack_wake_(io) {
  out_wake_.expires_at(asio::steady_timer::time_point::max());
}

void LoadClient::close() {
  finished_ = true;
  connection_.close();
  out_wake_.cancel();
  inbox_wake_.cancel();
  ack_wake_.cancel();
}

void LoadClient::send(const json& frame) {
  out_.push_back(run_.dialect.encode(frame));
  out_wake_.cancel();
}

asio::awaitable<void> LoadClient::writer() {
  auto self = shared_from_this();
  while (connection_.is_open()) {
    if (out_.empty()) {
      error_code ec;
      co_await out_wake_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    std::string bytes = std::move(out_.front());
    out_.pop_front();
    if (co_await connection_.async_write(bytes)) co_return;  // the reader reports the connection's end
  }
}

asio::awaitable<void> LoadClient::reader() {
  auto self = shared_from_this();
  std::array<char, 16 * 1024> buffer;  // on the coroutine frame: one per client
  while (true) {
    std::size_t n = 0;
    const error_code ec = co_await connection_.async_read_some(buffer, n);
    if (ec) {
      if (!finished_) {
        closed_by_peer_ = true;
        run_.stats.connection_error("client " + std::to_string(index_) + ": the server closed the connection (" +
                                    ec.message() + ")");
      }
      break;
    }
    decoder_->feed(std::string_view(buffer.data(), n));
    while (true) {
      auto item = decoder_->next();
      if (std::holds_alternative<std::monostate>(item)) break;
      if (auto* bad = std::get_if<Undecodable>(&item)) {
        run_.stats.corrupt("client " + std::to_string(index_) + ": undecodable bytes: " + bad->reason);
        finished_ = true;
        connection_.close();
        co_return;
      }
      on_frame(std::get<json>(item));
    }
  }
  ack_wake_.cancel();
  inbox_wake_.cancel();
}

void LoadClient::on_frame(const json& frame) {
  const Received r = run_.pattern.classify(index_, frame);
  switch (r.kind) {
    case Received::Kind::delivery:
      run_.stats.delivered(index_, r.sender, r.seq, Clock::now());
      return;
    case Received::Kind::ack:
      ++acks_;
      run_.stats.acked();
      ack_wake_.cancel();
      return;
    case Received::Kind::ping:
      if (auto answer = run_.pattern.pong(frame)) send(*answer);
      return;
    case Received::Kind::corrupt:
      run_.stats.corrupt("client " + std::to_string(index_) + ": " + r.detail);
      return;
    case Received::Kind::error:
      if (!in_setup_) run_.stats.protocol_error("client " + std::to_string(index_) + " got " + r.detail);
      [[fallthrough]];
    case Received::Kind::other:
      if (in_setup_) {
        inbox_.push_back(frame);
        inbox_wake_.cancel();
      }
      return;
  }
}

asio::awaitable<bool> LoadClient::setup(const std::vector<SetupStep>& steps, const std::string& phase) {
  for (const auto& step : steps) {
    if (!step.frame.is_null()) send(step.frame);
    const json wanted = run_.dialect.normalize_pattern(step.reply);
    while (true) {
      if (!connected()) co_return false;
      if (inbox_.empty()) {
        inbox_wake_.expires_at(Clock::now() + run_.config.setup_timeout);
        error_code ec;
        co_await inbox_wake_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        if (!ec) {
          run_.stats.protocol_error("client " + std::to_string(index_) + ": no reply to its " + phase + " within " +
                                    std::to_string(run_.config.setup_timeout.count()) + " ms");
          co_return false;
        }
        continue;
      }
      json frame = std::move(inbox_.front());
      inbox_.pop_front();
      if (match(wanted, frame, {}).ok) break;
      if (run_.pattern.classify(index_, frame).kind == Received::Kind::error) {
        run_.stats.protocol_error("client " + std::to_string(index_) + ": " + phase +
                                  " refused: " + run_.dialect.describe(frame));
        co_return false;
      }
    }
  }
  co_return true;
}

asio::awaitable<void> LoadClient::send_loop() {
  const auto& c = run_.config;
  // At a fixed rate each client sends every clients/rate seconds, the clients spread evenly.
  const bool paced = c.rate > 0;
  const auto period =
      paced ? std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(c.clients / c.rate))
            : Clock::duration::zero();
  auto next_at = run_.traffic_start + period * index_ / c.clients;
  asio::steady_timer pace(io_);
  while (connected() && Clock::now() < run_.traffic_end) {
    if (paced) {
      pace.expires_at(next_at);
      error_code ec;
      co_await pace.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      next_at += period;
      if (Clock::now() >= run_.traffic_end || !connected()) break;
    }
    run_.stats.sent(index_, Clock::now());
    send(run_.pattern.message(index_, next_seq_++, c.message_bytes));
    if (paced) continue;
    // Closed loop: the next message when this one is acknowledged.
    const auto deadline = Clock::now() + c.ack_timeout;
    while (connected() && acks_ < next_seq_ && Clock::now() < deadline) {
      ack_wake_.expires_at(deadline);
      error_code ec;
      co_await ack_wake_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    if (connected() && acks_ < next_seq_) {
      run_.stats.protocol_error("client " + std::to_string(index_) + ": message " + std::to_string(next_seq_ - 1) +
                                " not acknowledged within " + std::to_string(c.ack_timeout.count()) + " ms");
      acks_ = next_seq_;  // give up on it and go on
    }
  }
}

asio::awaitable<void> LoadClient::run(tcp::endpoint server) {
  auto self = shared_from_this();
  const error_code ec = co_await connection_.async_connect(server);
  bool ok = !ec;
  if (ec) run_.stats.connection_error("client " + std::to_string(index_) + ": connect: " + ec.message());
  if (ok) {
    asio::co_spawn(io_, reader(), asio::detached);
    asio::co_spawn(io_, writer(), asio::detached);
    ok = co_await setup(run_.pattern.login(index_), "login");
  }
  // Each phase starts when everyone has finished the one before (the room exists before
  // anyone joins it; nobody sends before everyone is in it).
  if (ok)
    run_.logged_in.arrive();
  else
    run_.logged_in.leave();
  ok = ok && co_await run_.logged_in.wait();
  if (ok && index_ == 0) ok = co_await setup(run_.pattern.create_room(), "room creation");
  if (ok)
    run_.room_ready.arrive();
  else
    run_.room_ready.leave();
  ok = ok && co_await run_.room_ready.wait();
  if (ok) ok = co_await setup(run_.pattern.join(index_), "join");
  if (ok)
    run_.joined.arrive();
  else
    run_.joined.leave();
  ok = ok && co_await run_.joined.wait();
  in_setup_ = false;
  inbox_.clear();
  if (!ok) co_return;
  if (run_.traffic_start == Clock::time_point{}) {
    run_.traffic_start = Clock::now();
    run_.traffic_end = run_.traffic_start + run_.config.duration;
  }
  ++run_.sending;
  co_await send_loop();
  --run_.sending;
}

}  // namespace relaycheck::harness::load
