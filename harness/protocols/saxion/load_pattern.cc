// saxion's load pattern (harness/load/pattern.h), made by its plug-in (plugin.cc).
#include "harness/protocols/saxion/plugin.h"

namespace relaycheck::harness::load {

// saxion: everyone logged in hears every BCST; the sender gets "OK BCST <text>"; PING wants PONG.
class SaxionPattern final : public Pattern {
 public:
  std::string protocol() const override { return "saxion"; }
  std::vector<SetupStep> login(int client) const override {
    return {{json(), json{{"cmd", "INIT"}}}, {"IDENT " + name(client), json{{"line", "OK IDENT " + name(client)}}}};
  }
  json message(int client, std::uint64_t seq, std::size_t size) const override {
    return "BCST " + message_body(client, seq, size);
  }
  Received classify(int, const json& frame) const override {
    const std::string cmd = string_field(frame, "cmd"), args = string_field(frame, "args");
    if (cmd == "BCST") {
      const auto space = args.find(' ');
      if (space == std::string::npos) return {Received::Kind::corrupt, -1, 0, "BCST without a sender: " + args};
      return parse_body(args.substr(0, space), args.substr(space + 1));
    }
    if (cmd == "OK" && args.rfind("BCST ", 0) == 0) return {Received::Kind::ack, -1, 0, {}};
    if (cmd == "PING") return {Received::Kind::ping, -1, 0, {}};
    if (cmd.rfind("FAIL", 0) == 0 || cmd == "DSCN") return {Received::Kind::error, -1, 0, string_field(frame, "line")};
    return {};
  }
  std::optional<json> pong(const json&) const override { return json("PONG"); }
};

}  // namespace relaycheck::harness::load

namespace relaycheck::harness::protocols::saxion {

std::unique_ptr<load::Pattern> make_load_pattern() { return std::make_unique<load::SaxionPattern>(); }

}  // namespace relaycheck::harness::protocols::saxion
