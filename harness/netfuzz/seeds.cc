#include "harness/netfuzz/seeds.h"

#include <algorithm>
#include <map>
#include <set>

#include "harness/loader.h"
#include "harness/netfuzz/protocol_hints.h"
#include "harness/protocols/dialect.h"
#include "harness/runner.h"
#include "harness/target_impl.h"

namespace relaycheck::harness::netfuzz {

namespace {

using Dir = reports::WireChunk::Dir;

// One scenario's captured wire as a case; nothing if it does not fit.
std::optional<FuzzCase> case_of(const reports::ScenarioResult& r, const Dialect& dialect, const ProtocolHints& hints) {
  FuzzCase c;
  c.origin = r.id;
  std::map<std::string, int> index;
  std::map<std::string, std::unique_ptr<FrameDecoder>> decoders;
  for (const auto& chunk : r.wire) {
    if (!index.count(chunk.conn)) {
      const int next = static_cast<int>(index.size());
      index[chunk.conn] = next;
      decoders[chunk.conn] = dialect.decoder();
    }
    const int conn = index[chunk.conn];
    if (chunk.dir == Dir::to_server && !chunk.bytes.empty()) {
      c.sends.push_back({conn, chunk.bytes});
    } else if (chunk.dir == Dir::to_client) {
      auto& decoder = *decoders[chunk.conn];
      decoder.feed(chunk.bytes);
      for (auto item = decoder.next(); std::holds_alternative<json>(item); item = decoder.next())
        if (hints.is_login_reply(std::get<json>(item))) c.prefix = c.sends.size();  // logins so far are the prefix
    }
  }
  c.conns = static_cast<int>(index.size());
  if (c.sends.empty() || c.conns == 0 || c.conns > kMaxConns) return std::nullopt;
  return c;
}

}  // namespace

std::vector<FuzzCase> load_seeds(const std::string& scenario_root, const std::string& protocol) {
  const Suite suite = load_suite(scenario_root, {protocol});
  const Dialect* dialect = find_dialect(protocol);
  if (!dialect) throw TargetError("unknown protocol '" + protocol + "'");
  const ProtocolHints& hints = hints_for(protocol);
  auto target = make_inprocess_target();
  RunOptions options;
  options.capture_wire = true;
  std::vector<FuzzCase> seeds;
  std::set<std::vector<std::pair<int, std::string>>> seen;
  std::size_t seeds_tried = 0;
  for (const auto& s : suite.scenarios) {
    if (s.role != "client" || s.protocol != protocol) continue;
    if (std::find(s.tags.begin(), s.tags.end(), "slow") != s.tags.end()) continue;
    // The same names in every run (so one --seed gives the same cases), still one per scenario:
    // ${uniq} preset as "f" and the scenario's index in base 36 (the runner keeps a preset one).
    std::string uniq = "00000";
    for (std::size_t n = seeds_tried++, i = uniq.size(); i-- > 0; n /= 36)
      uniq[i] = "0123456789abcdefghijklmnopqrstuvwxyz"[n % 36];
    options.vars["uniq"] = "f" + uniq;
    options.vars["uniq2"] = uniq.substr(3);
    const auto result = run_scenario(s, suite, *target, options);
    auto c = case_of(result, *dialect, hints);
    if (!c) continue;
    std::vector<std::pair<int, std::string>> key;
    for (const auto& send : c->sends) key.emplace_back(send.conn, send.bytes);
    if (seen.insert(key).second) seeds.push_back(std::move(*c));
  }
  return seeds;
}

}  // namespace relaycheck::harness::netfuzz
