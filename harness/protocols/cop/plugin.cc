// cop's plug-in: its dialect, timers, load pattern and fuzz knowledge, for the registry.
#include "harness/protocols/cop/plugin.h"

#include "harness/protocols/cop/dialect.h"

namespace relaycheck::harness {

using namespace std::chrono_literals;

const ProtocolPlugin& cop_plugin() {
  static const CopDialect dialect;
  static const ProtocolPlugin plugin{
      dialect,
      // cop (001): "When a client has been inactive for more than 5 minutes he is disconnected."
      {
          {"cop", "inactivity", 300s, "--inactivity-timeout"},
      },
      protocols::cop::make_load_pattern,
      protocols::cop::fuzz_hints(),
      protocols::cop::allowances(),
  };
  return plugin;
}

}  // namespace relaycheck::harness
