#include "harness/load/pattern.h"

#include "harness/protocols/moose/load_pattern.h"

#include <charconv>
#include <cstdio>

namespace relaycheck::harness::load {

std::string Pattern::name(int client) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "lc%05d", client);
  return buf;
}

std::string message_body(int client, std::uint64_t seq, std::size_t size) {
  std::string body = "m " + std::to_string(client) + " " + std::to_string(seq);
  if (body.size() < size) body += ' ' + std::string(size - body.size() - 1, 'x');
  return body;
}

Received parse_body(const std::string& sender_name, const std::string& body) {
  Received r;
  r.kind = Received::Kind::corrupt;
  r.detail = "not a load message from " + sender_name + ": '" + body.substr(0, 60) + "'";
  if (body.rfind("m ", 0) != 0) return r;
  const char* p = body.data() + 2;
  const char* end = body.data() + body.size();
  int client = -1;
  auto [p1, e1] = std::from_chars(p, end, client);
  if (e1 != std::errc{} || p1 == end || *p1 != ' ') return r;
  std::uint64_t seq = 0;
  auto [p2, e2] = std::from_chars(p1 + 1, end, seq);
  if (e2 != std::errc{} || (p2 != end && *p2 != ' ')) return r;
  if (client < 0 || Pattern::name(client) != sender_name) return r;
  return Received{Received::Kind::delivery, client, seq, {}};
}

namespace {

std::string str(const json& frame, const char* key) {
  return frame.is_object() && frame.contains(key) && frame[key].is_string() ? frame[key].get<std::string>() : "";
}

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
    const std::string cmd = str(frame, "cmd"), args = str(frame, "args");
    if (cmd == "BCST") {
      const auto space = args.find(' ');
      if (space == std::string::npos) return {Received::Kind::corrupt, -1, 0, "BCST without a sender: " + args};
      return parse_body(args.substr(0, space), args.substr(space + 1));
    }
    if (cmd == "OK" && args.rfind("BCST ", 0) == 0) return {Received::Kind::ack, -1, 0, {}};
    if (cmd == "PING") return {Received::Kind::ping, -1, 0, {}};
    if (cmd.rfind("FAIL", 0) == 0 || cmd == "DSCN") return {Received::Kind::error, -1, 0, str(frame, "line")};
    return {};
  }
  std::optional<json> pong(const json&) const override { return json("PONG"); }
};

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
    const std::string line = str(frame, "line");
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
    const std::string op = str(frame, "op");
    if (op == "PUBLIC_MSG") {
      if (str(frame, "sender") == name(client)) return {Received::Kind::ack, -1, 0, {}};
      return parse_body(str(frame, "sender"), str(frame, "message"));
    }
    if (op == "LOGIN_REFUSED" || op == "UNKNOWN_USER") return {Received::Kind::error, -1, 0, frame.dump()};
    return {};
  }
};

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
      if (str(frame, "user") == name(client)) return {Received::Kind::ack, -1, 0, {}};
      return parse_body(str(frame, "user"), str(frame, "message"));
    }
    if (op == 8) return {Received::Kind::ping, -1, 0, {}};
    if (op >= 0xA) return {Received::Kind::error, -1, 0, frame.dump()};
    return {};
  }
  std::optional<json> pong(const json&) const override { return json{{"op", 8}}; }
};

}  // namespace

namespace {

// Every protocol with a load pattern, in the order `patterns_known` lists them.
struct PatternEntry {
  const char* protocol;
  std::unique_ptr<Pattern> (*make)();
};
template <class P>
std::unique_ptr<Pattern> make() {
  return std::make_unique<P>();
}
constexpr PatternEntry kPatterns[] = {
    {"saxion", make<SaxionPattern>}, {"psuirc", make<PsuircPattern>}, {"cop", make<CopPattern>},
    {"cs594", make<Cs594Pattern>},   {"moose", make<MoosePattern>},
};

}  // namespace

std::unique_ptr<Pattern> make_pattern(const std::string& protocol) {
  for (const auto& entry : kPatterns)
    if (protocol == entry.protocol) return entry.make();
  return nullptr;
}

std::string patterns_known() {
  std::string out;
  for (const auto& entry : kPatterns) out += (out.empty() ? "" : ", ") + std::string(entry.protocol);
  return out;
}

}  // namespace relaycheck::harness::load
