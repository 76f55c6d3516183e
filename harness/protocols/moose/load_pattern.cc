#include "harness/protocols/moose/load_pattern.h"
#include "harness/protocols/moose/plugin.h"

#include <cstdlib>

namespace relaycheck::harness::load {

std::vector<SetupStep> MoosePattern::login(int client) const {
  return {{json{{"type", "key"}, {"UUID", uuid(client)}}, json{{"type", "status"}}}};
}

json MoosePattern::message(int client, std::uint64_t seq, std::size_t size) const {
  return json{
      {"type", "msg"}, {"UUID", uuid(client)}, {"msg", json::array({message_body(client, seq, size)})}, {"I/O", "out"}};
}

Received MoosePattern::classify(int client, const json& frame) const {
  if (!frame.is_object()) return {};
  const json type = frame.value("type", json());
  if (type == "probe") return {Received::Kind::ping, -1, 0, {}};
  if (type != "msg") return {};  // ring, ringACKACK, status, server_online: setup and broadcast
  const json& bodies = frame.contains("msg") ? frame["msg"] : json();
  if (frame.value("I/O", json()) != "in" || !bodies.is_array() || bodies.size() != 1 || !bodies[0].is_string())
    return {Received::Kind::corrupt, -1, 0, "not a msg I/O in with one body: " + frame.dump()};
  Received r = parse_body(end_user(client), bodies[0].get<std::string>());
  if (r.kind == Received::Kind::delivery && frame.value("UUID", json()) != uuid(client))
    return {Received::Kind::corrupt, -1, 0,
            "msg for UUID " + frame.value("UUID", json()).dump() + " on " + uuid(client) + "'s connection"};
  return r;
}

std::optional<json> MoosePattern::pong(const json& probe) const {
  return json{{"type", "probeACK"}, {"UUID", probe.value("UUID", json(""))}};
}

std::optional<std::string> MoosePattern::ring_id(const std::string& reply) {
  const std::string prefix = "ok ring ";
  if (reply.rfind(prefix, 0) != 0 || reply.size() == prefix.size()) return std::nullopt;
  const std::string id = reply.substr(prefix.size());
  if (id.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return id;
}

json MoosePattern::ring_ack(int client, const std::string& id) const {
  return json{{"type", "ringACK"}, {"UUID", uuid(client)}, {"ID", std::stoll(id)}};
}

std::string MoosePattern::write_command(int client, std::uint64_t seq, std::size_t size) const {
  return "write " + end_user(client) + " " + message_body(clients_ + client, seq, size);
}

Received MoosePattern::classify_control(const std::string& line) const {
  if (line.rfind("said ", 0) != 0) return {};
  const auto space = line.find(' ', 5);
  if (space == std::string::npos) return {Received::Kind::corrupt, -1, 0, "said without a text: " + line};
  const std::string user = line.substr(5, space - 5), body = line.substr(space + 1);
  // The body names the client that wrote it; the event names that client's end user.
  int client = -1;
  if (body.rfind("m ", 0) == 0) client = std::atoi(body.c_str() + 2);
  if (client < 0 || client >= clients_ || end_user(client) != user)
    return {Received::Kind::corrupt, -1, 0,
            "'" + line.substr(0, 80) + "' is not a load message of " + user + "'s client"};
  return parse_body(name(client), body);
}

}  // namespace relaycheck::harness::load

namespace relaycheck::harness::protocols::moose {

std::unique_ptr<load::Pattern> make_load_pattern() { return std::make_unique<load::MoosePattern>(); }

}  // namespace relaycheck::harness::protocols::moose
