#include "proto/common/duration.h"

#include <charconv>
#include <cmath>

namespace relaycheck::proto {

std::optional<Millis> parse_duration(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) ++i;
  if (i == 0) return std::nullopt;
  double value = 0;
  // std::from_chars for double is available in GCC 11+.
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + i, value);
  if (ec != std::errc{} || ptr != text.data() + i) return std::nullopt;
  const std::string_view unit = text.substr(i);
  double scale;
  if (unit.empty() || unit == "ms")
    scale = 1;
  else if (unit == "s")
    scale = 1000;
  else if (unit == "m" || unit == "min")
    scale = 60'000;
  else if (unit == "h")
    scale = 3'600'000;
  else
    return std::nullopt;
  const double ms = value * scale;
  if (!std::isfinite(ms) || ms > 1e15) return std::nullopt;
  return Millis{static_cast<long long>(std::llround(ms))};
}

std::string format_duration(Millis d) {
  const auto ms = d.count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

}  // namespace relaycheck::proto
