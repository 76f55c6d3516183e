// Throughput of the saxion core, printed as figures (not a test): the codec at several write
// sizes, and the whole engine relaying BCST to a room of clients. Run with scripts/bench.
#include <chrono>
#include <cstdio>
#include <string>

#include "proto/registry.h"
#include "proto/saxion/codec.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace proto = relaycheck::proto;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::string traffic(std::size_t lines) {
  std::string s;
  for (std::size_t i = 0; i < lines; ++i)
    s += (i % 3 ? "BCST hello there number " : "PM bob some text\r\n") + std::to_string(i) + "\n";
  return s;
}

void codec(std::size_t chunk, const std::string& data) {
  const auto start = Clock::now();
  std::size_t frames = 0;
  proto::saxion::Codec c;
  for (std::size_t i = 0; i < data.size(); i += chunk) {
    c.feed(std::string_view(data).substr(i, chunk));
    while (std::holds_alternative<proto::saxion::Message>(c.next())) ++frames;
  }
  const double s = seconds_since(start);
  std::printf("codec  chunk %6zu B: %8.1f MB/s  %10.0f frames/s  (%zu frames)\n", chunk, data.size() / s / 1e6,
              frames / s, frames);
}

void fanout(int clients, int messages) {
  auto engine = proto::find_protocol("saxion")->make_engine({});
  proto::TimePoint now{};
  for (int c = 1; c <= clients; ++c) {
    engine->on_connect(c, now);
    engine->on_bytes(c, "IDENT user" + std::to_string(c) + "\n", now);
  }
  engine->take_actions();
  const auto start = Clock::now();
  std::size_t out = 0;
  for (int m = 0; m < messages; ++m) {
    engine->on_bytes(1 + m % clients, "BCST message body of moderate length\n", now);
    out += engine->take_actions().size();
  }
  const double s = seconds_since(start);
  std::printf("engine %2d clients   : %10.0f BCST/s in, %10.0f frames/s out\n", clients, messages / s, out / s);
}

}  // namespace

int main() {
  const std::string data = traffic(400'000);
  for (std::size_t chunk : {1u, 16u, 1460u, 65536u}) codec(chunk, data);
  for (int clients : {3, 10, 50}) fanout(clients, 200'000);
}
