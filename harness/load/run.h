#pragma once
// A whole load run against one listening server: N clients on one io_context, traffic for the
// configured time, then a drain for the deliveries still in flight, then the verdict.
#include <functional>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>

#include "harness/load/client.h"
#include "harness/load/stats.h"
#include "proto/common/address.h"

namespace relaycheck::harness::load {

struct LoadOutcome {
  LoadStats stats;
  double traffic_seconds = 0;   // from the first send to the end of sending
  double setup_seconds = 0;     // connecting, logging in and joining, all clients
  bool setup_complete = false;  // every client got through setup
};

// What the target publishes besides its address (a server's public key, a control channel that
// plays end users); nothing by default.
struct TargetFacts {
  std::function<std::optional<std::string>(const std::string&)> attribute = [](const std::string&) {
    return std::optional<std::string>();
  };
  std::function<std::optional<proto::HostPort>(const std::string&)> channel = [](const std::string&) {
    return std::optional<proto::HostPort>();
  };
};

// `on_second` is called about once a second while traffic runs (the live status line).
// Throws DialectError when the pattern's frames do not encode (a bug, not a result).
LoadOutcome run_load(const Pattern& pattern, const Dialect& dialect, const boost::asio::ip::tcp::endpoint& server,
                     const LoadConfig& config, const std::function<void(const LoadStats&, double elapsed)>& on_second);
LoadOutcome run_load(const Pattern& pattern, const Dialect& dialect, const boost::asio::ip::tcp::endpoint& server,
                     const TargetFacts& facts, const LoadConfig& config,
                     const std::function<void(const LoadStats&, double elapsed)>& on_second);

}  // namespace relaycheck::harness::load
