#include "proto/cop/protocol.h"

#include <memory>
#include <random>

#include "proto/cop/session.h"

namespace relaycheck::proto::cop {

ProtocolInfo protocol_info() {
  ProtocolInfo info;
  info.id = "cop";
  info.title = "ChatOS Protocol (COP), binary";
  info.default_port = 7777;
  info.options = {
      {"inactivity-timeout", "5m", "a connection that sends nothing for this long is closed"},
      {"max-nickname-bytes", "32", "longest nickname accepted at login, in bytes"},
      {"max-message-bytes", "512", "longest public or private message, in bytes"},
      {"seed", "",
       "seed for connect ids, for reproducible test runs only (ids become predictable); "
       "empty: the OS random source"},
  };
  const auto specs = info.options;
  info.make_engine = [specs](const OptionValues& values) -> std::unique_ptr<Engine> {
    Options o;
    o.inactivity = duration_option(values, specs[0]);
    if (o.inactivity.count() <= 0) throw OptionError("--inactivity-timeout must be positive");
    o.max_nickname_bytes = count_option(values, specs[1], static_cast<std::size_t>(kMaxStringBytes));
    o.max_message_bytes = count_option(values, specs[2], static_cast<std::size_t>(kMaxStringBytes));
    const std::string seed = string_option(values, specs[3]);
    if (!seed.empty()) {
      // A test run that wants to be repeatable (relaycheck run --seed).
      std::uint64_t n = 0;
      for (char ch : seed) {
        if (ch < '0' || ch > '9') throw OptionError("--seed: not a number: '" + seed + "'");
        n = n * 10 + static_cast<std::uint64_t>(ch - '0');
      }
      auto engine = std::make_shared<std::mt19937_64>(n);
      o.random = [engine] { return (*engine)(); };
    } else {
      // Connect ids must be unpredictable (specs/README.md, cop): straight from the OS source.
      auto device = std::make_shared<std::random_device>();
      o.random = [device] { return (static_cast<std::uint64_t>((*device)()) << 32) ^ (*device)(); };
    }
    return std::make_unique<Session>(std::move(o));
  };
  return info;
}

}  // namespace relaycheck::proto::cop
