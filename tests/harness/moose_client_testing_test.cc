// Client testing for moose: relaycheck plays the server (holding the key pair the profiles give)
// against the small moose test client (tests/harness/clients/moose_client.cpp). The conforming
// client passes every role: server scenario; the client made wrong with flags fails exactly the
// scenarios its profile (clients/moose-wrong-test-client.yaml) lists as known failures.
#include <gtest/gtest.h>

#include <set>

#include "harness/loader.h"
#include "harness/profile.h"
#include "harness/runner.h"
#include "harness/target_impl.h"

namespace relaycheck::harness {
namespace {

using reports::ScenarioResult;
using reports::Status;

// Every moose role: server scenario against the client `profile` launches (its own program
// path replaced by the test build's, which {bin} does not reach from a test binary).
std::vector<ScenarioResult> run_client_scenarios(const Profile& profile, const std::vector<std::string>& flags = {}) {
  const Suite suite = load_suite(RELAYCHECK_SCENARIO_DIR, {"moose"});
  std::vector<const Scenario*> list;
  for (const auto& s : suite.scenarios)
    if (s.role == "server") list.push_back(&s);
  EXPECT_GE(list.size(), 10u);
  EXPECT_EQ(profile.role, "client");
  LaunchSpec spec = *profile.launch;
  spec.command.front() = RELAYCHECK_TEST_BIN_DIR "/moose-test-client";
  spec.command.insert(spec.command.end(), flags.begin(), flags.end());
  auto target = make_client_target(spec, profile.name, profile.attributes);
  RunOptions options;
  options.jobs = 4;
  options.vars = profile.vars;
  return run_scenarios(list, suite, *target, options);
}

TEST(MooseClientTesting, ConformingClientPassesEveryClientScenario) {
  const auto results = run_client_scenarios(load_profile("moose-test-client", RELAYCHECK_SCENARIO_DIR));
  EXPECT_GE(results.size(), 10u);
  for (const auto& r : results) EXPECT_EQ(r.status, Status::pass) << r.id << ": " << r.message << "\n" << r.actual;
}

TEST(MooseClientTesting, WrongClientFailsExactlyItsListedScenarios) {
  const Profile profile =
      load_profile(RELAYCHECK_TEST_CLIENTS_DIR "/moose-wrong-test-client.yaml", RELAYCHECK_SCENARIO_DIR);
  std::set<std::string> listed;
  for (const auto& k : profile.known_failures) {
    EXPECT_FALSE(k.reason.empty()) << k.pattern;
    listed.insert(k.pattern);
  }
  ASSERT_EQ(listed.size(), 4u);
  std::set<std::string> failed;
  for (const auto& r : run_client_scenarios(profile)) {
    if (r.status == Status::fail)
      failed.insert(r.id);
    else
      EXPECT_EQ(r.status, Status::pass) << r.id << ": " << r.message;
  }
  EXPECT_EQ(failed, listed);
}

TEST(MooseClientTesting, ClientThatAddressesItsPacketsToAClientFailsEveryScenario) {
  // 1.2: the 'to' attribute lets the server drop bounces; a client whose packets say "client"
  // has every packet dropped, so every scenario fails at the client's first packet, its key.
  const auto results =
      run_client_scenarios(load_profile("moose-test-client", RELAYCHECK_SCENARIO_DIR), {"--to-client"});
  ASSERT_FALSE(results.empty());
  for (const auto& r : results) {
    EXPECT_EQ(r.status, Status::fail) << r.id;
    EXPECT_NE(r.message.find("addressed to the server"), std::string::npos) << r.id << ": " << r.message;
  }
}

TEST(MooseClientTesting, PlayingTheServerWithoutItsKeyPairIsAClearError) {
  Profile profile = load_profile("moose-test-client", RELAYCHECK_SCENARIO_DIR);
  profile.attributes.clear();
  const Suite suite = load_suite(RELAYCHECK_SCENARIO_DIR, {"moose"});
  const Scenario* key = nullptr;
  for (const auto& s : suite.scenarios)
    if (s.id == "moose.client.key-on-start-up") key = &s;
  ASSERT_NE(key, nullptr);
  LaunchSpec spec = *profile.launch;
  spec.command.front() = RELAYCHECK_TEST_BIN_DIR "/moose-test-client";
  auto target = make_client_target(spec, profile.name, profile.attributes);
  RunOptions options;
  options.vars = profile.vars;
  const auto r = run_scenario(*key, suite, *target, options);
  EXPECT_EQ(r.status, Status::error);
  EXPECT_NE(r.message.find("private-key-pem"), std::string::npos) << r.message;
}

}  // namespace
}  // namespace relaycheck::harness
