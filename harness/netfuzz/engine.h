#pragma once
// The network fuzzing loop: seeds in, cases out, findings minimised and written as scenarios.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "harness/netfuzz/executor.h"

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
  double minimise_s = 60;  // time budget per finding's minimisation
  std::size_t cases_per_session = 8;  // cases run one after another over the same connections
};

struct Finding {
  std::string id;
  FindingKind kind;
  std::string detail;
  std::string path;  // the scenario file
  std::size_t frames = 0, bytes = 0;
  std::uint64_t found_at_case = 0;
  double found_after_s = 0;  // since the run started, before minimising
  bool reproduced = false;   // minimised, and its written case showed it again when re-run
};

struct FuzzStats {
  std::uint64_t cases = 0, frames = 0, sessions = 0;
  std::size_t states = 0, seeds = 0, pool = 0;
  int target_starts = 0;
  double seconds = 0;
  std::vector<Finding> findings;
};

// Runs until the duration, case or finding limit; `on_progress` is called after every case.
// Throws TargetError when the target cannot be started or reached at all.
FuzzStats run_fuzz(const FuzzOptions& options, const std::function<void(const FuzzStats&)>& on_progress);

}  // namespace relaycheck::harness::netfuzz
