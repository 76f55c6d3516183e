#include "net/log.h"

#include <iostream>

namespace relaycheck::net {

std::optional<LogLevel> parse_log_level(std::string_view text) {
  if (text == "error") return LogLevel::error;
  if (text == "warn") return LogLevel::warn;
  if (text == "info") return LogLevel::info;
  if (text == "debug") return LogLevel::debug;
  return std::nullopt;
}

void Logger::log(LogLevel l, std::string_view message) const {
  if (!enabled(l)) return;
  static constexpr const char* kNames[] = {"error", "warn", "info", "debug"};
  std::cerr << "relaycheck-server: " << kNames[static_cast<int>(l)] << ": " << message << '\n';
}

}  // namespace relaycheck::net
