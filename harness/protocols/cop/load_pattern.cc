// cop's load pattern (harness/load/pattern.h), made by its plug-in (plugin.cc).
#include "harness/protocols/cop/plugin.h"

namespace relaycheck::harness::load {

// cop: PUBLIC_MSG goes to every logged-in user, the sender included (its ack).
class CopPattern final : public Pattern {
 public:
  std::string protocol() const override { return "cop"; }
  std::vector<SetupStep> login(int client) const override {
    return {{json{{"op", "LOGIN"}, {"nickname", name(client)}}, json{{"op", "LOGIN_ACCEPTED"}}}};
  }
  json message(int client, std::uint64_t seq, std::size_t size) const override {
    return json{{"op", "PUBLIC_MSG"}, {"sender", name(client)}, {"message", message_body(client, seq, size)}};
  }
  Received classify(int client, const json& frame) const override {
    const std::string op = string_field(frame, "op");
    if (op == "PUBLIC_MSG") {
      if (string_field(frame, "sender") == name(client)) return {Received::Kind::ack, -1, 0, {}};
      return parse_body(string_field(frame, "sender"), string_field(frame, "message"));
    }
    if (op == "LOGIN_REFUSED" || op == "UNKNOWN_USER") return {Received::Kind::error, -1, 0, frame.dump()};
    return {};
  }
};

}  // namespace relaycheck::harness::load

namespace relaycheck::harness::protocols::cop {

std::unique_ptr<load::Pattern> make_load_pattern() { return std::make_unique<load::CopPattern>(); }

}  // namespace relaycheck::harness::protocols::cop
