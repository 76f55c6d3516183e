// cs594 for the network fuzzer: its login reply and the points its spec leaves open.
#include <set>

#include "harness/protocols/cs594/plugin.h"
#include "proto/cs594/ops.h"

namespace relaycheck::harness::protocols::cs594 {

using netfuzz::Allowance;
using netfuzz::Tier;

namespace {

json op_named(const char* name) {
  auto op = proto::cs594::op_from_name(name);
  return op ? json(static_cast<std::int64_t>(*op)) : json();
}

class Hints final : public netfuzz::ProtocolHints {
 public:
  bool is_login_reply(const json& f) const override {
    return f.is_object() && f.contains("op") && f["op"] == 1;  // the server echoes op 1 on success
  }
};

}  // namespace

const netfuzz::ProtocolHints& fuzz_hints() {
  static const Hints hints;
  return hints;
}

std::vector<Allowance> allowances() {
  return {
      {"cs594", "ERR_MALFORMED or ERR_ILLEGAL_OP for a request that does not parse", Tier::spec,
       "cs594.errors.missing-op", false,
       [](const json& e, const json& a) {
         const std::set<json> either = {op_named("ERR_MALFORMED"), op_named("ERR_ILLEGAL_OP")};
         return e.is_object() && a.is_object() && e.contains("op") && a.contains("op") && either.count(e["op"]) &&
                either.count(a["op"]);
       }},
      {"cs594", "the sender of a request the server refuses may be dropped (a close instead of what follows)",
       Tier::spec, "cs594.errors.unknown-op-others-undisturbed (or_close)", true, nullptr, true},
  };
}

}  // namespace relaycheck::harness::protocols::cs594
