#include "harness/netfuzz/protocol_hints.h"

namespace relaycheck::harness::netfuzz {

namespace {

// The first `words` words of a text line.
std::string first_words(const std::string& text, int words) {
  std::size_t end = 0;
  for (int i = 0; i < words; ++i) {
    end = text.find(' ', i == 0 ? 0 : end + 1);
    if (end == std::string::npos) return text;
  }
  return text.substr(0, end);
}

class SaxionHints final : public ProtocolHints {
 public:
  bool is_login_reply(const json& f) const override {
    return f.value("cmd", "") == "OK" && f.value("args", "").rfind("IDENT ", 0) == 0;
  }
};

class PsuircHints final : public ProtocolHints {
 public:
  bool is_login_reply(const json& f) const override { return f.value("line", "") == "welcome user"; }
  // Replies are fixed phrases; deliveries start with a room name, so two words say enough.
  std::string kind_of(const json& f) const override { return first_words(f.value("line", ""), 2); }
};

class CopHints final : public ProtocolHints {
 public:
  bool is_login_reply(const json& f) const override { return f.value("op", "") == "LOGIN_ACCEPTED"; }
};

class Cs594Hints final : public ProtocolHints {
 public:
  bool is_login_reply(const json& f) const override {
    return f.is_object() && f.contains("op") && f["op"] == 1;  // the server echoes op 1 on success
  }
};

}  // namespace

std::string ProtocolHints::kind_of(const json& f) const {
  if (f.is_object()) {
    for (const char* key : {"cmd", "op", "type"})
      if (f.contains(key)) return f[key].is_string() ? f[key].get<std::string>() : f[key].dump();
    if (f.contains("line") && f["line"].is_string()) return first_words(f["line"].get<std::string>(), 1);
    return "object";
  }
  return f.type_name();
}

const ProtocolHints& hints_for(const std::string& protocol) {
  static const SaxionHints saxion;
  static const PsuircHints psuirc;
  static const CopHints cop;
  static const Cs594Hints cs594;
  static const ProtocolHints generic;
  if (protocol == "saxion") return saxion;
  if (protocol == "psuirc") return psuirc;
  if (protocol == "cop") return cop;
  if (protocol == "cs594") return cs594;
  return generic;
}

}  // namespace relaycheck::harness::netfuzz
