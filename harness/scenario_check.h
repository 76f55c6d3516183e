#pragma once
// Checks made when a suite is loaded, not when a scenario runs: every step's connection was
// opened by an earlier step (through includes), and every pattern form ($regex, ...) exists.
// A bad file is then an input error (file:line:column) before anything runs.
#include "harness/scenario.h"

namespace relaycheck::harness {

// Throws ScenarioError at the first step that breaks a rule.
void check_references(const Suite& suite);

}  // namespace relaycheck::harness
