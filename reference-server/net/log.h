#pragma once
// A minimal leveled logger to stderr; the server's only diagnostics channel.
#include <optional>
#include <string>
#include <string_view>

namespace relaycheck::net {

enum class LogLevel { error = 0, warn = 1, info = 2, debug = 3 };

std::optional<LogLevel> parse_log_level(std::string_view text);

class Logger {
 public:
  explicit Logger(LogLevel level = LogLevel::info) : level_(level) {}
  bool enabled(LogLevel l) const { return l <= level_; }
  void log(LogLevel l, std::string_view message) const;
  void error(std::string_view m) const { log(LogLevel::error, m); }
  void warn(std::string_view m) const { log(LogLevel::warn, m); }
  void info(std::string_view m) const { log(LogLevel::info, m); }
  void debug(std::string_view m) const { log(LogLevel::debug, m); }

 private:
  LogLevel level_;
};

}  // namespace relaycheck::net
