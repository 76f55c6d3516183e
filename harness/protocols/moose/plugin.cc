// moose's plug-in: its dialect, timers, load pattern and fuzz knowledge, for the registry.
#include "harness/protocols/moose/plugin.h"

#include "harness/protocols/moose/dialect.h"

namespace relaycheck::harness {

using namespace std::chrono_literals;

const ProtocolPlugin& moose_plugin() {
  static const MooseDialect dialect;
  static const netfuzz::ProtocolHints generic_hints;  // the fuzzer's generic answers suffice
  static const ProtocolPlugin plugin{
      dialect,
      // moose (000): "'probe' commands are sent from the server if the client has not sent a command
      // for a certain period of time (default is 7 seconds). Upon receiving a 'probe' the client
      // should respond with a 'probeACK' within (default 3) seconds". The ring timeout is this
      // project's decision (a ring no one accepts; docs/protocols/moose.md).
      {
          {"moose", "probe_after", 7s, "--probe-after"},
          {"moose", "probe_timeout", 3s, "--probe-timeout"},
          {"moose", "ring_timeout", 60s, "--ring-timeout"},
      },
      protocols::moose::make_load_pattern,
      generic_hints,
      {},
      "its replies are sealed to each connection's key (RSA-OAEP, random padding), which the network fuzzer "
      "does not hold: the target's and the reference engine's never compare equal",
  };
  return plugin;
}

}  // namespace relaycheck::harness
