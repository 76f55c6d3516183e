// psuirc's plug-in: its dialect, timers, load pattern and fuzz knowledge, for the registry.
#include "harness/protocols/psuirc/plugin.h"

#include "harness/protocols/psuirc/dialect.h"

namespace relaycheck::harness {

using namespace std::chrono_literals;

const ProtocolPlugin& psuirc_plugin() {
  static const PsuircDialect dialect;
  static const ProtocolPlugin plugin{
      dialect,
      // psuirc (004) has no timers.
      {},
      protocols::psuirc::make_load_pattern,
      protocols::psuirc::fuzz_hints(),
      protocols::psuirc::allowances(),
  };
  return plugin;
}

}  // namespace relaycheck::harness
