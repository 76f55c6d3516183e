#include "harness/protocols/fuzz_hints.h"

namespace relaycheck::harness::netfuzz {

std::string first_words(const std::string& text, int words) {
  std::size_t end = 0;
  for (int i = 0; i < words; ++i) {
    end = text.find(' ', i == 0 ? 0 : end + 1);
    if (end == std::string::npos) return text;
  }
  return text.substr(0, end);
}

std::string ProtocolHints::kind_of(const json& f) const {
  if (f.is_object()) {
    for (const char* key : {"cmd", "op", "type"})
      if (f.contains(key)) return f[key].is_string() ? f[key].get<std::string>() : f[key].dump();
    if (f.contains("line") && f["line"].is_string()) return first_words(f["line"].get<std::string>(), 1);
    return "object";
  }
  return f.type_name();
}

}  // namespace relaycheck::harness::netfuzz
