#include "harness/verdict.h"

namespace relaycheck::harness {

using reports::Status;

void rerun_failures(std::vector<reports::ScenarioResult>& results, const std::vector<const Scenario*>& scenarios,
                    const Suite& suite, Target& target, const RunOptions& options, int times) {
  for (std::size_t i = 0; i < results.size(); ++i) {
    auto& r = results[i];
    if (r.status != Status::fail && r.status != Status::error) continue;
    for (int attempt = 1; attempt <= times; ++attempt) {
      auto again = run_scenario(*scenarios[i], suite, target, options);
      if (again.status == Status::pass) {
        again.status = Status::flaky;
        again.message = "passed on rerun " + std::to_string(attempt) + " after: " + r.message;
        r = std::move(again);
        break;
      }
    }
  }
}

void apply_known_failures(std::vector<reports::ScenarioResult>& results, const Profile& profile) {
  for (auto& r : results) {
    const KnownFailure* known = profile.known_failure(r.id);
    if (!known) continue;
    if (r.status == Status::fail) {
      r.status = Status::xfail;
      r.message = "known failure (" + known->reason + "): " + r.message;
    } else if (r.status == Status::pass || r.status == Status::flaky) {
      r.status = Status::xpass;
      r.message = "listed as a known failure (" + known->reason + ", " + known->at.str() + ") but passed";
    }
  }
}

}  // namespace relaycheck::harness
