#pragma once
// What the network fuzzer sends: writes on numbered connections, in order. The first `prefix`
// writes (the login part of a seed) are replayed as they are; mutations touch the rest.
#include <cstddef>
#include <string>
#include <vector>

namespace relaycheck::harness::netfuzz {

struct Send {
  int conn = 0;       // 0 .. FuzzCase::conns-1
  std::string bytes;  // written in one write
};

struct FuzzCase {
  int conns = 1;
  std::vector<Send> sends;
  std::size_t prefix = 0;
  std::string origin;  // the id of the scenario it descends from

  std::size_t bytes() const {
    std::size_t n = 0;
    for (const auto& s : sends) n += s.bytes.size();
    return n;
  }
};

// The most connections a case uses (seeds with more are skipped).
inline constexpr int kMaxConns = 4;

}  // namespace relaycheck::harness::netfuzz
