// Throughput of the cs594 core, printed as figures (not a test): the streaming JSON codec at
// several write sizes (framing + parsing), and the whole engine fanning MESSAGE out to a room.
// Run with scripts/bench.
#include <chrono>
#include <cstdio>
#include <string>

#include "proto/cs594/codec.h"
#include "proto/registry.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace proto = relaycheck::proto;
namespace cs594 = relaycheck::proto::cs594;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Client traffic as real clients send it: mostly back to back, some newline-separated.
std::string traffic(std::size_t values) {
  std::string s;
  for (std::size_t i = 0; i < values; ++i) {
    if (i % 3 == 0)
      s += R"({"op": 6, "user": "alice", "room": "lobby", "message": "hello there number )" + std::to_string(i) + "\"}";
    else if (i % 3 == 1)
      s += R"({"op":9,"sender":"alice","target":"bob","message":"psst {[\"quoted\"]}"})";
    else
      s += "{\"op\": 8}\n";
  }
  return s;
}

void codec(std::size_t chunk, const std::string& data) {
  const auto start = Clock::now();
  std::size_t frames = 0;
  cs594::Codec c;
  for (std::size_t i = 0; i < data.size(); i += chunk) {
    c.feed(std::string_view(data).substr(i, chunk));
    while (std::holds_alternative<cs594::Message>(c.next())) ++frames;
  }
  const double s = seconds_since(start);
  std::printf("codec  chunk %6zu B: %8.1f MB/s  %10.0f frames/s  (%zu frames)\n", chunk, data.size() / s / 1e6,
              frames / s, frames);
}

void fanout(int clients, int messages) {
  auto engine = proto::find_protocol("cs594")->make_engine({});
  proto::TimePoint now{};
  for (int c = 1; c <= clients; ++c) {
    engine->on_connect(c, now);
    engine->on_bytes(c, R"({"op":1,"username":"user)" + std::to_string(c) + R"("}{"op":4,"room":"lobby"})", now);
  }
  engine->take_actions();
  const auto start = Clock::now();
  std::size_t out = 0;
  for (int m = 0; m < messages; ++m) {
    engine->on_bytes(1 + m % clients, R"({"op":6,"room":"lobby","message":"message body of moderate length"})", now);
    out += engine->take_actions().size();
  }
  const double s = seconds_since(start);
  std::printf("engine %2d clients   : %10.0f MESSAGE/s in, %10.0f frames/s out\n", clients, messages / s, out / s);
}

}  // namespace

int main() {
  const std::string data = traffic(300'000);
  for (std::size_t chunk : {1u, 16u, 1460u, 65536u}) codec(chunk, data);
  for (int clients : {3, 10, 50}) fanout(clients, 50'000);
}
