// saxion's plug-in: its dialect, timers, load pattern and fuzz knowledge, for the registry.
#include "harness/protocols/saxion/plugin.h"

#include "harness/protocols/saxion/dialect.h"

namespace relaycheck::harness {

using namespace std::chrono_literals;

const ProtocolPlugin& saxion_plugin() {
  static const SaxionDialect dialect;
  static const ProtocolPlugin plugin{
      dialect,
      // saxion (002): the spec gives neither ("PING: Periodic ping sent to the client to check
      // connectivity"; Unhappy Flow "S:PING S:DSCN Pong timeout"): decisions, docs/protocols/saxion.md.
      {
          {"saxion", "ping_interval", 10s, "--ping-interval"},  // from login, then from each PING
          {"saxion", "pong_timeout", 3s, "--pong-timeout"},     // PING unanswered -> DSCN Pong timeout
      },
      protocols::saxion::make_load_pattern,
      protocols::saxion::fuzz_hints(),
      protocols::saxion::allowances(),
  };
  return plugin;
}

}  // namespace relaycheck::harness
