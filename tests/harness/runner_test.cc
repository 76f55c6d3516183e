// The runner against the real saxion suite: it passes the reference server (in-process and
// spawned) and fails servers that are wrong in one way each; plus runner semantics on small
// inline scenarios.
#include <gtest/gtest.h>

#include <sstream>

#include "faulty_engine.h"
#include "harness/loader.h"
#include "harness/runner.h"
#include "harness/target_impl.h"
#include "harness/transport/process.h"
#include "harness/verdict.h"
#include "reports/writers.h"
#include "suite_run.h"

namespace relaycheck::harness {
namespace {

using testing::expect_all_pass;
using testing::find_result;
using testing::run_client_scenarios;

using reports::ScenarioResult;
using reports::Status;

// The reference engine with one fault, in-process.
class FaultyTarget final : public Target {
 public:
  explicit FaultyTarget(std::string fault) : fault_(std::move(fault)) {}
  std::string describe() const override { return "faulty:" + fault_; }
  void check(const std::string&) override {}
  std::unique_ptr<Transport> connect(const std::string& protocol) override {
    return make_inprocess_transport(std::make_unique<testing::FaultyEngine>(
        proto::find_protocol(protocol)->make_engine({}), *testing::saxion_fault(fault_)));
  }
  bool isolated() const override { return true; }

 private:
  std::string fault_;
};

Suite real_suite() { return load_suite(RELAYCHECK_SCENARIO_DIR, {"saxion"}); }

std::string text_report(const std::vector<ScenarioResult>& results) {
  reports::RunResult run;
  run.results = results;
  std::ostringstream out;
  reports::write_text(run, out, false);
  return out.str();
}

TEST(RunnerSuite, ReferenceServerPassesInProcess) {
  const Suite suite = real_suite();
  auto target = make_target("inprocess", {});
  expect_all_pass(run_client_scenarios(suite, *target), 40);
}

TEST(RunnerSuite, ReferenceServerPassesSpawned) {
  const Suite suite = real_suite();
  TargetOptions options;
  options.server_binary = RELAYCHECK_BIN_DIR "/relaycheck-server";
  auto target = make_target("spawn", options);
  expect_all_pass(run_client_scenarios(suite, *target, 8), 40);
}

TEST(RunnerSuite, WrongFailCodeIsCaughtAndNamesTheRequirement) {
  const Suite suite = real_suite();
  FaultyTarget target("wrong-fail-code");
  const auto results = run_client_scenarios(suite, target);
  const auto& r = find_result(results, "saxion.ident.name-taken");
  ASSERT_EQ(r.status, Status::fail);
  EXPECT_NE(r.expected.find("FAIL01"), std::string::npos) << r.expected;
  EXPECT_NE(r.actual.find("FAIL02"), std::string::npos) << r.actual;
  const std::string report = text_report(results);
  EXPECT_NE(report.find("FAIL  saxion.ident.name-taken"), std::string::npos) << report;
  EXPECT_NE(report.find("requirement: " + r.requirement), std::string::npos) << report;
  // Scenarios that never meet FAIL01 are unaffected.
  EXPECT_EQ(find_result(results, "saxion.broadcast.three-clients").status, Status::pass);
}

TEST(RunnerSuite, DroppedReplyIsCaught) {
  const Suite suite = real_suite();
  FaultyTarget target("drop-reply");
  const auto results = run_client_scenarios(suite, target);
  const auto& r = find_result(results, "saxion.broadcast.three-clients");
  ASSERT_EQ(r.status, Status::fail);
  EXPECT_NE(r.expected.find("OK BCST"), std::string::npos) << r.expected;
  EXPECT_FALSE(r.transcript.empty());
}

TEST(RunnerSuite, ExtraFrameIsCaughtByQuiet) {
  const Suite suite = real_suite();
  FaultyTarget target("extra-frame");
  const auto& r = find_result(run_client_scenarios(suite, target), "saxion.ident.joined-not-to-unidentified");
  ASSERT_EQ(r.status, Status::fail);
  EXPECT_NE(r.message.find("expected nothing more"), std::string::npos) << r.message;
  EXPECT_NE(r.actual.find("JOINED"), std::string::npos) << r.actual;
}

// A faulty server over TCP: one shared server, so one scenario per run.
class FaultyServer {
 public:
  explicit FaultyServer(const std::string& fault)
      : child_({RELAYCHECK_TEST_BIN_DIR "/faulty-saxion-server", "--fault", fault}) {
    auto line = child_.read_line(std::chrono::seconds(5));
    if (!line || line->rfind("listening on ", 0) != 0) throw std::runtime_error("faulty server did not start");
    address_ = line->substr(13);
  }
  const std::string& address() const { return address_; }

 private:
  ChildProcess child_;
  std::string address_;
};

TEST(RunnerNetwork, WrongFailCodeOverTcp) {
  const Suite suite = real_suite();
  FaultyServer server("wrong-fail-code");
  auto target = make_target(server.address(), {});
  target->check("saxion");
  const auto results = run_client_scenarios(suite, *target, 1, "saxion.ident.name-taken");
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, Status::fail) << results[0].message;
  EXPECT_NE(results[0].actual.find("FAIL02"), std::string::npos) << results[0].actual;
}

TEST(RunnerNetwork, ExtraFrameOverTcpIsCaughtByTheBarrier) {
  const Suite suite = real_suite();
  FaultyServer server("extra-frame");
  auto target = make_target(server.address(), {});
  const auto results = run_client_scenarios(suite, *target, 1, "saxion.ident.joined-not-to-unidentified");
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, Status::fail);
  EXPECT_NE(results[0].message.find("expected nothing more"), std::string::npos) << results[0].message;
}

TEST(RunnerNetwork, UnreachableAddressIsATargetError) {
  auto target = make_target("127.0.0.1:1", {});
  EXPECT_THROW(target->check("saxion"), TargetError);
}

// Small inline scenarios for the runner's own semantics.
class InlineScenario : public ::testing::Test {
 protected:
  ScenarioResult run(const std::string& steps_yaml) {
    suite_ = Suite{};
    load_text(
        "protocol: saxion\nfragments:\n  login:\n"
        "    - connect: ${who}\n"
        "    - expect: {on: \"${who}\", frame: {cmd: INIT}}\n"
        "    - send: {on: \"${who}\", frame: \"IDENT ${who}\"}\n"
        "    - expect: {on: \"${who}\", frame: \"OK IDENT ${who}\"}\n"
        // these steps expect the server's PINGs themselves (the runner answers them elsewhere)
        "scenarios:\n  - id: saxion.test.inline\n    spec: t\n    requirement: r\n    level: must\n"
        "    tags: [heartbeat]\n    steps:\n      - take_heartbeats: [a, alice, bob]\n" +
            steps_yaml,
        "inline.yaml", suite_);
    auto target = make_target("inprocess", {});
    return run_scenario(suite_.scenarios.at(0), suite_, *target, RunOptions{});
  }
  Suite suite_;
};

TEST_F(InlineScenario, CaptureOnOneConnectionIsUsedOnAnother) {
  const auto r =
      run("      - include: {fragment: login, with: {who: alice}}\n"
          "      - include: {fragment: login, with: {who: bob}}\n"
          "      - expect: {on: alice, frame: {cmd: JOINED, args: {$capture: newcomer}}}\n"
          "      - send: {on: alice, frame: \"PM ${newcomer} hello\"}\n"
          "      - expect: {on: bob, frame: \"NPM alice hello\"}\n"
          "      - expect: {on: alice, frame: \"OK PM bob hello\"}\n");
  EXPECT_EQ(r.status, Status::pass) << r.message;
}

TEST_F(InlineScenario, VirtualTimeReachesTimersWithinTheWait) {
  EXPECT_EQ(run("      - include: {fragment: login, with: {who: alice}}\n"
                "      - expect: {on: alice, frame: PING, within: 11s}\n")
                .status,
            Status::pass);
  const auto r =
      run("      - include: {fragment: login, with: {who: alice}}\n"
          "      - expect: {on: alice, frame: PING, within: 5s}\n");
  EXPECT_EQ(r.status, Status::fail);
  EXPECT_NE(r.message.find("within 5000ms"), std::string::npos) << r.message;
}

TEST_F(InlineScenario, QuietFailsOnAnUnreadFrame) {
  const auto r =
      run("      - include: {fragment: login, with: {who: alice}}\n"
          "      - include: {fragment: login, with: {who: bob}}\n"
          "      - quiet: alice\n");
  EXPECT_EQ(r.status, Status::fail);
  EXPECT_NE(r.actual.find("JOINED bob"), std::string::npos) << r.actual;
}

TEST_F(InlineScenario, ExpectCloseFailsWhenAFrameComesFirst) {
  const auto r =
      run("      - connect: a\n"
          "      - expect_close: a\n");
  EXPECT_EQ(r.status, Status::fail);
  EXPECT_NE(r.actual.find("INIT"), std::string::npos) << r.actual;
}

TEST_F(InlineScenario, ExpectClosePassesOnQuit) {
  const auto r =
      run("      - include: {fragment: login, with: {who: alice}}\n"
          "      - send: {on: alice, frame: QUIT}\n"
          "      - expect: {on: alice, frame: OK GOODBYE}\n"
          "      - expect_close: alice\n");
  EXPECT_EQ(r.status, Status::pass) << r.message;
}

TEST_F(InlineScenario, ChoppedAndRawWritesReachTheServer) {
  const auto r =
      run("      - connect: a\n"
          "      - expect: {on: a, frame: {cmd: INIT}}\n"
          "      - send: {on: a, raw: \"IDENT alice\\r\\nUSERS\\r\", chop: 1}\n"
          "      - expect: {on: a, frames: [\"OK IDENT alice\", {cmd: FAIL06}]}\n");
  EXPECT_EQ(r.status, Status::pass) << r.message;
}

TEST_F(InlineScenario, UndefinedVariableIsAnErrorNotAFailure) {
  const auto r =
      run("      - connect: a\n"
          "      - send: {on: a, frame: \"IDENT ${nobody}\"}\n");
  EXPECT_EQ(r.status, Status::error);
  EXPECT_NE(r.message.find("undefined variable ${nobody}"), std::string::npos) << r.message;
}

TEST_F(InlineScenario, TranscriptRecordsBothDirections) {
  const auto r =
      run("      - connect: a\n"
          "      - expect: {on: a, frame: \"INIT wrong text\"}\n");
  ASSERT_EQ(r.status, Status::fail);
  bool received = false;
  for (const auto& e : r.transcript)
    received = received || (e.kind == reports::TranscriptEntry::Kind::received && e.text.rfind("INIT ", 0) == 0);
  EXPECT_TRUE(received);
  EXPECT_NE(r.message.find("inline.yaml:"), std::string::npos) << r.message;
}

}  // namespace
}  // namespace relaycheck::harness

namespace relaycheck::harness {
namespace {

TEST(RunnerTags, TaggedScenarioIsSkippedWithAReasonOnlyWhenAsked) {
  Suite suite;
  load_text(
      "protocol: saxion\nscenarios:\n  - id: saxion.test.tagged\n    spec: t\n    requirement: r\n"
      "    level: must\n    tags: [slow, heartbeat]\n    steps:\n      - connect: a\n"
      "      - expect: {on: a, frame: {cmd: INIT}}\n",
      "tags.yaml", suite);
  ASSERT_EQ(suite.scenarios.at(0).tags, (std::vector<std::string>{"slow", "heartbeat"}));
  auto target = make_target("inprocess", {});
  RunOptions options;
  options.skip_tags = {"slow"};
  const auto skipped = run_scenario(suite.scenarios[0], suite, *target, options);
  EXPECT_EQ(skipped.status, reports::Status::skip);
  EXPECT_NE(skipped.message.find("slow"), std::string::npos) << skipped.message;
  EXPECT_EQ(run_scenario(suite.scenarios[0], suite, *target, RunOptions{}).status, reports::Status::pass);
}

}  // namespace
}  // namespace relaycheck::harness

namespace relaycheck::harness {
namespace {

// Wrong only for the first scenario run it serves, right afterwards.
class WrongOnceTarget final : public Target {
 public:
  std::string describe() const override { return "wrong-once"; }
  void check(const std::string&) override {}
  std::unique_ptr<Transport> connect(const std::string& protocol) override {
    auto engine = proto::find_protocol(protocol)->make_engine({});
    if (runs_++ > 0) return make_inprocess_transport(std::move(engine));
    return make_inprocess_transport(
        std::make_unique<testing::FaultyEngine>(std::move(engine), *testing::saxion_fault("wrong-fail-code")));
  }
  bool isolated() const override { return true; }

 private:
  int runs_ = 0;
};

TEST(RunnerRerun, FailureThatPassesOnRerunIsFlaky) {
  const Suite suite = load_suite(RELAYCHECK_SCENARIO_DIR, {"saxion"});
  std::vector<const Scenario*> list;
  for (const auto& s : suite.scenarios)
    if (s.id == "saxion.ident.name-taken") list.push_back(&s);
  ASSERT_EQ(list.size(), 1u);
  WrongOnceTarget target;
  auto results = run_scenarios(list, suite, target, RunOptions{});
  ASSERT_EQ(results[0].status, reports::Status::fail);
  rerun_failures(results, list, suite, target, RunOptions{}, 2);
  EXPECT_EQ(results[0].status, reports::Status::flaky);
  EXPECT_NE(results[0].message.find("passed on rerun 1"), std::string::npos) << results[0].message;
  EXPECT_FALSE(reports::unexpected(results[0].status));
}

TEST(RunnerRerun, ConsistentFailureStaysAFailure) {
  const Suite suite = load_suite(RELAYCHECK_SCENARIO_DIR, {"saxion"});
  std::vector<const Scenario*> list;
  for (const auto& s : suite.scenarios)
    if (s.id == "saxion.ident.name-taken") list.push_back(&s);
  FaultyTarget target("wrong-fail-code");
  auto results = run_scenarios(list, suite, target, RunOptions{});
  rerun_failures(results, list, suite, target, RunOptions{}, 2);
  EXPECT_EQ(results[0].status, reports::Status::fail);
}

}  // namespace
}  // namespace relaycheck::harness

namespace relaycheck::harness {
namespace {

TEST(RunnerJobs, ParallelRunGivesTheSameResultsInTheSameOrder) {
  const Suite suite = load_suite(RELAYCHECK_SCENARIO_DIR, {"saxion"});
  FaultyTarget target("wrong-fail-code");  // some failures, so the comparison means something
  const auto serial = run_client_scenarios(suite, target);
  const auto parallel = run_client_scenarios(suite, target, 6);
  ASSERT_EQ(serial.size(), parallel.size());
  int failures = 0;
  for (std::size_t i = 0; i < serial.size(); ++i) {
    EXPECT_EQ(serial[i].id, parallel[i].id);
    EXPECT_EQ(serial[i].status, parallel[i].status) << serial[i].id;
    failures += serial[i].status == reports::Status::fail;
  }
  EXPECT_GT(failures, 0);
}

}  // namespace
}  // namespace relaycheck::harness

namespace relaycheck::harness {
namespace {

// The text of every CONNECT_ID frame received in the run of cop.private.accept.
std::string connect_ids(std::uint64_t seed) {
  const Suite suite = load_suite(RELAYCHECK_SCENARIO_DIR, {"cop"});
  const Scenario* accept = nullptr;
  for (const auto& s : suite.scenarios)
    if (s.id == "cop.private.accept") accept = &s;
  EXPECT_NE(accept, nullptr);
  TargetOptions options;
  options.seed = seed;
  auto target = make_target("inprocess", options);
  const auto r = run_scenario(*accept, suite, *target, RunOptions{});
  EXPECT_EQ(r.status, reports::Status::pass) << r.message;
  // Only the ids: the nicknames around them carry the run's ${uniq}, which differs run to run.
  std::string ids;
  for (const auto& e : r.transcript) {
    const auto brace = e.text.find('{');
    if (e.kind != reports::TranscriptEntry::Kind::received || e.text.rfind("CONNECT_ID", 0) != 0 ||
        brace == std::string::npos)
      continue;
    ids += json::parse(e.text.substr(brace)).at("id").get<std::string>() + " ";
  }
  EXPECT_FALSE(ids.empty());
  return ids;
}

TEST(RunnerSeed, TheSeedRepeatsTheReferenceServersRandomChoices) {
  EXPECT_EQ(connect_ids(42), connect_ids(42));
  EXPECT_NE(connect_ids(42), connect_ids(43));
}

}  // namespace
}  // namespace relaycheck::harness

namespace relaycheck::harness {
namespace {

ScenarioResult run_inline(const std::string& steps) {
  Suite suite;
  load_text(
      "protocol: saxion\nscenarios:\n  - id: saxion.test.ignore\n    spec: t\n    requirement: r\n"
      "    level: must\n    tags: [heartbeat]\n    steps:\n      - take_heartbeats: a\n" +
          steps,  // PING is the frame ignored: not answered
      "ignore.yaml", suite);
  auto target = make_target("inprocess", {});
  return run_scenario(suite.scenarios.at(0), suite, *target, RunOptions{});
}

TEST(RunnerIgnore, IgnoredFramesPassUnseenUntilIgnoringStops) {
  const std::string login =
      "      - connect: a\n      - expect: {on: a, frame: {cmd: INIT}}\n"
      "      - send: {on: a, frame: IDENT alice}\n      - expect: {on: a, frame: OK IDENT alice}\n";
  // Without ignore, the PING at 10 s is the next frame and the expect of the FAIL00 fails.
  const auto plain = run_inline(login +
                                "      - advance: 10s\n      - send: {on: a, frame: NOPE}\n"
                                "      - expect: {on: a, frame: {cmd: FAIL00}}\n");
  EXPECT_EQ(plain.status, reports::Status::fail);
  const auto ignoring = run_inline(login +
                                   "      - ignore: {on: a, frame: PING}\n      - advance: 10s\n"
                                   "      - send: {on: a, frame: NOPE}\n      - expect: {on: a, frame: {cmd: FAIL00}}\n"
                                   "      - quiet: a\n");
  EXPECT_EQ(ignoring.status, reports::Status::pass) << ignoring.message;
  bool noted = false;
  for (const auto& e : ignoring.transcript) noted = noted || e.text == "PING (ignored)";
  EXPECT_TRUE(noted);
  const auto stopped = run_inline(login +
                                  "      - ignore: {on: a, frame: PING}\n      - ignore: {on: a, frames: []}\n"
                                  "      - advance: 10s\n      - quiet: a\n");
  EXPECT_EQ(stopped.status, reports::Status::fail);
}

}  // namespace
}  // namespace relaycheck::harness
