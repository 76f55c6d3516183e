#pragma once
// Everything the harness knows of one protocol, gathered in harness/protocols/<id>/: its dialect,
// its named spec timers, its load pattern, and the network fuzzer's hints and allowances. The
// registry (registry.h) lists the plug-ins; run, load, fuzz, coverage and list ask it, never a
// protocol's name.
#include <memory>
#include <string>
#include <vector>

#include "harness/load/pattern.h"
#include "harness/protocols/allowance.h"
#include "harness/protocols/dialect.h"
#include "harness/protocols/fuzz_hints.h"
#include "harness/timers.h"

namespace relaycheck::harness {

struct ProtocolPlugin {
  const Dialect& dialect;  // its protocol() is the plug-in's id
  // The durations scenarios name as ${<id>.<name>}; empty for a protocol without timers.
  std::vector<NamedTimer> timers;
  // `relaycheck load`'s traffic; nullptr: the protocol has no load pattern.
  std::unique_ptr<load::Pattern> (*load_pattern)() = nullptr;
  // The network fuzzer: which reply ends login, a reply's kind for the state map.
  const netfuzz::ProtocolHints& fuzz_hints;
  // What the spec (or a decision) leaves open, for the differential oracle.
  std::vector<netfuzz::Allowance> allowances;
  // Why the target's replies cannot be compared with the reference engine's (fuzz --differential
  // refuses the protocol); nullptr where they can.
  const char* not_comparable = nullptr;

  std::string id() const { return dialect.protocol(); }
};

}  // namespace relaycheck::harness
