#pragma once
// Coverage without source: the distinct sequences of reply kinds the target has produced. A case
// whose sequence is new has reached a state (or a path) no earlier case did.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <unordered_set>
#include <vector>

namespace relaycheck::harness::netfuzz {

class StateMap {
 public:
  // True when this sequence was not seen before (it is remembered from now on). Kinds are
  // "<conn>:<kind>"; the state is each connection's own sequence, connection by connection: how
  // replies to different connections interleave in time is scheduling, not the target's state.
  bool add(std::vector<std::string> reply_kinds) {
    std::stable_sort(reply_kinds.begin(), reply_kinds.end(),
                     [](const std::string& a, const std::string& b) { return conn_of(a) < conn_of(b); });
    std::uint64_t h = 1469598103934665603ULL;  // FNV-1a over the kinds, each ended by a 0 byte
    for (const auto& k : reply_kinds) {
      for (unsigned char ch : k) h = (h ^ ch) * 1099511628211ULL;
      h = (h ^ 0) * 1099511628211ULL;
    }
    return seen_.insert(h).second;
  }
  std::size_t size() const { return seen_.size(); }

 private:
  static int conn_of(const std::string& kind) { return std::atoi(kind.c_str()); }
  std::unordered_set<std::uint64_t> seen_;
};

}  // namespace relaycheck::harness::netfuzz
