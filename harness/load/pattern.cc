#include "harness/load/pattern.h"

#include "harness/protocols/registry.h"

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

std::string string_field(const json& frame, const char* key) {
  return frame.is_object() && frame.contains(key) && frame[key].is_string() ? frame[key].get<std::string>() : "";
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

std::unique_ptr<Pattern> make_pattern(const std::string& protocol) {
  const ProtocolPlugin* plugin = find_protocol(protocol);
  return plugin && plugin->load_pattern ? plugin->load_pattern() : nullptr;
}

std::string patterns_known() {
  std::string out;
  for (const ProtocolPlugin* p : protocol_plugins())
    if (p->load_pattern) out += (out.empty() ? "" : ", ") + p->id();
  return out;
}

}  // namespace relaycheck::harness::load
