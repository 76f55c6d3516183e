#include "net/server_flags.h"

#include <sys/resource.h>
#include <charconv>

#include "proto/common/duration.h"

namespace relaycheck::net {

namespace {

std::size_t count_value(const std::string& name, const std::string& value) {
  std::size_t n = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc{} || end != value.data() + value.size() || n == 0)
    throw std::invalid_argument("--" + name + ": not a positive whole number: '" + value + "'");
  return n;
}

std::chrono::milliseconds duration_value(const std::string& name, const std::string& value) {
  auto d = proto::parse_duration(value);
  if (!d || d->count() < 0)
    throw std::invalid_argument("--" + name + ": not a duration (500ms, 3s, 5m; 0 = never): '" + value + "'");
  return *d;
}

std::string ms(std::chrono::milliseconds d) { return proto::format_duration(d); }

}  // namespace

std::vector<ServerFlag> server_flags() {
  const ServerConfig d;
  return {
      {"max-connections", std::to_string(d.max_connections),
       "connections open at once; one more gets the protocol's refusal (if it has one) and is closed"},
      {"max-frame-bytes", std::to_string(d.max_frame_bytes),
       "bytes a client may send towards one frame before it is closed (each protocol also has its own, "
       "smaller limit, answered with its error)"},
      {"max-queued-bytes", std::to_string(d.max_queued_bytes),
       "unsent output per connection; a reader too slow to drain it is disconnected"},
      {"handshake-timeout", ms(d.handshake_timeout), "a connection not logged in after this is closed (0: never)"},
      {"idle-timeout", ms(d.idle_timeout),
       "a connection that completes no frame for this long is closed, however many bytes it dribbles (0: never)"},
      {"shutdown-grace", ms(d.shutdown_grace),
       "on SIGINT/SIGTERM: time to flush queued output and the protocol's goodbye before closing hard"},
  };
}

bool apply_server_flag(ServerConfig& config, const std::string& name, const std::string& value) {
  if (name == "max-connections")
    config.max_connections = count_value(name, value);
  else if (name == "max-frame-bytes")
    config.max_frame_bytes = count_value(name, value);
  else if (name == "max-queued-bytes")
    config.max_queued_bytes = count_value(name, value);
  else if (name == "handshake-timeout")
    config.handshake_timeout = duration_value(name, value);
  else if (name == "idle-timeout")
    config.idle_timeout = duration_value(name, value);
  else if (name == "shutdown-grace")
    config.shutdown_grace = duration_value(name, value);
  else
    return false;
  return true;
}

std::size_t raise_open_file_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return 0;
  if (lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
    getrlimit(RLIMIT_NOFILE, &lim);
  }
  return static_cast<std::size_t>(lim.rlim_cur);
}

}  // namespace relaycheck::net
