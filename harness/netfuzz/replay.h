#pragma once
// Replays a written finding the way a user would: the scenario file through the scenario runner,
// against a fresh target (a spawned one is launched anew; an address is the same server, best
// effort). A finding is `reproduced` only when this replay fails.
#include <cstdint>
#include <memory>
#include <string>

#include "harness/target.h"

namespace relaycheck::harness::netfuzz {

// The target a finding is replayed against, from `fuzz --target`'s spec: "spawn" (the reference
// server), "spawn:CMD" (launched per replay, as the fuzzer launched it), "profile:PATH" (`fuzz
// --profile`: its launch, or its address) or "HOST:PORT". Throws TargetError for a bad spec.
std::unique_ptr<Target> make_replay_target(const std::string& spec, std::uint64_t seed);

struct Replay {
  bool ran = false;             // the scenario was loaded and run (not an error of the harness)
  bool failed = false;          // it failed: the finding shows on replay
  std::string message;          // the first line of the runner's verdict, or why it was not run
  std::size_t failed_line = 0;  // the line of the step it failed at (0: none)
};

// Loads the scenario file at `path` (one scenario) and runs it once against `target`.
Replay replay_finding(const std::string& path, Target& target);

}  // namespace relaycheck::harness::netfuzz
