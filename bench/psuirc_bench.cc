// Throughput of the psuirc core, printed as figures (not a test): the codec (line splitting and
// UTF-8 checking) at several write sizes, and the whole engine delivering room messages to
// rooms of 2 to 6 members (the client limit). Run with scripts/bench.
#include <chrono>
#include <cstdio>
#include <string>

#include "proto/psuirc/codec.h"
#include "proto/registry.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace proto = relaycheck::proto;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::string traffic(std::size_t lines) {
  std::string s;
  for (std::size_t i = 0; i < lines; ++i)
    s +=
        (i % 3 ? "send lobby hello there number " : "send \xe6\x9d\xb1\xe4\xba\xac Zo\xc3\xab says \xf0\x9f\x8e\x89 ") +
        std::to_string(i) + (i % 2 ? "\r\n" : "\n");
  return s;
}

void codec(std::size_t chunk, const std::string& data) {
  const auto start = Clock::now();
  std::size_t lines = 0;
  proto::psuirc::Codec c;
  for (std::size_t i = 0; i < data.size(); i += chunk) {
    c.feed(std::string_view(data).substr(i, chunk));
    while (std::holds_alternative<proto::psuirc::Line>(c.next())) ++lines;
  }
  const double s = seconds_since(start);
  std::printf("codec  chunk %6zu B: %8.1f MB/s  %10.0f lines/s  (%zu lines)\n", chunk, data.size() / s / 1e6, lines / s,
              lines);
}

void room(int members, int messages) {
  auto engine = proto::find_protocol("psuirc")->make_engine({});
  proto::TimePoint now{};
  for (int c = 1; c <= members; ++c) {
    engine->on_connect(c, now);
    engine->on_bytes(c, "user" + std::to_string(c) + "\n" + (c == 1 ? "room lobby\n" : "") + "join lobby\n", now);
  }
  engine->take_actions();
  const auto start = Clock::now();
  std::size_t out = 0;
  for (int m = 0; m < messages; ++m) {
    engine->on_bytes(1 + m % members, "send lobby message body of moderate length\n", now);
    out += engine->take_actions().size();
  }
  const double s = seconds_since(start);
  std::printf("engine %d members    : %10.0f send/s in, %10.0f lines/s out\n", members, messages / s, out / s);
}

}  // namespace

int main() {
  const std::string data = traffic(400'000);
  for (std::size_t chunk : {1u, 16u, 1460u, 65536u}) codec(chunk, data);
  for (int members : {2, 6}) room(members, 200'000);
}
