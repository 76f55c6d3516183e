#pragma once
// The built-in suite with a user's own scenario files added (run/list --scenarios PATH): the
// added scenarios join the suite and may include the built-in fragments (login, ...).
#include <string>
#include <vector>

#include "harness/scenario.h"

namespace relaycheck::harness {

// `added`: .yaml/.yml files, or directories searched (recursively, profiles/ left out) for
// them. Added scenarios of a protocol not in `protocols` (when it is not empty) are dropped.
// Every file is checked as the built-in ones are, ScenarioError naming file:line:column.
Suite load_suite_with(const std::string& root, const std::vector<std::string>& protocols,
                      const std::vector<std::string>& added);

}  // namespace relaycheck::harness
