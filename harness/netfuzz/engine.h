#pragma once
// The network fuzzing loop: seeds in, cases out, findings minimised and written as scenarios.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/barrier.h"
#include "harness/match.h"
#include "harness/netfuzz/executor.h"
#include "harness/target.h"

namespace relaycheck::harness::netfuzz {

struct FuzzOptions {
  std::string protocol;
  std::string target;         // HOST:PORT, spawn or spawn:CMD
  std::string scenario_root;  // where the seed scenarios are
  std::string out_dir;        // findings: <out_dir>/<protocol>/fuzz-<kind>-<n>.yaml
  std::uint64_t seed = 0;
  double duration_s = 60;
  std::uint64_t max_cases = 0;     // 0: no limit
  std::uint64_t max_findings = 0;  // distinct findings to stop after; 0: no limit
  bool minimise = true;
  double minimise_s = 60;             // time budget per finding's minimisation
  std::size_t cases_per_session = 8;  // cases run one after another over the same connections
  // Workers, each with its own target instance and seed stream (worker_seed), sharing the states
  // reached and the findings (shared_run.h).
  std::size_t jobs = 1;
  // probe: barrier probes where the dialect has them, each kind switched to a silence window
  // when it does not fit the target; silence: never a probe (a profile's `barrier: silence`).
  BarrierMode barrier = BarrierMode::probe;
  bool replay = true;  // replay each written finding against a fresh target before reporting it
  // Each case also runs through the reference engine in-process and the replies are compared
  // (differential.h): a difference is a `deviation` finding. `strict`: decision-tier differences
  // count too. `wording`: a profile's choice for human-readable text.
  bool differential = false;
  bool strict = false;
  Wording wording = Wording::exact;
  // The target findings are replayed against; unset: made from `target` (make_replay_target).
  std::function<std::unique_ptr<Target>()> replay_target;
};

struct Finding {
  std::string id;
  FindingKind kind;
  std::string detail;
  std::string path;  // the scenario file
  std::size_t frames = 0, bytes = 0;
  std::uint64_t found_at_case = 0;
  double found_after_s = 0;  // since the run started, before minimising
  // The written scenario failed when replayed by the scenario runner against a fresh target
  // (a deviation: at the step that expects the differing reply, deviation_line, when it has one).
  bool reproduced = false;
  std::size_t deviation_line = 0;
  std::string replay;          // the replay's verdict ("fail: target crashed: ..."), or why none was made
  std::size_t duplicates = 0;  // later findings that were this one again (same signature or minimised writes)
};

struct FuzzStats {
  std::uint64_t cases = 0, frames = 0, sessions = 0;
  std::size_t states = 0, seeds = 0, pool = 0;
  int target_starts = 0;
  double seconds = 0;
  std::vector<Finding> findings;
  std::size_t duplicates = 0;  // findings dropped as the same as an earlier one
  // Deviations not reported: the case did not show them again, or the written scenario did not
  // fail on the target and pass on the reference (a timing artefact, not the target's answer).
  std::map<std::string, std::size_t> unconfirmed_signatures;  // each such deviation's signature, how often
  std::size_t unconfirmed() const;                            // their total
  // Probe kinds switched to silence windows (each once, with why) and the windows used.
  std::size_t barrier_switches = 0;
  std::size_t heartbeats_answered = 0;  // server heartbeats answered as a conforming client does
  std::vector<std::string> barrier_notes;
};

// Runs until the duration, case or finding limit; `on_progress` is called after every case.
// Throws TargetError when the target cannot be started or reached at all.
FuzzStats run_fuzz(const FuzzOptions& options, const std::function<void(const FuzzStats&)>& on_progress);

}  // namespace relaycheck::harness::netfuzz
