#pragma once
// Reading the fields of an inner packet (spec 1.1) the way the reference server accepts them:
// the spec's names and types, plus the variants specs/README.md allows.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace relaycheck::proto::moose {

using nlohmann::json;

// A non-empty string field, or nothing.
std::optional<std::string> text_field(const json& p, const char* name);
// `msg`: a list of strings, or one string (a known client variant); nothing if neither or empty.
std::optional<std::vector<std::string>> message_bodies(const json& p);
// The states `chat_state` carries: the spec's composing and paused, and the variants.
bool known_chat_state(const std::string& state);
// A ring ID as clients echo it: an integer (or its decimal text).
std::optional<std::int64_t> ring_id(const json& p);

}  // namespace relaycheck::proto::moose
