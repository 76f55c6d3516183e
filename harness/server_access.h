#pragma once
// Finding and reaching a server: shared by the targets (target_tcp.cc, where they are defined),
// `relaycheck load` and `relaycheck fuzz`.
#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "proto/common/address.h"

namespace relaycheck::harness {

// The addresses of HOST:PORT, at least one (TargetError otherwise).
std::vector<boost::asio::ip::tcp::endpoint> resolve_endpoints(const proto::HostPort& address);
// The relaycheck-server next to the running binary.
std::string default_server_binary();
// A loopback port that was free a moment ago, for a launched server's {port}.
std::uint16_t pick_free_port();

}  // namespace relaycheck::harness
