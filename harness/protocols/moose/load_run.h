#pragma once
// A moose load run (MoosePattern): N clients join the pool; the control channel rings once per
// client, so every client sees N rings, and each client takes its own; then each client and its
// end user chat both ways for the configured time, every message checked at the other end (the
// client's through the control channel's `said` events).
#include <boost/asio/ip/tcp.hpp>

#include "harness/load/run.h"
#include "harness/protocols/moose/load_pattern.h"

namespace relaycheck::harness::load {

// Throws TargetError when the target lacks the key or the control channel.
LoadOutcome run_moose_load(const Dialect& dialect, const boost::asio::ip::tcp::endpoint& server,
                           const TargetFacts& facts, const LoadConfig& config,
                           const std::function<void(const LoadStats&, double elapsed)>& on_second);

}  // namespace relaycheck::harness::load
