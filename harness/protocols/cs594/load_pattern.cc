// cs594's load pattern (harness/load/pattern.h), made by its plug-in (plugin.cc).
#include "harness/protocols/cs594/plugin.h"

namespace relaycheck::harness::load {

// cs594: a room joined by everyone; MESSAGE goes to every member, the sender included (its
// ack). The server sends HEARTBEAT every second and drops a client silent for 5 s: answer each.
class Cs594Pattern final : public Pattern {
 public:
  std::string protocol() const override { return "cs594"; }
  std::vector<SetupStep> login(int client) const override {
    return {{json{{"op", 1}, {"username", name(client)}}, json{{"op", 1}, {"username", name(client)}}}};
  }
  std::vector<SetupStep> join(int client) const override {
    return {{json{{"op", 4}, {"room", "load"}}, json{{"op", 4}, {"room", "load"}, {"user", name(client)}}}};
  }
  json message(int client, std::uint64_t seq, std::size_t size) const override {
    return json{{"op", 6}, {"room", "load"}, {"message", message_body(client, seq, size)}};
  }
  Received classify(int client, const json& frame) const override {
    if (!frame.is_object() || !frame.contains("op") || !frame["op"].is_number_integer()) return {};
    const auto op = frame["op"].get<std::int64_t>();
    if (op == 6) {
      if (string_field(frame, "user") == name(client)) return {Received::Kind::ack, -1, 0, {}};
      return parse_body(string_field(frame, "user"), string_field(frame, "message"));
    }
    if (op == 8) return {Received::Kind::ping, -1, 0, {}};
    if (op >= 0xA) return {Received::Kind::error, -1, 0, frame.dump()};
    return {};
  }
  std::optional<json> pong(const json&) const override { return json{{"op", 8}}; }
};

}  // namespace relaycheck::harness::load

namespace relaycheck::harness::protocols::cs594 {

std::unique_ptr<load::Pattern> make_load_pattern() { return std::make_unique<load::Cs594Pattern>(); }

}  // namespace relaycheck::harness::protocols::cs594
