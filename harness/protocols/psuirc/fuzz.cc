// psuirc for the network fuzzer: its login reply, its replies' kinds, and the points its spec
// leaves open.
#include "harness/protocols/psuirc/plugin.h"

namespace relaycheck::harness::protocols::psuirc {

using netfuzz::Allowance;
using netfuzz::Tier;

namespace {

class Hints final : public netfuzz::ProtocolHints {
 public:
  bool is_login_reply(const json& f) const override { return f.value("line", "") == "welcome user"; }
  // Replies are fixed phrases; deliveries start with a room name, so two words say enough.
  std::string kind_of(const json& f) const override { return netfuzz::first_words(f.value("line", ""), 2); }
};

}  // namespace

const netfuzz::ProtocolHints& fuzz_hints() {
  static const Hints hints;
  return hints;
}

std::vector<Allowance> allowances() {
  return {
      {"psuirc", "\"Both the server and client may terminate the connection at any time\": a close instead of a reply",
       Tier::spec, "psuirc.limits.seventh-closed (after_any)", true, nullptr, true},
  };
}

}  // namespace relaycheck::harness::protocols::psuirc
