#pragma once
// A deviation finding as a YAML scenario that expects the reference engine's replies: the case's
// writes (hex, each its own send step) with the barrier probes the fuzzer wrote, and after each
// run of writes every frame the reference sent for it, on every connection, in order (a reply
// the spec allows either way accepts the target's answer too), its closes as expect_close, and
// at the end `quiet` on every connection still open. It passes on the reference server and fails
// on a target that deviates.
#include <string>

#include "harness/netfuzz/differential.h"
#include "harness/netfuzz/executor.h"
#include "harness/netfuzz/fuzz_case.h"
#include "harness/netfuzz/reference_run.h"
#include "harness/netfuzz/scenario_writer.h"

namespace relaycheck::harness::netfuzz {

// `trace`: the target's run of `c`; `reference`: the reference's; `comparison`: what they made of it.
// The expect of the deviation's reply, when it has one, ends with kDeviationMark.
std::string deviation_scenario_yaml(const FindingText& what, const FuzzCase& c, const Outcome& trace,
                                    const ReferenceRun& reference, const Comparison& comparison);

inline constexpr const char* kDeviationMark = "  # the deviation";

// The 1-based line of the step marked as the deviation in `yaml`, or 0 when none is marked (a
// reply too many, a close: what shows it is a later step).
std::size_t deviation_step_line(const std::string& yaml);

}  // namespace relaycheck::harness::netfuzz
