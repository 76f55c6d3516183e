#include "harness/protocols/moose/load_run.h"

#include <algorithm>
#include <array>
#include <deque>
#include <exception>
#include <memory>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "harness/server_access.h"
#include "harness/target.h"
#include "harness/transport/connection.h"

namespace relaycheck::harness::load {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// One connection with its codec: frames out through a queue, frames in to `on_frame`.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(asio::io_context& io, std::unique_ptr<ConnectionCodec> codec, std::string label, LoadStats& stats)
      : socket_(io), wake_(io), codec_(std::move(codec)), label_(std::move(label)), stats_(stats) {
    wake_.expires_at(asio::steady_timer::time_point::max());
  }
  std::function<void(const json&)> on_frame;

  asio::awaitable<bool> connect(tcp::endpoint to) {
    if (const error_code ec = co_await socket_.async_connect(to)) {
      stats_.connection_error(label_ + ": connect: " + ec.message());
      co_return false;
    }
    asio::co_spawn(wake_.get_executor(), reader(shared_from_this()), asio::detached);
    asio::co_spawn(wake_.get_executor(), writer(shared_from_this()), asio::detached);
    co_return true;
  }
  void send(const json& frame) {
    if (!socket_.is_open()) return;
    out_.push_back(codec_->encode(frame));
    wake_.cancel();
  }
  bool open() const { return socket_.is_open() && !lost_; }
  void close() {
    finished_ = true;
    socket_.close();
    wake_.cancel();
  }

 private:
  asio::awaitable<void> writer(std::shared_ptr<Connection>) {
    while (socket_.is_open()) {
      if (out_.empty()) {
        error_code ec;
        co_await wake_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      std::string bytes = std::move(out_.front());
      out_.pop_front();
      if (co_await socket_.async_write(bytes)) co_return;  // the reader reports the end
    }
  }
  asio::awaitable<void> reader(std::shared_ptr<Connection>) {
    std::array<char, 16 * 1024> buffer;
    while (true) {
      std::size_t n = 0;
      if (const error_code ec = co_await socket_.async_read_some(buffer, n)) {
        lost_ = true;
        if (!finished_) stats_.connection_error(label_ + ": the server closed the connection (" + ec.message() + ")");
        co_return;
      }
      codec_->feed(std::string_view(buffer.data(), n));
      while (true) {
        auto item = codec_->next();
        if (std::holds_alternative<std::monostate>(item)) break;
        if (auto* bad = std::get_if<Undecodable>(&item)) {
          stats_.corrupt(label_ + ": undecodable: " + bad->reason);
          lost_ = true;
          co_return;
        }
        if (on_frame) on_frame(std::get<json>(item));
      }
    }
  }

  transport::Connection socket_;  // the one connection type (harness/transport/connection.h)
  asio::steady_timer wake_;
  std::unique_ptr<ConnectionCodec> codec_;
  std::deque<std::string> out_;
  std::string label_;
  LoadStats& stats_;
  bool finished_ = false, lost_ = false;
};

std::vector<int> partners(int clients) {
  std::vector<int> p(static_cast<std::size_t>(2 * clients));
  for (int i = 0; i < clients; ++i) {
    p[static_cast<std::size_t>(i)] = clients + i;
    p[static_cast<std::size_t>(clients + i)] = i;
  }
  return p;
}

// The run's state, all on one thread: a reply to each control command comes in command order.
struct MooseRun {
  MooseRun(asio::io_context& io, const MoosePattern& p, const Dialect& d, const TargetFacts& f, const LoadConfig& c,
           LoadStats& s)
      : io(io),
        pattern(p),
        dialect(d),
        facts(f),
        config(c),
        stats(s),
        poke_timer(io),
        keyed(static_cast<std::size_t>(c.clients), false),
        ring_ids(static_cast<std::size_t>(c.clients)),
        answered(static_cast<std::size_t>(c.clients), false),
        next_seq(static_cast<std::size_t>(2 * c.clients), 0),
        waiting(static_cast<std::size_t>(2 * c.clients), false) {}

  asio::io_context& io;
  const MoosePattern& pattern;
  const Dialect& dialect;
  const TargetFacts& facts;
  const LoadConfig& config;
  LoadStats& stats;
  asio::steady_timer poke_timer;
  std::vector<std::shared_ptr<Connection>> clients;
  std::shared_ptr<Connection> control;
  std::deque<int> pending;  // client index of each control command not yet answered
  std::vector<bool> keyed;
  std::vector<std::string> ring_ids;
  std::vector<bool> answered;
  std::vector<std::uint64_t> next_seq;  // per participant
  std::vector<bool> waiting;            // closed loop: its last message not yet through
  Clock::time_point traffic_start{}, traffic_end{};
  bool traffic = false;

  void poke() { poke_timer.cancel(); }
  bool sending() const { return traffic && Clock::now() < traffic_end; }
  int n() const { return config.clients; }

  // Waits until `done` holds (checked on every event and every 50 ms) or `deadline`.
  asio::awaitable<bool> until(const std::function<bool()>& done, Clock::time_point deadline) {
    while (!done() && Clock::now() < deadline) {
      poke_timer.expires_at(std::min(deadline, Clock::now() + std::chrono::milliseconds(50)));
      error_code ec;
      co_await poke_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    co_return done();
  }

  void command(int client, const std::string& line) {
    pending.push_back(client);
    control->send(line);
  }

  // Participant k sends its next message: a client on its connection, an end user through control.
  void send_next(int k) {
    const std::uint64_t seq = next_seq[static_cast<std::size_t>(k)]++;
    stats.sent(k, Clock::now());
    waiting[static_cast<std::size_t>(k)] = config.rate <= 0;
    if (k < n())
      clients[static_cast<std::size_t>(k)]->send(pattern.message(k, seq, config.message_bytes));
    else
      command(k - n(), pattern.write_command(k - n(), seq, config.message_bytes));
  }
  // Closed loop: the next message when the last one is through (delivered, or `ok write`).
  void through(int k) {
    waiting[static_cast<std::size_t>(k)] = false;
    if (config.rate <= 0 && sending()) send_next(k);
  }

  void on_client_frame(int i, const json& frame) {
    const Received r = pattern.classify(i, frame);
    switch (r.kind) {
      case Received::Kind::delivery:
        stats.delivered(i, r.sender, r.seq, Clock::now());
        break;
      case Received::Kind::ping:
        if (auto answer = pattern.pong(frame)) clients[static_cast<std::size_t>(i)]->send(*answer);
        break;
      case Received::Kind::corrupt:
        stats.corrupt("client " + std::to_string(i) + ": " + r.detail);
        break;
      case Received::Kind::error:
        stats.protocol_error("client " + std::to_string(i) + ": " + r.detail);
        break;
      default:
        if (frame.is_object() && frame.value("type", json()) == "status") keyed[static_cast<std::size_t>(i)] = true;
        break;
    }
    poke();
  }

  void on_control_line(const std::string& line) {
    const bool reply = line.rfind("ok ", 0) == 0 || line.rfind("error ", 0) == 0;
    if (reply) {
      if (pending.empty()) {
        stats.protocol_error("control: a reply to no command: " + line);
      } else {
        const int client = pending.front();
        pending.pop_front();
        if (auto id = MoosePattern::ring_id(line))
          ring_ids[static_cast<std::size_t>(client)] = *id;
        else if (line == "ok write") {
          stats.acked();
          through(n() + client);
        } else
          stats.protocol_error("control, for client " + std::to_string(client) + "'s end user: " + line);
      }
    } else if (line.rfind("answered ", 0) == 0) {
      for (int i = 0; i < n(); ++i)
        if (line == "answered " + ring_ids[static_cast<std::size_t>(i)] + " " + MoosePattern::uuid(i))
          answered[static_cast<std::size_t>(i)] = true;
    } else if (line.rfind("unanswered ", 0) == 0 || line.rfind("ended ", 0) == 0) {
      if (traffic) stats.protocol_error("control: " + line);
    } else {
      const Received r = pattern.classify_control(line);
      if (r.kind == Received::Kind::delivery) {
        stats.delivered(r.sender + n(), r.sender, r.seq, Clock::now());
        through(r.sender);
      } else if (r.kind == Received::Kind::corrupt) {
        stats.corrupt("control: " + r.detail);
      }
    }
    poke();
  }

  asio::awaitable<bool> setup(tcp::endpoint server, tcp::endpoint control_at) {
    const auto deadline = Clock::now() + config.setup_timeout;
    ConnectionContext client_context;
    client_context.attribute = facts.attribute;
    for (int i = 0; i < n(); ++i) {
      auto c = std::make_shared<Connection>(io, dialect.codec(client_context), "client " + std::to_string(i), stats);
      c->on_frame = [this, i](const json& f) { on_client_frame(i, f); };
      clients.push_back(c);
      if (!co_await c->connect(server)) co_return false;
      c->send(pattern.login(i).front().frame);
    }
    ConnectionContext control_context;
    control_context.channel = "control";
    control = std::make_shared<Connection>(io, dialect.codec(control_context), "control", stats);
    control->on_frame = [this](const json& f) { on_control_line(f.value("line", "")); };
    if (!co_await control->connect(control_at)) co_return false;
    auto all = [](const std::vector<bool>& v) { return std::find(v.begin(), v.end(), false) == v.end(); };
    if (!co_await until([&] { return all(keyed); }, deadline)) {
      stats.protocol_error("not every client got status for its key within the setup time");
      co_return false;
    }
    // Every end user calls at once: every client sees every ring; each takes its own.
    for (int i = 0; i < n(); ++i) command(i, pattern.ring_command(i));
    auto rung = [&] {
      for (const auto& id : ring_ids)
        if (id.empty()) return false;
      return true;
    };
    if (!co_await until([&] { return rung() || stats.protocol_errors() > 0; }, deadline) || !rung()) {
      stats.protocol_error("the control channel did not ring every end user");
      co_return false;
    }
    for (int i = 0; i < n(); ++i)
      clients[static_cast<std::size_t>(i)]->send(pattern.ring_ack(i, ring_ids[static_cast<std::size_t>(i)]));
    if (!co_await until([&] { return all(answered); }, deadline)) {
      stats.protocol_error("not every client's ringACK was answered within the setup time");
      co_return false;
    }
    co_return true;
  }
};

}  // namespace

LoadOutcome run_moose_load(const Dialect& dialect, const tcp::endpoint& server, const TargetFacts& facts,
                           const LoadConfig& config, const std::function<void(const LoadStats&, double)>& on_second) {
  if (!facts.attribute("public-key-pem"))
    throw TargetError("moose load: the target does not publish the server's public key (attribute public-key-pem)");
  const auto control_at = facts.channel("control");
  if (!control_at)
    throw TargetError(
        "moose load: the target has no 'control' channel; the load pattern plays the end users through it");
  const auto control_endpoint = resolve_endpoints(*control_at).front();
  const MoosePattern sized(config.clients);

  asio::io_context io;
  LoadOutcome out{LoadStats(2 * config.clients, partners(config.clients))};
  const auto start = Clock::now();
  MooseRun run(io, sized, dialect, facts, config, out.stats);
  std::exception_ptr failure;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        const bool ok = co_await run.setup(server, control_endpoint);
        out.setup_complete = ok;
        if (ok) {
          run.traffic = true;
          run.traffic_start = Clock::now();
          run.traffic_end = run.traffic_start + config.duration;
          asio::steady_timer tick(io);
          auto next_status = run.traffic_start + std::chrono::seconds(1);
          if (config.rate > 0) {
            // Paced: one message every 1/rate seconds, from each participant in turn.
            const auto period =
                std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / config.rate));
            auto at = run.traffic_start;
            for (int k = 0; Clock::now() < run.traffic_end; k = (k + 1) % (2 * config.clients)) {
              tick.expires_at(at);
              error_code ec;
              co_await tick.async_wait(asio::redirect_error(asio::use_awaitable, ec));
              if (Clock::now() >= run.traffic_end) break;
              run.send_next(k);
              at += period;
              if (Clock::now() >= next_status) {
                on_second(out.stats, seconds(Clock::now() - run.traffic_start));
                next_status += std::chrono::seconds(1);
              }
            }
          } else {
            for (int k = 0; k < 2 * config.clients; ++k) run.send_next(k);
            while (Clock::now() < run.traffic_end) {
              tick.expires_at(std::min(next_status, run.traffic_end));
              error_code ec;
              co_await tick.async_wait(asio::redirect_error(asio::use_awaitable, ec));
              if (Clock::now() >= next_status) {
                on_second(out.stats, seconds(Clock::now() - run.traffic_start));
                next_status += std::chrono::seconds(1);
              }
            }
          }
          // Deliveries in flight: until none is missing, none has come for 500 ms, or the drain time.
          const auto drain_end = Clock::now() + config.drain_timeout;
          auto last_arrival = Clock::now();
          std::uint64_t last_count = out.stats.deliveries();
          while (out.stats.lost() > 0 && Clock::now() < drain_end &&
                 Clock::now() - last_arrival < std::chrono::milliseconds(500)) {
            co_await run.until([] { return false; }, Clock::now() + std::chrono::milliseconds(20));
            if (out.stats.deliveries() != last_count) {
              last_count = out.stats.deliveries();
              last_arrival = Clock::now();
            }
          }
        }
        for (auto& c : run.clients) c->close();
        if (run.control) run.control->close();
        run.poke_timer.cancel();
      },
      [&](std::exception_ptr e) {
        if (e) {
          failure = e;
          for (auto& c : run.clients) c->close();
          if (run.control) run.control->close();
        }
      });
  io.run();
  if (failure) std::rethrow_exception(failure);
  if (run.traffic) {
    out.setup_seconds = seconds(run.traffic_start - start);
    out.traffic_seconds = seconds(std::min(Clock::now(), run.traffic_end) - run.traffic_start);
  } else {
    out.setup_seconds = seconds(Clock::now() - start);
  }
  return out;
}

LoadOutcome MoosePattern::run_own_load(const Dialect& dialect, const tcp::endpoint& server, const TargetFacts& facts,
                                       const LoadConfig& config,
                                       const std::function<void(const LoadStats&, double)>& on_second) const {
  return run_moose_load(dialect, server, facts, config, on_second);
}

}  // namespace relaycheck::harness::load
