#pragma once
// What the network fuzzer sends: writes on numbered connections, in order. The first `prefix`
// writes (the login part of a seed) are replayed as they are; mutations touch the rest.
#include <cstddef>
#include <string>
#include <vector>

namespace relaycheck::harness::netfuzz {

struct Send {
  int conn = 0;          // 0 .. FuzzCase::conns-1
  std::string bytes;     // written in one write
  bool chopped = false;  // a piece of a chopped write: a write of its own (see writes_of)
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

// How sends[begin, end) (consecutive sends on one connection) go out: their bytes joined, and
// where a new write() starts. Neighbours are joined into one write, except chopped pieces, which
// are written alone (with TCP_NODELAY, so the server may see each piece by itself).
struct Writes {
  std::string bytes;
  std::vector<std::size_t> starts;  // offsets in `bytes` where a write other than the first starts
};
inline Writes writes_of(const std::vector<Send>& sends, std::size_t begin, std::size_t end) {
  Writes w;
  for (std::size_t i = begin; i < end; ++i) {
    if (i > begin && (sends[i].chopped || sends[i - 1].chopped) && !w.bytes.empty() &&
        (w.starts.empty() || w.starts.back() != w.bytes.size()))
      w.starts.push_back(w.bytes.size());
    w.bytes += sends[i].bytes;
  }
  return w;
}

// The most connections a case uses (seeds with more are skipped).
inline constexpr int kMaxConns = 4;

}  // namespace relaycheck::harness::netfuzz
