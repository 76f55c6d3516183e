#pragma once
// How the per-protocol runner tests run a suite and read its results, written once for all of
// them.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/loader.h"
#include "harness/runner.h"

namespace relaycheck::testing {

// The suite's client scenarios (the role: server ones test clients, in client_testing_test), or
// only the one with id `only`; `skip_slow` leaves out those tagged slow (not run, no result).
inline std::vector<reports::ScenarioResult> run_client_scenarios(const harness::Suite& suite, harness::Target& target,
                                                                 int jobs = 1, const std::string& only = "",
                                                                 bool skip_slow = false,
                                                                 harness::Wording wording = harness::Wording::exact) {
  std::vector<const harness::Scenario*> list;
  for (const auto& s : suite.scenarios) {
    if (s.role != "client" || (!only.empty() && s.id != only)) continue;
    if (skip_slow && std::find(s.tags.begin(), s.tags.end(), "slow") != s.tags.end()) continue;
    list.push_back(&s);
  }
  harness::RunOptions options;
  options.jobs = jobs;
  options.wording = wording;
  return harness::run_scenarios(list, suite, target, options);
}

inline const reports::ScenarioResult& find_result(const std::vector<reports::ScenarioResult>& results,
                                                  const std::string& id) {
  for (const auto& r : results)
    if (r.id == id) return r;
  throw std::runtime_error("no result for " + id);
}

// The ids of the scenarios that did not pass; a skip is not a failure.
inline std::set<std::string> failing_ids(const std::vector<reports::ScenarioResult>& results) {
  std::set<std::string> ids;
  for (const auto& r : results)
    if (r.status != reports::Status::pass && r.status != reports::Status::skip) ids.insert(r.id);
  return ids;
}

// At least `at_least` results, and every one passed.
inline void expect_all_pass(const std::vector<reports::ScenarioResult>& results, std::size_t at_least) {
  ASSERT_GE(results.size(), at_least);
  for (const auto& r : results)
    EXPECT_EQ(r.status, reports::Status::pass) << r.id << ": " << r.message << "\n" << r.actual;
}

}  // namespace relaycheck::testing
