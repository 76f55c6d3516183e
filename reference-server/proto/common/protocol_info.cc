#include "proto/common/protocol_info.h"

#include <charconv>

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

std::size_t count_option(const OptionValues& values, const OptionSpec& spec, std::size_t max) {
  const std::string text = string_option(values, spec);
  std::size_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size() || n == 0 || n > max) {
    const std::string range = max == SIZE_MAX ? "a positive whole number" : "a number from 1 to " + std::to_string(max);
    throw OptionError("--" + spec.name + ": not " + range + ": '" + text + "'");
  }
  return n;
}

}  // namespace relaycheck::proto
