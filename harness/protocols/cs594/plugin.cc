// cs594's plug-in: its dialect, timers, load pattern and fuzz knowledge, for the registry.
#include "harness/protocols/cs594/plugin.h"

#include "harness/protocols/cs594/dialect.h"

namespace relaycheck::harness {

using namespace std::chrono_literals;

const ProtocolPlugin& cs594_plugin() {
  static const Cs594Dialect dialect;
  static const ProtocolPlugin plugin{
      dialect,
      // cs594 (003): "A heartbeat should be sent back and forth between the server and all connected
      // clients every second. If a heartbeat has not been responded to within 5 seconds, the
      // connection is considered to be disconnected."
      {
          {"cs594", "heartbeat_interval", 1s, "--heartbeat-interval"},
          {"cs594", "heartbeat_timeout", 5s, "--heartbeat-timeout"},
      },
      protocols::cs594::make_load_pattern,
      protocols::cs594::fuzz_hints(),
      protocols::cs594::allowances(),
  };
  return plugin;
}

}  // namespace relaycheck::harness
