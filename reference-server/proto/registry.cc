#include "proto/registry.h"

#include "proto/common/duration.h"
#include "proto/saxion/protocol.h"

namespace relaycheck::proto {

const std::vector<ProtocolInfo>& protocols() {
  static const std::vector<ProtocolInfo> all = {
      saxion::protocol_info(),
  };
  return all;
}

const ProtocolInfo* find_protocol(std::string_view id) {
  for (const auto& p : protocols())
    if (p.id == id) return &p;
  return nullptr;
}

std::string string_option(const OptionValues& values, const OptionSpec& spec) {
  auto it = values.find(spec.name);
  return it == values.end() ? spec.default_value : it->second;
}

Millis duration_option(const OptionValues& values, const OptionSpec& spec) {
  const std::string text = string_option(values, spec);
  auto d = parse_duration(text);
  if (!d) throw OptionError("--" + spec.name + ": not a duration: '" + text + "' (e.g. 500ms, 3s, 5m)");
  return *d;
}

}  // namespace relaycheck::proto
