// The reference server under load, printed as figures (not a test; scripts/bench runs it):
//   fanout  throughput and p99 latency of room/broadcast messages, 10, 100 and 1000 clients,
//           every protocol (relaycheck load's library, closed loop, every delivery checked)
//   idle    5000 idle logged-in connections held: server RSS before and after, bytes each
//           (moose: 1000 clients in the pool; `moose-idle` alone runs only that)
//   slow    slow readers that never read while a talker floods: the server's peak RSS
//   suite   the whole conformance suite, every protocol, in-process and spawned, side by side
// usage: server_load_bench [fanout] [idle] [moose-idle] [slow] [suite]   (default: all)
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "harness/load/pattern.h"
#include "harness/load/run.h"
#include "harness/load/spawned_server.h"
#include "harness/protocols/dialect.h"
#include "loopback_client.h"
#include "net/server_flags.h"

namespace {

using namespace std::chrono_literals;
namespace load = relaycheck::harness::load;
using relaycheck::testing::LoopbackClient;

const std::vector<std::string> kProtocols = {"saxion", "psuirc", "cop", "cs594"};

std::unique_ptr<load::SpawnedServer> spawn(const std::string& protocol, const std::vector<std::string>& extra) {
  return std::make_unique<load::SpawnedServer>(
      load::reference_server_argv(RELAYCHECK_BIN_DIR "/relaycheck-server", protocol, extra), 10s);
}

boost::asio::ip::tcp::endpoint endpoint_of(const load::SpawnedServer& s) {
  return {boost::asio::ip::make_address(s.address().host), s.address().port};
}

double mib(std::uint64_t kib) { return static_cast<double>(kib) / 1024.0; }

// Two runs per size: closed loop (every client sends as fast as it is acknowledged: the most the
// server delivers, latency then being mostly queueing) and a fixed rate the server sustains
// (about 200,000 deliveries/s at most: the latency a client sees when the server keeps up).
void fanout() {
  std::printf("== fan-out: 64-byte messages, 3 s per run, every delivery checked\n");
  std::printf("%-7s %7s %-12s %12s %14s %9s %9s %9s %6s %9s\n", "proto", "clients", "mode", "sent msg/s",
              "deliveries/s", "p50 ms", "p99 ms", "max ms", "lost", "peak RSS");
  for (const auto& protocol : kProtocols) {
    for (int clients : {10, 100, 1000})
      for (double rate : {0.0, std::min(1000.0, 200000.0 / (clients - 1))}) {
        auto pattern = load::make_pattern(protocol);
        auto server = spawn(protocol, pattern->server_args(clients));
        load::LoadConfig config;
        config.clients = clients;
        config.rate = rate;
        config.duration = 3s;
        config.setup_timeout = 60s;
        config.ack_timeout = 20s;
        const auto out = load::run_load(*pattern, *relaycheck::harness::find_dialect(protocol), endpoint_of(*server),
                                        config, [](const load::LoadStats&, double) {});
        const auto& s = out.stats;
        const double t = out.traffic_seconds;
        const std::string mode = rate > 0 ? "rate " + std::to_string(static_cast<int>(rate)) + "/s" : "closed loop";
        std::printf("%-7s %7d %-12s %12.0f %14.0f %9.2f %9.2f %9.2f %6llu %7.1fMiB%s\n", protocol.c_str(), clients,
                    mode.c_str(), static_cast<double>(s.sent_total()) / t, static_cast<double>(s.deliveries()) / t,
                    static_cast<double>(s.latency().percentile(0.5)) / 1000,
                    static_cast<double>(s.latency().percentile(0.99)) / 1000,
                    static_cast<double>(s.latency().max()) / 1000, static_cast<unsigned long long>(s.lost()),
                    mib(server->peak_rss_kib().value_or(0)),
                    s.protocol_errors() + s.connection_errors() + s.corrupted() ? "  (errors!)" : "");
        std::fflush(stdout);
      }
  }
}

void idle() {
  constexpr int kConnections = 5000;
  std::printf("== %d idle connections, each logged in, held open\n", kConnections);
  std::printf("%-7s %12s %12s %16s\n", "proto", "RSS before", "RSS after", "bytes/connection");
  for (const auto& protocol : kProtocols) {
    auto pattern = load::make_pattern(protocol);
    const auto* dialect = relaycheck::harness::find_dialect(protocol);
    auto server = spawn(protocol, pattern->server_args(kConnections));
    std::this_thread::sleep_for(200ms);
    const auto before = server->rss_kib().value_or(0);
    std::vector<std::unique_ptr<LoopbackClient>> clients;
    for (int i = 0; i < kConnections; ++i) {
      clients.push_back(std::make_unique<LoopbackClient>(server->address().port));
      for (const auto& step : pattern->login(i))
        if (!step.frame.is_null()) clients.back()->send(dialect->encode(step.frame));
      clients.back()->read(0ms);
    }
    std::this_thread::sleep_for(1s);  // the server has handled every login
    int open = 0;
    for (auto& c : clients) {
      c->read(0ms);
      open += !c->closed();
    }
    const auto after = server->rss_kib().value_or(0);
    std::printf("%-7s %10.1fMiB %10.1fMiB %16.0f   (%d of %d still open)\n", protocol.c_str(), mib(before), mib(after),
                static_cast<double>(after - before) * 1024.0 / kConnections, open, kConnections);
    std::fflush(stdout);
  }
}

// moose: idle clients in the pool, each with its key sent (RSA-sealed, so fewer connections:
// the server decrypts 3 blocks per key) and its status received.
void moose_idle() {
  constexpr int kConnections = 1000;
  std::printf("== moose: %d idle connections, each in the pool (key sent, status received), held open\n", kConnections);
  std::printf("%-7s %12s %12s %16s\n", "proto", "RSS before", "RSS after", "bytes/connection");
  auto server = spawn("moose", {});
  relaycheck::harness::ConnectionContext context;
  context.attribute = [pem = server->attribute("public-key-pem")](const std::string& name) {
    return name == "public-key-pem" ? pem : std::nullopt;
  };
  const auto* dialect = relaycheck::harness::find_dialect("moose");
  std::this_thread::sleep_for(200ms);
  const auto before = server->rss_kib().value_or(0);
  std::vector<std::unique_ptr<LoopbackClient>> clients;
  for (int i = 0; i < kConnections; ++i) {
    clients.push_back(std::make_unique<LoopbackClient>(server->address().port));
    clients.back()->send(dialect->codec(context)->encode({{"type", "key"}, {"UUID", load::Pattern::name(i)}}));
    clients.back()->read(0ms);
  }
  // Every key answered: status (and server_online) back on each connection, or 30 s.
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  int answered = 0;
  for (auto& c : clients)
    answered +=
        c->read_until("\n", std::chrono::duration_cast<std::chrono::milliseconds>(std::max(
                                deadline - std::chrono::steady_clock::now(), std::chrono::steady_clock::duration(0))));
  std::this_thread::sleep_for(500ms);
  int open = 0;
  for (auto& c : clients) {
    c->read(0ms);
    open += !c->closed();
  }
  const auto after = server->rss_kib().value_or(0);
  std::printf("%-7s %10.1fMiB %10.1fMiB %16.0f   (%d of %d answered, %d still open)\n", "moose", mib(before),
              mib(after), static_cast<double>(after - before) * 1024.0 / kConnections, answered, kConnections, open);
  std::fflush(stdout);
}

// Ten clients that never read (4 KiB receive buffers) while one talker sends 32 MB of
// messages that the server relays to all of them: the default 4 MiB output queue per
// connection must cut them off and keep the server's memory bounded.
void slow_readers() {
  std::printf("== slow readers: 10 clients that never read, a talker relaying 32 MB to each, default limits\n");
  std::printf("%-7s %12s %14s %12s\n", "proto", "peak RSS", "slow dropped", "talker ok");
  for (const auto& protocol : kProtocols) {
    auto pattern = load::make_pattern(protocol);
    const auto* dialect = relaycheck::harness::find_dialect(protocol);
    auto server = spawn(protocol, pattern->server_args(20));
    const auto port = server->address().port;
    auto enter = [&](LoopbackClient& c, int index) {
      for (const auto& phase :
           {pattern->login(index), index == 0 ? pattern->create_room() : std::vector<load::SetupStep>{},
            pattern->join(index)})
        for (const auto& step : phase) {
          if (!step.frame.is_null()) c.send(dialect->encode(step.frame));
          c.read(200ms);
        }
    };
    LoopbackClient talker(port);
    enter(talker, 0);
    std::vector<std::unique_ptr<LoopbackClient>> sleepers;
    for (int i = 1; i <= 10; ++i) {
      sleepers.push_back(std::make_unique<LoopbackClient>(port, 4096));
      enter(*sleepers.back(), i);
    }
    const std::size_t size = protocol == "cop" ? 400 : 1000;
    std::size_t sent = 0;
    bool talker_ok = true;
    // The talker waits for each confirmation before it sends again: it is not a slow reader.
    auto decoder = dialect->decoder();
    std::uint64_t acks = 0;
    for (std::uint64_t seq = 0; sent < (32u << 20) && talker_ok; ++seq) {
      talker_ok = talker.send(dialect->encode(pattern->message(0, seq, size)));
      sent += size;
      const auto deadline = std::chrono::steady_clock::now() + 5s;
      while (talker_ok && acks <= seq && std::chrono::steady_clock::now() < deadline && !talker.closed()) {
        decoder->feed(talker.read(100ms));
        while (true) {
          auto item = decoder->next();
          auto* frame = std::get_if<relaycheck::harness::json>(&item);
          if (!frame) break;
          acks += pattern->classify(0, *frame).kind == load::Received::Kind::ack;
        }
      }
      talker_ok = talker_ok && acks > seq;
      talker.forget_received();
    }
    int dropped = 0;
    for (auto& s : sleepers) dropped += s->wait_closed(10s);
    std::printf("%-7s %10.1fMiB %11d/10 %12s\n", protocol.c_str(), mib(server->peak_rss_kib().value_or(0)), dropped,
                talker_ok ? "yes" : "no");
    if (!talker_ok) std::printf("   server: %s\n", server->stderr_tail(3).c_str());
    std::fflush(stdout);
  }
}

double timed_run(const std::string& command) {
  const auto start = std::chrono::steady_clock::now();
  const int status = std::system((command + " >/dev/null 2>&1").c_str());
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (status != 0) std::printf("   (exit status %d from: %s)\n", status, command.c_str());
  return s;
}

void suite() {
  std::printf("== conformance suite wall time, all protocols, --skip-tag slow\n");
  const std::string relaycheck = RELAYCHECK_BIN_DIR "/relaycheck run --quiet --skip-tag slow";
  std::printf("%-7s %12s %12s %16s\n", "proto", "inprocess s", "spawn s", "spawn --jobs 2 s");
  double in_total = 0, spawn_total = 0, jobs_total = 0;
  for (const auto& protocol : kProtocols) {
    const double in = timed_run(relaycheck + " --protocol " + protocol + " --target inprocess");
    const double sp = timed_run(relaycheck + " --protocol " + protocol + " --target spawn");
    const double jobs = timed_run(relaycheck + " --protocol " + protocol + " --target spawn --jobs 2");
    in_total += in, spawn_total += sp, jobs_total += jobs;
    std::printf("%-7s %12.2f %12.2f %16.2f\n", protocol.c_str(), in, sp, jobs);
    std::fflush(stdout);
  }
  std::printf("%-7s %12.2f %12.2f %16.2f\n", "all", in_total, spawn_total, jobs_total);
}

}  // namespace

int main(int argc, char** argv) {
  ::signal(SIGPIPE, SIG_IGN);
  relaycheck::net::raise_open_file_limit();
  std::set<std::string> wanted(argv + 1, argv + argc);
  auto want = [&](const char* name) { return wanted.empty() || wanted.count(name); };
  if (want("fanout")) fanout();
  if (want("idle")) idle();
  if (want("idle") || want("moose-idle")) moose_idle();
  if (want("slow")) slow_readers();
  if (want("suite")) suite();
}
