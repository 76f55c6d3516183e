#pragma once
// Durations as people write them on command lines and in scenarios: "250ms", "3s", "1.5s",
// "5m", "2h", or a bare number of milliseconds.
#include <optional>
#include <string>
#include <string_view>

#include "proto/common/time.h"

namespace relaycheck::proto {

std::optional<Millis> parse_duration(std::string_view text);
std::string format_duration(Millis d);

}  // namespace relaycheck::proto
