#pragma once
// Whether a TCP port is listening, seen through the OS (/proc/net/tcp and tcp6) without
// connecting: a readiness check that no server can count as a client.
#include <sys/types.h>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace relaycheck::harness::transport {

struct Listener {
  std::string address;  // the local address as text: "127.0.0.1", "0.0.0.0", "::", "::1"
  std::uint16_t port = 0;
  unsigned long inode = 0;  // the socket's inode, as in /proc/<pid>/fd links "socket:[N]"
};

// The sockets in LISTEN state (st 0A) of one /proc/net/tcp or tcp6 text.
std::vector<Listener> parse_proc_net_tcp(const std::string& text, bool ipv6);
// The listening sockets on `port` in this network namespace (both files).
std::vector<Listener> listeners_on(std::uint16_t port);
// Whether any process of process group `pgid` holds one of these sockets (its fd links).
bool group_owns_any(pid_t pgid, const std::vector<Listener>& sockets);
// Where a client reaches a listener: loopback for a wildcard address, else the address itself.
std::string connect_address(const Listener& l);

}  // namespace relaycheck::harness::transport
