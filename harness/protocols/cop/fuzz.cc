// cop for the network fuzzer: its login reply and the points its spec leaves open.
#include "harness/protocols/cop/plugin.h"

namespace relaycheck::harness::protocols::cop {

namespace {

class Hints final : public netfuzz::ProtocolHints {
 public:
  bool is_login_reply(const json& f) const override { return f.value("op", "") == "LOGIN_ACCEPTED"; }
};

}  // namespace

const netfuzz::ProtocolHints& fuzz_hints() { return netfuzz::hints_instance<Hints>(); }

std::vector<netfuzz::Allowance> allowances() {
  return {
      {"cop", "the id of CONNECT_ID (\"The server then creates a unique id\": any value it draws), all else the same",
       netfuzz::Tier::spec, "cop.private.connect-id-fields (the id captured)", false,
       [](const json& e, const json& a) {
         if (netfuzz::field(e, "op") != "CONNECT_ID" || netfuzz::field(a, "op") != "CONNECT_ID") return false;
         json e2 = e, a2 = a;
         e2.erase("id");
         a2.erase("id");
         return e2 == a2;
       }},
      {"cop",
       "the one field of LOGIN_ACCEPTED, LOGIN_REFUSED and UNKNOWN_USER (their tables call it \"sender\", and the "
       "server sends them: \"server\" or the nickname; this project: the nickname)",
       netfuzz::Tier::decision, "cop.login.accepted-names-nickname", false,
       [](const json& e, const json& a) {
         const std::string op = netfuzz::field(e, "op");
         return (op == "LOGIN_ACCEPTED" || op == "LOGIN_REFUSED" || op == "UNKNOWN_USER") &&
                netfuzz::field(a, "op") == op;
       }},
      {"cop",
       "which nicknames a server takes (2.1: \"it must not be larger than the maximum size imposed by the server\"; "
       "this project: 1..32 bytes, see specs/README): LOGIN_ACCEPTED or LOGIN_REFUSED for the same "
       "name, and the servers part there",
       netfuzz::Tier::decision, "cop.login.longest, cop.login.empty, cop.login.too-long", true,
       [](const json& e, const json& a) {
         const std::string ops = netfuzz::field(e, "op") + "|" + netfuzz::field(a, "op");
         return (ops == "LOGIN_ACCEPTED|LOGIN_REFUSED" || ops == "LOGIN_REFUSED|LOGIN_ACCEPTED") &&
                netfuzz::field(e, "nickname") == netfuzz::field(a, "nickname");
       }},
  };
}

}  // namespace relaycheck::harness::protocols::cop
