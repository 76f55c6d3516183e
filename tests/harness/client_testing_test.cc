// Client testing for cop and psuirc: relaycheck plays the server against the small test clients
// (tests/harness/clients/). The conforming client passes every role: server scenario of its
// protocol; a client made wrong with a flag fails exactly the scenarios that catch that fault.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "harness/loader.h"
#include "harness/profile.h"
#include "harness/runner.h"
#include "harness/target_impl.h"

namespace relaycheck::harness {
namespace {

using reports::ScenarioResult;
using reports::Status;

// Runs every role: server scenario of `protocol` against <protocol>-test-client with `flags`,
// typing what scenarios/profiles/<protocol>-test-client.yaml says its user types.
std::vector<ScenarioResult> run_client_scenarios(const std::string& protocol, const std::vector<std::string>& flags) {
  const Suite suite = load_suite(RELAYCHECK_SCENARIO_DIR, {protocol});
  std::vector<const Scenario*> list;
  for (const auto& s : suite.scenarios)
    if (s.role == "server") list.push_back(&s);
  EXPECT_GE(list.size(), 5u);
  const Profile profile = load_profile(protocol + "-test-client", RELAYCHECK_SCENARIO_DIR);
  EXPECT_EQ(profile.role, "client");
  LaunchSpec spec;
  spec.command = {RELAYCHECK_TEST_BIN_DIR "/" + protocol + "-test-client", "--port", "{port}", "--name", "tester"};
  spec.command.insert(spec.command.end(), flags.begin(), flags.end());
  auto target = make_client_target(spec, protocol + " test client");
  EXPECT_TRUE(target->plays_server());
  RunOptions options;
  options.jobs = 4;
  options.vars = profile.vars;
  return run_scenarios(list, suite, *target, options);
}

void expect_all_pass(const std::vector<ScenarioResult>& results) {
  EXPECT_FALSE(results.empty());
  for (const auto& r : results) EXPECT_EQ(r.status, Status::pass) << r.id << ": " << r.message << "\n" << r.actual;
}

// Exactly the scenarios in `failing` fail (each with `expected` mentioning `what`); the rest pass.
void expect_fails_exactly(const std::vector<ScenarioResult>& results, const std::set<std::string>& failing,
                          const std::string& what) {
  std::set<std::string> failed;
  for (const auto& r : results) {
    if (failing.count(r.id)) {
      EXPECT_EQ(r.status, Status::fail) << r.id << " should have failed";
      EXPECT_NE(r.expected.find(what), std::string::npos) << r.id << ": expected " << r.expected << "; " << r.message;
      failed.insert(r.id);
    } else {
      EXPECT_EQ(r.status, Status::pass) << r.id << ": " << r.message << "\n" << r.actual;
    }
  }
  EXPECT_EQ(failed, failing);
}

TEST(CopClientTesting, ConformingClientPassesEveryClientScenario) {
  const auto results = run_client_scenarios("cop", {});
  EXPECT_GE(results.size(), 5u);
  expect_all_pass(results);
}

TEST(CopClientTesting, ClientThatSpoofsItsSenderFails) {
  // The sender field of 4 and 5 must be the logged-in nickname (2.3; the server rejects a spoof).
  expect_fails_exactly(run_client_scenarios("cop", {"--spoof-sender"}),
                       {"cop.client.public-message", "cop.client.public-message-utf8", "cop.client.private-message"},
                       "\"sender\":\"tester\"");  // the report fills in ${me}
}

TEST(PsuircClientTesting, ConformingClientPassesEveryClientScenario) {
  const auto results = run_client_scenarios("psuirc", {});
  EXPECT_GE(results.size(), 5u);
  expect_all_pass(results);
}

TEST(PsuircClientTesting, ClientThatClosesWithoutExitFails) {
  expect_fails_exactly(run_client_scenarios("psuirc", {"--no-exit"}),
                       {"psuirc.client.exit-before-close", "psuirc.client.exit-ends-client"}, "[Ee][Xx][Ii][Tt]");
}

TEST(PsuircClientTesting, ClientThatDoesNotSendItsUsernameFirstFails) {
  // A psuirc server sends nothing on connect; a client waiting to be prompted never logs in, so
  // every scenario fails, the first one at the username itself.
  const auto results = run_client_scenarios("psuirc", {"--no-username-first"});
  ASSERT_FALSE(results.empty());
  for (const auto& r : results) EXPECT_EQ(r.status, Status::fail) << r.id;
  const auto it = std::find_if(results.begin(), results.end(),
                               [](const ScenarioResult& r) { return r.id == "psuirc.client.username-first"; });
  ASSERT_NE(it, results.end());
  EXPECT_NE(it->message.find("no frame arrived"), std::string::npos) << it->message;
  EXPECT_EQ(it->actual, "nothing");
}

TEST(Cs594ClientTesting, ConformingClientPassesEveryClientScenario) {
  const auto results = run_client_scenarios("cs594", {});
  EXPECT_GE(results.size(), 6u);
  expect_all_pass(results);
}

TEST(Cs594ClientTesting, ClientThatNeverSendsHeartbeatFails) {
  // Heart Beat: the client sends {"op": 8} every second. Only the heartbeat scenarios notice a
  // silent client; every other one finishes before the first beat is due.
  expect_fails_exactly(run_client_scenarios("cs594", {"--no-heartbeat"}),
                       {"cs594.client.heartbeat-every-second", "cs594.client.heartbeat-while-idle"}, "{\"op\":8}");
}

}  // namespace
}  // namespace relaycheck::harness
