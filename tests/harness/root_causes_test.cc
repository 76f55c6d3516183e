// Verdict tiers and root causes (issue 23): the loader takes `level: decision`, the runner records
// where a failure stopped as data, and failures at the same step of a shared fragment, for the
// same reason, are grouped into one root cause; a saxion server that never sends JOINED shows one
// root cause with its blocked scenarios under it, in the JSON and the HTML.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "faulty_engine.h"
#include "harness/loader.h"
#include "harness/root_causes.h"
#include "harness/runner.h"
#include "harness/target_impl.h"
#include "reports/writers.h"
#include "suite_run.h"

namespace relaycheck::harness {
namespace {

using reports::ScenarioResult;
using reports::Status;

// The reference saxion engine in-process, with every JOINED dropped.
class NoJoinedTarget final : public Target {
 public:
  std::string describe() const override { return "saxion without JOINED"; }
  void check(const std::string&) override {}
  std::unique_ptr<Transport> connect(const std::string& protocol) override {
    return make_inprocess_transport(std::make_unique<testing::FaultyEngine>(
        proto::find_protocol(protocol)->make_engine({}), [](const proto::Action& a) {
          return testing::sends(a, "JOINED") ? std::vector<proto::Action>{} : std::vector<proto::Action>{a};
        }));
  }
  bool isolated() const override { return true; }
};

// A small suite: a login fragment whose last expect fails against the reference server (it wants
// a name the server never acknowledges), included by two scenarios; a third fails in its own step.
constexpr const char* kSuite = R"(protocol: saxion
fragments:
  login:
    - connect: ${who}
    - expect: {on: "${who}", frame: {cmd: INIT}}
    - send: {on: "${who}", frame: "IDENT ${who}${uniq}"}
    - expect: {on: "${who}", frame: "OK IDENT ${who}${uniq}_"}
scenarios:
  - id: saxion.t.one
    spec: "open point: the name acknowledged"
    requirement: R
    level: decision
    steps:
      - include: {fragment: login, with: {who: alice}}
  - id: saxion.t.two
    spec: S
    requirement: R
    level: must
    steps:
      - include: {fragment: login, with: {who: alice}}
  - id: saxion.t.own
    spec: S
    requirement: R
    level: must
    steps:
      - connect: bob
      - expect: {on: bob, frame: "NOPE"}
)";

std::vector<ScenarioResult> run_small_suite(Suite& suite) {
  load_text(kSuite, "saxion/t.yaml", suite);
  auto target = make_target("inprocess", {});
  return testing::run_client_scenarios(suite, *target);
}

TEST(Tiers, TheLoaderAcceptsDecisionAndStillRejectsOtherLevels) {
  Suite suite;
  load_text(kSuite, "saxion/t.yaml", suite);
  EXPECT_EQ(suite.scenarios.at(0).level, "decision");
  std::string bad = kSuite;
  bad.replace(bad.find("level: decision"), 15, "level: decided");
  Suite other;
  try {
    load_text(bad, "saxion/t.yaml", other);
    FAIL() << "level: decided was accepted";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("saxion/t.yaml:12:12: level must be must, should, may or decision"),
              std::string::npos)
        << e.what();
  }
}

TEST(RootCauses, TheRunnerRecordsTheFailingStepAndTheIncludesThatLedThere) {
  Suite suite;
  const auto results = run_small_suite(suite);
  ASSERT_EQ(results.size(), 3u);
  const auto& one = results[0];
  ASSERT_EQ(one.status, Status::fail) << one.message;
  EXPECT_EQ(one.failed_at, "saxion/t.yaml:7:7");
  ASSERT_EQ(one.failed_via.size(), 1u);
  EXPECT_EQ(one.failed_via[0], "saxion/t.yaml:14:9 include login");
  // The run's own name is masked: the reason is the same for every run of the fragment.
  EXPECT_EQ(one.failed_why.find(one.id), std::string::npos) << one.failed_why;
  EXPECT_NE(one.failed_why.find("${who}${uniq}"), std::string::npos) << one.failed_why;
  EXPECT_EQ(one.failed_why, results[1].failed_why);
  EXPECT_NE(one.message, results[1].message) << "the unmasked messages differ by ${uniq}";
  const auto& own = results[2];
  EXPECT_EQ(own.failed_at, "saxion/t.yaml:27:9");
  EXPECT_TRUE(own.failed_via.empty());
}

TEST(RootCauses, FailuresAtOneFragmentStepAreOneRootCause) {
  Suite suite;
  auto results = run_small_suite(suite);
  group_root_causes(results);
  ASSERT_TRUE(results[0].blocked_by);
  ASSERT_TRUE(results[1].blocked_by);
  EXPECT_EQ(results[0].blocked_by->at, "saxion/t.yaml:7:7");
  // saxion.t.one is decision tier: the spec-tier saxion.t.two names the root cause.
  EXPECT_EQ(results[0].blocked_by->first, "saxion.t.two");
  EXPECT_EQ(results[1].blocked_by->first, "saxion.t.two");
  EXPECT_FALSE(results[2].blocked_by) << "a failure in the scenario's own step blocks nothing";
}

ScenarioResult failed(const std::string& id, const std::string& at, const std::string& why, bool via = true) {
  ScenarioResult r;
  r.id = id;
  r.level = "must";
  r.status = Status::fail;
  r.message = "expect at " + at + ": " + why;
  r.failed_at = at;
  r.failed_why = "expect: " + why;
  if (via) r.failed_via = {"x.yaml:1:1 include login"};
  return r;
}

TEST(RootCauses, GroupingNeedsTheSameStepTheSameReasonAFragmentAndAFailure) {
  std::vector<ScenarioResult> results = {
      failed("p.a", "p/f.yaml:3:7", "no frame"),  // }
      failed("p.b", "p/f.yaml:3:7", "no frame"),  // } one root cause, first p.a
      failed("p.c", "p/f.yaml:3:7", "no frame"),  // }
      failed("p.d", "p/f.yaml:3:7", "closed"),    // same step, another reason: alone
      failed("p.e", "p/f.yaml:9:7", "no frame"),  // another step: alone
      failed("p.f", "p/a.yaml:9:7", "x", false),  // }
      failed("p.g", "p/a.yaml:9:7", "x", false),  // } not through an include: no grouping
      failed("p.h", "p/f.yaml:9:7", "no frame"),  // with p.e: a second root cause
  };
  results.push_back(failed("p.i", "p/f.yaml:3:7", "no frame"));
  results.back().status = Status::xfail;  // a known failure blocks nothing
  group_root_causes(results);
  std::map<std::string, std::string> first;
  for (const auto& r : results)
    if (r.blocked_by) first[r.id] = r.blocked_by->first;
  EXPECT_EQ(first, (std::map<std::string, std::string>{
                       {"p.a", "p.a"}, {"p.b", "p.a"}, {"p.c", "p.a"}, {"p.e", "p.e"}, {"p.h", "p.e"}}));
  reports::RunResult run;
  run.results = results;
  EXPECT_EQ(run.root_causes().size(), 2u);
  EXPECT_EQ(run.blocked_count(), 3u) << "p.b, p.c and p.h; the firsts are not counted as blocked";
  // Grouping again gives the same answer (idempotent after a rerun changed nothing).
  group_root_causes(results);
  EXPECT_EQ(results[1].blocked_by->first, "p.a");
}

// A root cause is named by a failure that counts in a default run: a decision-tier scenario
// that happens to fail first does not stand for the spec-tier ones behind it.
TEST(RootCauses, TheFirstIsASpecTierFailureWhereThereIsOne) {
  std::vector<ScenarioResult> results = {
      failed("p.decision", "p/f.yaml:3:7", "no frame"),  failed("p.spec", "p/f.yaml:3:7", "no frame"),
      failed("p.later", "p/f.yaml:3:7", "no frame"),     failed("q.decision1", "p/f.yaml:5:7", "no frame"),
      failed("q.decision2", "p/f.yaml:5:7", "no frame"),
  };
  results[0].level = "decision";
  results[3].level = "decision";
  results[4].level = "decision";
  group_root_causes(results);
  for (int i : {0, 1, 2}) EXPECT_EQ(results[i].blocked_by->first, "p.spec") << results[i].id;
  for (int i : {3, 4})
    EXPECT_EQ(results[i].blocked_by->first, "q.decision1") << "no spec-tier one: the first in run order";
  reports::RunResult run;
  run.results = results;
  ASSERT_EQ(run.root_causes().size(), 2u);
  EXPECT_EQ(run.root_causes()[0].first, "p.spec");
  EXPECT_EQ(run.root_causes()[0].message, results[1].message);
  EXPECT_EQ(run.blocked_count(), 3u);
}

TEST(RootCauses, MaskingHidesTheRunsNamesButNotOtherText) {
  const Vars vars = {{"uniq", "k3x9a2"}, {"uniq2", "a2"}, {"scenario", "saxion.t.one"}, {"who", "bob"}, {"i", "2"}};
  EXPECT_EQ(mask_run_names("got 'OK IDENT bobk3x9a2' on bob in saxion.t.one", vars),
            "got 'OK IDENT ${who}${uniq}' on ${who} in ${scenario}");
  // Short values only as whole words: FAIL02 and a2b stay, a lone 2 and a2 are masked.
  EXPECT_EQ(mask_run_names("FAIL02 a2b a2 step 2", vars), "FAIL02 a2b ${uniq2} step ${i}");
  // A short value of letters only is left alone: with ${uniq2} "on", "arrived on" stays as it is.
  const Vars on = {{"uniq", "k3x9on"}, {"uniq2", "on"}, {"who", "a"}};
  EXPECT_EQ(mask_run_names("no frame arrived on 'a' for ak3x9on", on), "no frame arrived on 'a' for a${uniq}");
}

// A saxion server that never sends JOINED: the scenarios that log two users in through the
// shared fragment all stop at its JOINED step, one root cause; JSON and HTML show it.
TEST(RootCauses, NoJoinedServerShowsOneRootCauseInJsonAndHtml) {
  const Suite suite = load_suite(RELAYCHECK_SCENARIO_DIR, {"saxion"});
  NoJoinedTarget target;
  reports::RunResult run;
  run.results = testing::run_client_scenarios(suite, target, 1, "", true);
  group_root_causes(run.results);
  const auto causes = run.root_causes();
  ASSERT_EQ(causes.size(), 1u) << (causes.size() > 1 ? causes[1].at : "");
  const auto& cause = causes.front();
  EXPECT_EQ(cause.at.rfind("saxion/fragments.yaml:", 0), 0u) << cause.at;
  EXPECT_NE(cause.message.find("no frame arrived on 'alice'"), std::string::npos) << cause.message;
  EXPECT_NE(cause.expected.find("JOINED"), std::string::npos) << cause.expected;
  ASSERT_GE(cause.blocked.size(), 10u);
  // Every failure that went through the fragment's JOINED step is under it.
  for (const auto& r : run.results)
    if (r.status == Status::fail && r.failed_at == cause.at) {
      EXPECT_TRUE(r.blocked_by) << r.id << ": " << r.failed_why;
    }

  std::ostringstream json_out, html_out;
  reports::write_json(run, json_out);
  reports::write_html({run}, html_out);
  const auto doc = nlohmann::json::parse(json_out.str());
  EXPECT_EQ(doc["summary"]["root_causes"], 1);
  EXPECT_EQ(doc["summary"]["blocked"], cause.blocked.size() - 1);
  std::size_t with_blocked_by = 0;
  for (const auto& r : doc["results"])
    if (r.contains("blocked_by")) {
      ++with_blocked_by;
      EXPECT_EQ(r["blocked_by"]["at"], cause.at);
      EXPECT_EQ(r["blocked_by"]["first"], cause.first);
    }
  EXPECT_EQ(with_blocked_by, cause.blocked.size());
  const std::string html = html_out.str();
  EXPECT_NE(html.find("<details class=\"root-cause\" id=\"root-cause-1\"><summary><code>" + cause.at),
            std::string::npos);
  for (const auto* r : cause.blocked)
    EXPECT_NE(html.find("<li><a href=\"#" + r->id + "\">"), std::string::npos) << r->id;
  EXPECT_EQ(html.find("root-cause-2"), std::string::npos);
}

}  // namespace
}  // namespace relaycheck::harness
