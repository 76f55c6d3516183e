#include "proto/common/protocol_info.h"

#include "proto/common/duration.h"

namespace relaycheck::proto {

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
