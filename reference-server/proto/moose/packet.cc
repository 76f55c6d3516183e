#include "proto/moose/packet.h"

#include <charconv>

namespace relaycheck::proto::moose {

std::optional<std::string> text_field(const json& p, const char* name) {
  auto it = p.find(name);
  if (it == p.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<std::vector<std::string>> message_bodies(const json& p) {
  auto it = p.find("msg");
  if (it == p.end()) return std::nullopt;
  if (it->is_string()) return std::vector<std::string>{it->get<std::string>()};
  if (!it->is_array() || it->empty()) return std::nullopt;
  std::vector<std::string> bodies;
  for (const auto& b : *it) {
    if (!b.is_string()) return std::nullopt;
    bodies.push_back(b.get<std::string>());
  }
  return bodies;
}

bool known_chat_state(const std::string& state) {
  for (const char* s : {"composing", "paused", "active", "idle", "typing", "no_state"})
    if (state == s) return true;
  return false;
}

std::optional<std::int64_t> ring_id(const json& p) {
  auto it = p.find("ID");
  if (it == p.end()) return std::nullopt;
  if (it->is_number_integer()) return it->get<std::int64_t>();
  if (it->is_string()) {
    const std::string& s = it->get_ref<const std::string&>();
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) return v;
  }
  return std::nullopt;
}

}  // namespace relaycheck::proto::moose
