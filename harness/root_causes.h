#pragma once
// Root causes: failures that stop at the same step of a shared fragment (a step reached through
// `include`), for the same reason, are one root cause. Say a login fragment's JOINED never comes:
// every scenario that includes it fails there, and the report names that step once instead of
// tens of failures with one message.
#include <string>
#include <vector>

#include "harness/match.h"
#include "reports/result.h"

namespace relaycheck::harness {

// `text` with the values of a scenario run's variables replaced by ${name}, so two runs that
// differ only in their own names (${uniq}, ${scenario}, captures, a fragment's `with:`) compare
// equal. A value of 3 or more characters is masked wherever it occurs, longest first; a shorter
// one only as a whole word (not inside "FAIL02"), so no two different failures look the same,
// and never when it is all letters: a ${uniq2} of "on" would mask a word of the message.
std::string mask_run_names(const std::string& text, const Vars& vars);

// Sets blocked_by on every `fail` result whose failed_at was reached through an include and is
// shared, with the same failed_why, by at least one other failed result. Run it after reruns and
// known failures are applied: a flaky or expected failure blocks nothing.
void group_root_causes(std::vector<reports::ScenarioResult>& results);

}  // namespace relaycheck::harness
