#pragma once
// The relaycheck subcommands. Each returns the process exit code: 0 nothing unexpected,
// 1 a scenario failed, 2 a usage or input error.
#include <string>
#include <vector>

#include "harness/cli/args.h"

namespace relaycheck::harness::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

int list_command(const Args& args);
int run_command(const Args& args, const std::string& command_line);
int report_command(const Args& args);
int coverage_command(const Args& args);
// Many clients against one server; 1 on any loss, corruption or error (docs/load.md).
int load_command(const Args& args);
// The network fuzzer; 1 when it found something (docs/fuzzing.md).
int fuzz_command(const Args& args, const std::string& command_line);

// The --protocol values, each checked against the known dialects (UsageError if unknown).
std::vector<std::string> protocols_arg(const std::vector<std::string>& given);

// Where scenarios are found: --scenarios, else $RELAYCHECK_SCENARIOS, else next to the binary
// (bin/../share/relaycheck/scenarios; cli/data_dirs.h).
std::string scenario_root(const std::string& from_flag);

}  // namespace relaycheck::harness::cli
