// cop for the network fuzzer: its login reply. Its spec leaves no reply open (no allowances).
#include "harness/protocols/cop/plugin.h"

namespace relaycheck::harness::protocols::cop {

namespace {

class Hints final : public netfuzz::ProtocolHints {
 public:
  bool is_login_reply(const json& f) const override { return f.value("op", "") == "LOGIN_ACCEPTED"; }
};

}  // namespace

const netfuzz::ProtocolHints& fuzz_hints() {
  static const Hints hints;
  return hints;
}

std::vector<netfuzz::Allowance> allowances() { return {}; }

}  // namespace relaycheck::harness::protocols::cop
