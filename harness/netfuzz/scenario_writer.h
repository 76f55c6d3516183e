#pragma once
// A finding as a YAML scenario that `relaycheck run --scenarios DIR` replays byte for byte: the
// writes as hex, each run of writes followed by the barrier probe and its reply (or a silence
// window where no probe fits), so the server handles the connections in the order the fuzzer
// did. It ends with the check that caught the finding: every connection still open must still
// answer (or stay open), and after a grace for a dying target to die, a fresh connection must be
// accepted and answered. On the buggy target it fails; on a fixed one it passes.
#include <optional>
#include <string>

#include "harness/netfuzz/executor.h"
#include "harness/netfuzz/fuzz_case.h"
#include "harness/protocols/dialect.h"

namespace relaycheck::harness::netfuzz {

struct FindingText {
  std::string protocol;
  std::string id;  // <protocol>.fuzz.<kind>.<n>
  FindingKind kind;
  std::string detail;      // what the oracle saw
  std::string provenance;  // e.g. "relaycheck fuzz --seed 7, case 1234"
};

struct ScenarioTiming {
  Millis silence{50};   // written where the fuzzer waited a silence window
  Millis grace{300};    // after the last writes, before the fresh connection: time to die
  Millis within{3000};  // each probe's reply
};

// Bytes as a send step's `hex:` ("49 44 0a").
std::string hex_bytes(const std::string& bytes);

// `trace` is the outcome of running `c` (which connections were answered after which writes).
// `barrier`: a fresh connection's probe, if one fits the target (Executor::barrier()).
std::string scenario_yaml(const FindingText& what, const FuzzCase& c, const Outcome& trace,
                          const std::optional<BarrierProbe>& barrier, const ScenarioTiming& timing = {});

}  // namespace relaycheck::harness::netfuzz
