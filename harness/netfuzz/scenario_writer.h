#pragma once
// A finding as a YAML scenario that `relaycheck run --scenarios DIR` replays byte for byte: the
// writes as hex, each run of writes followed by the barrier probe and its reply (so the server
// handles the connections in the order the fuzzer did), and at the end every connection must
// still answer. On the buggy target it fails; on a fixed one it passes.
#include <optional>
#include <string>

#include "harness/dialects/dialect.h"
#include "harness/netfuzz/executor.h"
#include "harness/netfuzz/fuzz_case.h"

namespace relaycheck::harness::netfuzz {

struct FindingText {
  std::string protocol;
  std::string id;  // <protocol>.fuzz.<kind>.<n>
  FindingKind kind;
  std::string detail;      // what the oracle saw
  std::string provenance;  // e.g. "relaycheck fuzz --seed 7, case 1234"
};

// `trace` is the outcome of running `c` (which connections were answered after which writes).
std::string scenario_yaml(const FindingText& what, const FuzzCase& c, const Outcome& trace,
                          const std::optional<BarrierProbe>& barrier);

}  // namespace relaycheck::harness::netfuzz
