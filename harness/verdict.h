#pragma once
// Turning raw results into verdicts: reruns of failures (flaky) and a profile's known failures
// (xfail / xpass).
#include <vector>

#include "harness/profile.h"
#include "harness/runner.h"

namespace relaycheck::harness {

// Reruns each failed or errored scenario up to `times` times; one that then passes is `flaky`,
// with the first failure kept in its message.
void rerun_failures(std::vector<reports::ScenarioResult>& results, const std::vector<const Scenario*>& scenarios,
                    const Suite& suite, Target& target, const RunOptions& options, int times);

// A listed scenario that fails is `xfail`, one that passes is `xpass`; the reason is kept.
void apply_known_failures(std::vector<reports::ScenarioResult>& results, const Profile& profile);

}  // namespace relaycheck::harness
