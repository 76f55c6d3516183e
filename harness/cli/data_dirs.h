#pragma once
// Where relaycheck's data (the built-in scenarios, the profiles under them, the requirement
// lists) is found. No absolute path is compiled in, so an installed tree or .deb can move.
#include <string>
#include <vector>

namespace relaycheck::harness::cli {

// The places the built-in scenario root is looked for, in order:
//   $RELAYCHECK_SCENARIOS, when set and not empty (taken as it is, even if missing);
//   <dir of the executable>/<RELAYCHECK_DATA_REL>/scenarios  (installed: bin/../share/relaycheck;
//     the build tree has build/share/relaycheck/scenarios linked to the source tree's);
//   <dir of the executable>/../../scenarios                   (a build dir inside the source tree).
std::vector<std::string> scenario_root_candidates(const std::string& exe_dir);

// The first candidate that is a directory (the environment's always wins); UsageError naming
// every place tried when none is.
std::string default_scenario_root();

// The directory of the running executable (/proc/self/exe), "" when unknown.
std::string executable_dir();

}  // namespace relaycheck::harness::cli
