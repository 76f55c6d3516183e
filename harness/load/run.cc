#include "harness/load/run.h"

#include <exception>
#include <stdexcept>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace relaycheck::harness::load {

namespace asio = boost::asio;

namespace {
double as_seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }
LoadOutcome run_everyone_to_everyone(const Pattern& pattern, const Dialect& dialect,
                                     const asio::ip::tcp::endpoint& server, const LoadConfig& config,
                                     const std::function<void(const LoadStats&, double)>& on_second);
}  // namespace

LoadOutcome Pattern::run_own_load(const Dialect&, const asio::ip::tcp::endpoint&, const TargetFacts&, const LoadConfig&,
                                  const std::function<void(const LoadStats&, double)>&) const {
  throw std::logic_error(protocol() + "'s load pattern runs everyone-to-everyone, not its own load");
}

LoadOutcome run_load(const Pattern& pattern, const Dialect& dialect, const asio::ip::tcp::endpoint& server,
                     const TargetFacts& facts, const LoadConfig& config,
                     const std::function<void(const LoadStats&, double)>& on_second) {
  if (pattern.runs_own_load()) return pattern.run_own_load(dialect, server, facts, config, on_second);
  return run_everyone_to_everyone(pattern, dialect, server, config, on_second);
}

LoadOutcome run_load(const Pattern& pattern, const Dialect& dialect, const asio::ip::tcp::endpoint& server,
                     const LoadConfig& config, const std::function<void(const LoadStats&, double)>& on_second) {
  return run_load(pattern, dialect, server, TargetFacts{}, config, on_second);
}

namespace {

// Every client's messages reach every other client (every pattern but those that run their own).
LoadOutcome run_everyone_to_everyone(const Pattern& pattern, const Dialect& dialect,
                                     const asio::ip::tcp::endpoint& server, const LoadConfig& config,
                                     const std::function<void(const LoadStats&, double)>& on_second) {
  asio::io_context io;
  LoadOutcome out{LoadStats(config.clients)};
  const auto start = Clock::now();
  RunState state(io, config, pattern, dialect, out.stats, start + config.setup_timeout);
  std::vector<std::shared_ptr<LoadClient>> clients;
  int finished = 0;
  std::exception_ptr failure;
  for (int i = 0; i < config.clients; ++i) {
    clients.push_back(std::make_shared<LoadClient>(io, i, state));
    asio::co_spawn(io, clients.back()->run(server), [&](std::exception_ptr e) {
      ++finished;
      if (e && !failure) failure = e;
    });
  }
  // Watches the run: status once a second; when every client is done sending, waits for the
  // deliveries in flight (up to drain_timeout), then closes everyone.
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        asio::steady_timer tick(io);
        auto next_status = Clock::now() + std::chrono::seconds(1);
        while (finished < config.clients && !failure) {
          tick.expires_after(std::chrono::milliseconds(50));
          boost::system::error_code ec;
          co_await tick.async_wait(asio::redirect_error(asio::use_awaitable, ec));
          if (state.traffic_start != Clock::time_point{} && Clock::now() >= next_status) {
            next_status += std::chrono::seconds(1);
            on_second(out.stats, as_seconds(std::min(Clock::now(), state.traffic_end) - state.traffic_start));
          }
        }
        // Deliveries still in flight: wait until none is missing, or none has arrived for a
        // while (a lost one never will), or the drain time is up.
        const auto drain_end = Clock::now() + config.drain_timeout;
        auto last_arrival = Clock::now();
        std::uint64_t last_count = out.stats.deliveries();
        while (!failure && state.joined.done() && out.stats.lost() > 0 && Clock::now() < drain_end &&
               Clock::now() - last_arrival < std::chrono::milliseconds(500)) {
          tick.expires_after(std::chrono::milliseconds(20));
          boost::system::error_code ec;
          co_await tick.async_wait(asio::redirect_error(asio::use_awaitable, ec));
          if (out.stats.deliveries() != last_count) {
            last_count = out.stats.deliveries();
            last_arrival = Clock::now();
          }
        }
        for (auto& c : clients) c->close();
      },
      asio::detached);
  io.run();
  if (failure) std::rethrow_exception(failure);
  out.setup_complete = state.joined.done();
  if (state.traffic_start != Clock::time_point{}) {
    out.setup_seconds = as_seconds(state.traffic_start - start);
    out.traffic_seconds = as_seconds(state.traffic_end - state.traffic_start);
  } else {
    out.setup_seconds = as_seconds(Clock::now() - start);
  }
  return out;
}

}  // namespace

}  // namespace relaycheck::harness::load
