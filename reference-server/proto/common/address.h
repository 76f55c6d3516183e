#pragma once
// "HOST:PORT" and "[V6]:PORT" as written on command lines. Pure parsing, no resolution.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace relaycheck::proto {

struct HostPort {
  std::string host;
  std::uint16_t port = 0;
};

std::optional<HostPort> parse_host_port(std::string_view text);
std::string format_host_port(const HostPort& hp);

}  // namespace relaycheck::proto
