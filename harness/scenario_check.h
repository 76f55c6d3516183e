#pragma once
// Checks made when a suite is loaded, not when a scenario runs, through includes: every step's
// connection was opened by an earlier step and is not opened twice; connect and accept fit the
// scenario's role; a channel is the protocol's; includes do not nest forever. (The loader itself
// checks patterns and durations.) A bad file is then an input error (file:line:column) before
// anything runs.
#include "harness/scenario.h"

namespace relaycheck::harness {

// Throws ScenarioError at the first step that breaks a rule.
void check_references(const Suite& suite);

}  // namespace relaycheck::harness
