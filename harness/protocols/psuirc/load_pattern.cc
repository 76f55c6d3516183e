// psuirc's load pattern (harness/load/pattern.h), made by its plug-in (plugin.cc).
#include "harness/protocols/psuirc/plugin.h"

namespace relaycheck::harness::load {

// psuirc: a room; "send load <text>" reaches the other members as "load <sender> <text>", the
// sender gets "message delivered to load". The reference server allows 6 clients by default.
class PsuircPattern final : public Pattern {
 public:
  std::string protocol() const override { return "psuirc"; }
  std::vector<std::string> server_args(int clients) const override {
    return {"--max-clients", std::to_string(clients + 1)};
  }
  std::vector<SetupStep> login(int client) const override { return {{name(client), json{{"line", "welcome user"}}}}; }
  std::vector<SetupStep> create_room() const override { return {{"room load", json{{"line", "new room added"}}}}; }
  std::vector<SetupStep> join(int) const override {
    return {{"join load", json{{"line", "Membership granted to the room"}}}};
  }
  json message(int client, std::uint64_t seq, std::size_t size) const override {
    return "send load " + message_body(client, seq, size);
  }
  Received classify(int, const json& frame) const override {
    const std::string line = string_field(frame, "line");
    if (line.rfind("load ", 0) == 0) {
      const auto space = line.find(' ', 5);
      if (space == std::string::npos) return {Received::Kind::corrupt, -1, 0, "room line without a sender: " + line};
      return parse_body(line.substr(5, space - 5), line.substr(space + 1));
    }
    if (line == "message delivered to load") return {Received::Kind::ack, -1, 0, {}};
    if (line == "invalid message format" || line == "you are not member" || line == "input invalid" ||
        line == "client invalid" || line.rfind("command invalid", 0) == 0)
      return {Received::Kind::error, -1, 0, line};
    return {};
  }
};

}  // namespace relaycheck::harness::load

namespace relaycheck::harness::protocols::psuirc {

std::unique_ptr<load::Pattern> make_load_pattern() { return std::make_unique<load::PsuircPattern>(); }

}  // namespace relaycheck::harness::protocols::psuirc
