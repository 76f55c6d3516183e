#pragma once
// Which findings are the same: by signature before minimising (the same bug found again), and
// by the minimised bytes after (two signatures that shrink to the same writes are one finding).
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/netfuzz/fuzz_case.h"

namespace relaycheck::harness::netfuzz {

class FindingBook {
 public:
  // The finding (its index) already filed under this signature or these minimised writes.
  std::optional<std::size_t> by_signature(const std::string& signature) const { return find(signatures_, signature); }
  std::optional<std::size_t> by_writes(const FuzzCase& minimised) const { return find(writes_, key(minimised)); }
  void file(const std::string& signature, const FuzzCase& minimised, std::size_t index) {
    signatures_.emplace(signature, index);
    writes_.emplace(key(minimised), index);
  }
  // A signature seen again whose writes matched an earlier finding: the next time, it is that one.
  void alias(const std::string& signature, std::size_t index) { signatures_.emplace(signature, index); }

  // What a case sends, as each connection's bytes in the order they go out. Write boundaries,
  // chopping and idle connections are left out: a retry that failed while shrinking can leave
  // them behind, and two findings that differ only so are the same bug.
  static std::string key(const FuzzCase& c) {
    std::map<int, int> renumbered;  // by first write, so c1 alone and c0 alone agree
    std::vector<std::pair<int, std::string>> runs;
    for (const auto& s : c.sends) {
      const int conn = renumbered.emplace(s.conn, static_cast<int>(renumbered.size())).first->second;
      if (runs.empty() || runs.back().first != conn) runs.emplace_back(conn, "");
      runs.back().second += s.bytes;
    }
    std::string k;
    for (const auto& [conn, bytes] : runs) k += std::to_string(conn) + "," + std::to_string(bytes.size()) + ":" + bytes;
    return k;
  }

 private:
  static std::optional<std::size_t> find(const std::map<std::string, std::size_t>& m, const std::string& k) {
    auto it = m.find(k);
    return it == m.end() ? std::nullopt : std::optional<std::size_t>(it->second);
  }
  std::map<std::string, std::size_t> signatures_, writes_;
};

}  // namespace relaycheck::harness::netfuzz
