// Verdict tiers and root causes in the report model and every writer: a decision-tier failure
// does not fail a default run and does with --strict; text, JSON, JUnit and HTML show the tier,
// the per-tier counts and blocked_by; JSON reads them back.
#include <gtest/gtest.h>

#include <sstream>

#include <nlohmann/json.hpp>

#include "reports/writers.h"

namespace relaycheck::reports {
namespace {

ScenarioResult result(const std::string& id, const std::string& level, Status status) {
  ScenarioResult r;
  r.id = id;
  r.protocol = "saxion";
  r.spec = "a quote";
  r.requirement = "R";
  r.level = level;
  r.file = "saxion/x.yaml";
  r.line = 3;
  r.status = status;
  if (status == Status::fail)
    r.message = "expect at saxion/fragments.yaml:23:7: no frame arrived on 'alice' within 2000ms";
  return r;
}

// Two spec passes, a decision pass and a decision failure.
RunResult decision_failure_run(bool strict) {
  RunResult run;
  run.info.target = "t";
  run.info.strict = strict;
  run.results = {result("saxion.a.must", "must", Status::pass), result("saxion.a.may", "may", Status::pass),
                 result("saxion.a.limit", "decision", Status::pass),
                 result("saxion.a.length", "decision", Status::fail)};
  return run;
}

// Three failures behind one fragment step (the first names itself) and one other failure.
RunResult root_cause_run() {
  RunResult run;
  run.info.target = "t";
  for (const char* id : {"saxion.b.one", "saxion.b.two", "saxion.b.three"}) {
    auto r = result(id, "must", Status::fail);
    r.blocked_by = ScenarioResult::BlockedBy{"saxion/fragments.yaml:23:7", "saxion.b.one"};
    r.expected = "JOINED bob";
    run.results.push_back(r);
  }
  auto own = result("saxion.b.own", "must", Status::fail);
  own.message = "expect at saxion/b.yaml:40:9: wrong";
  run.results.push_back(own);
  return run;
}

std::string text_of(const RunResult& run) {
  std::ostringstream out;
  write_text(run, out, false);
  return out.str();
}
std::string junit_of(const RunResult& run) {
  std::ostringstream out;
  write_junit(run, out);
  return out.str();
}
std::string html_of(const RunResult& run) {
  std::ostringstream out;
  write_html({run}, out);
  return out.str();
}
nlohmann::json json_of(const RunResult& run) {
  std::ostringstream out;
  write_json(run, out);
  return nlohmann::json::parse(out.str());
}

TEST(Tiers, LevelsMapToTwoTiers) {
  EXPECT_EQ(tier_of("must"), "spec");
  EXPECT_EQ(tier_of("should"), "spec");
  EXPECT_EQ(tier_of("may"), "spec");
  EXPECT_EQ(tier_of("decision"), "decision");
}

TEST(Tiers, ADecisionFailureFailsOnlyAStrictRun) {
  EXPECT_TRUE(decision_failure_run(false).ok());
  EXPECT_FALSE(decision_failure_run(true).ok());
  // A spec-tier failure fails either way; a decision-tier error (the harness could not judge) too.
  RunResult spec = decision_failure_run(false);
  spec.results[0].status = Status::fail;
  EXPECT_FALSE(spec.ok());
  RunResult error = decision_failure_run(false);
  error.results[3].status = Status::error;
  EXPECT_FALSE(error.ok());
  const auto tiers = decision_failure_run(false).counts_by_tier();
  EXPECT_EQ(tiers.at("spec").at(Status::pass), 2);
  EXPECT_EQ(tiers.at("decision").at(Status::pass), 1);
  EXPECT_EQ(tiers.at("decision").at(Status::fail), 1);
  EXPECT_EQ(tiers.at("spec").at(Status::fail), 0);
}

TEST(Tiers, TextShowsTheTierPerResultAndTheCountsPerTier) {
  const std::string text = text_of(decision_failure_run(false));
  EXPECT_NE(text.find("FAIL  saxion.a.length  (saxion/x.yaml:3, decision,"), std::string::npos) << text;
  EXPECT_NE(text.find("[decision tier: not counted without --strict]"), std::string::npos) << text;
  EXPECT_NE(text.find("spec: 2 passed, 0 failed; decision: 1 passed, 1 failed (not counted; --strict counts them)"),
            std::string::npos)
      << text;
  const std::string strict = text_of(decision_failure_run(true));
  EXPECT_NE(strict.find("decision: 1 passed, 1 failed (counted: --strict)"), std::string::npos) << strict;
  EXPECT_EQ(strict.find("not counted"), std::string::npos) << strict;
}

TEST(Tiers, JsonHasTierPerResultCountsPerTierAndStrict) {
  const auto doc = json_of(decision_failure_run(false));
  EXPECT_EQ(doc["strict"], false);
  EXPECT_EQ(doc["summary"]["ok"], true);
  EXPECT_EQ(doc["summary"]["tiers"]["decision"]["fail"], 1);
  EXPECT_EQ(doc["summary"]["tiers"]["spec"]["pass"], 2);
  EXPECT_EQ(doc["results"][3]["tier"], "decision");
  EXPECT_EQ(doc["results"][3]["level"], "decision");
  EXPECT_EQ(doc["results"][3]["counted"], false);
  EXPECT_EQ(doc["results"][0]["tier"], "spec");
  EXPECT_EQ(json_of(decision_failure_run(true))["summary"]["ok"], false);
  // Read back, the run keeps its strictness and so its verdict.
  std::ostringstream out;
  write_json(decision_failure_run(true), out);
  EXPECT_FALSE(read_json(out.str(), "r.json").ok());
}

TEST(Tiers, JunitSkipsADecisionFailureWithoutStrictAndFailsItWith) {
  const std::string xml = junit_of(decision_failure_run(false));
  EXPECT_NE(xml.find("<testsuites name=\"relaycheck\" tests=\"4\" failures=\"0\" errors=\"0\" skipped=\"1\""),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<property name=\"tier\" value=\"decision\"/><property name=\"level\" value=\"decision\"/>"),
            std::string::npos);
  EXPECT_NE(xml.find("<property name=\"tier\" value=\"spec\"/><property name=\"level\" value=\"may\"/>"),
            std::string::npos);
  EXPECT_NE(xml.find("<skipped message=\"decision-tier fail, not counted without --strict: expect at"),
            std::string::npos)
      << xml;
  EXPECT_EQ(xml.find("<failure"), std::string::npos) << xml;
  const std::string strict = junit_of(decision_failure_run(true));
  EXPECT_NE(strict.find("failures=\"1\" errors=\"0\" skipped=\"0\""), std::string::npos) << strict;
  EXPECT_NE(strict.find("<failure type=\"fail\""), std::string::npos) << strict;
}

TEST(Tiers, HtmlShowsTheTierAndTheCountsPerTier) {
  const std::string html = html_of(decision_failure_run(false));
  EXPECT_NE(html.find("<b>decision:</b> 1 passed, 1 failed (not counted; --strict counts them)"), std::string::npos)
      << html;
  EXPECT_NE(html.find("<b>spec:</b> 2 passed, 0 failed"), std::string::npos);
  EXPECT_NE(html.find("id=\"saxion.a.length\" data-tier=\"decision\""), std::string::npos);
  EXPECT_NE(html.find("decision tier: not counted"), std::string::npos);
  EXPECT_NE(html.find("nothing unexpected"), std::string::npos);
  EXPECT_NE(html_of(decision_failure_run(true)).find("UNEXPECTED RESULTS"), std::string::npos);
}

TEST(RootCauses, TheModelGroupsBlockedResultsAndCountsThemApart) {
  const RunResult run = root_cause_run();
  const auto causes = run.root_causes();
  ASSERT_EQ(causes.size(), 1u);
  EXPECT_EQ(causes[0].at, "saxion/fragments.yaml:23:7");
  EXPECT_EQ(causes[0].first, "saxion.b.one");
  EXPECT_EQ(causes[0].blocked.size(), 3u);
  EXPECT_NE(causes[0].message.find("no frame arrived"), std::string::npos);
  EXPECT_EQ(causes[0].expected, "JOINED bob");
  EXPECT_EQ(run.blocked_count(), 2u);
}

TEST(RootCauses, TextShowsEachRootCauseOnceWithItsBlockedIdsUnderIt) {
  const std::string text = text_of(root_cause_run());
  const auto cause =
      text.find("ROOT CAUSE at saxion/fragments.yaml:23:7: 3 failures stop at this step of a shared fragment");
  ASSERT_NE(cause, std::string::npos) << text;
  EXPECT_EQ(text.find("ROOT CAUSE", cause + 1), std::string::npos) << "once";
  // The first in full after the heading, the others by id only, and nowhere else in full.
  EXPECT_NE(text.find("FAIL  saxion.b.one", cause), std::string::npos) << text;
  EXPECT_NE(text.find("blocked by it:\n        saxion.b.two\n        saxion.b.three\n", cause), std::string::npos)
      << text;
  EXPECT_EQ(text.find("FAIL  saxion.b.two"), std::string::npos) << text;
  EXPECT_NE(text.find("FAIL  saxion.b.own"), std::string::npos) << text;
  EXPECT_NE(text.find("root causes: 1 root cause, 2 blocked"), std::string::npos) << text;
}

TEST(RootCauses, JsonCarriesBlockedByAndReadsItBack) {
  const RunResult run = root_cause_run();
  const auto doc = json_of(run);
  EXPECT_EQ(doc["summary"]["root_causes"], 1);
  EXPECT_EQ(doc["summary"]["blocked"], 2);
  EXPECT_EQ(doc["results"][1]["blocked_by"],
            (nlohmann::json{{"at", "saxion/fragments.yaml:23:7"}, {"first", "saxion.b.one"}}));
  EXPECT_FALSE(doc["results"][3].contains("blocked_by"));
  EXPECT_EQ(doc["root_causes"][0]["results"], (nlohmann::json{"saxion.b.one", "saxion.b.two", "saxion.b.three"}));
  std::ostringstream out;
  write_json(run, out);
  const RunResult back = read_json(out.str(), "r.json");
  ASSERT_TRUE(back.results[2].blocked_by);
  EXPECT_EQ(back.results[2].blocked_by->first, "saxion.b.one");
  EXPECT_EQ(back.root_causes().size(), 1u);
}

TEST(RootCauses, JunitKeepsOneTestcasePerScenarioWithTheRootCauseInTheMessage) {
  const std::string xml = junit_of(root_cause_run());
  std::size_t testcases = 0;
  for (auto at = xml.find("<testcase "); at != std::string::npos; at = xml.find("<testcase ", at + 1)) ++testcases;
  EXPECT_EQ(testcases, 4u);
  EXPECT_NE(xml.find("message=\"root cause at saxion/fragments.yaml:23:7 (first failed in saxion.b.one): expect at"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("message=\"root cause at saxion/fragments.yaml:23:7 (first failure there): expect at"),
            std::string::npos);
  EXPECT_NE(xml.find("message=\"expect at saxion/b.yaml:40:9: wrong\""), std::string::npos);
}

TEST(RootCauses, HtmlFoldsTheBlockedIdsUnderEachRootCause) {
  const std::string html = html_of(root_cause_run());
  const auto details =
      html.find("<details class=\"root-cause\" id=\"root-cause-1\"><summary><code>saxion/fragments.yaml:23:7</code>");
  ASSERT_NE(details, std::string::npos) << html;
  const auto end = html.find("</details>", details);
  for (const char* id : {"saxion.b.one", "saxion.b.two", "saxion.b.three"})
    EXPECT_LT(html.find(std::string("<li><a href=\"#") + id + "\">", details), end) << id;
  EXPECT_EQ(html.substr(details, end - details).find("saxion.b.own"), std::string::npos);
  EXPECT_NE(html.find("blocked by <a href=\"#root-cause-1\">root cause 1</a>"), std::string::npos);
  EXPECT_NE(html.find("1 root cause, 2 blocked"), std::string::npos);
}

}  // namespace
}  // namespace relaycheck::reports
