// Report writers: HTML content and self-containment, JSON written and read back, JUnit shape.
#include <gtest/gtest.h>

#include <sstream>

#include "reports/writers.h"

namespace relaycheck::reports {
namespace {

RunResult sample(const std::string& target) {
  RunResult run;
  run.info.tool_version = "0.1.0";
  run.info.git_commit = "abcdef0123456789";
  run.info.target = target;
  run.info.command_line = "relaycheck run --x";
  run.info.seed = "42";
  run.info.started_at = "2026-11-23T10:00:00Z";
  run.info.duration_ms = 12.5;
  ScenarioResult pass;
  pass.id = "saxion.ident.ok";
  pass.protocol = "saxion";
  pass.spec = "IDENT";
  pass.requirement = "A valid IDENT is acknowledged.";
  pass.level = "must";
  pass.file = "saxion/ident.yaml";
  pass.line = 4;
  pass.status = Status::pass;
  ScenarioResult fail = pass;
  fail.id = "saxion.ident.name-taken";
  fail.status = Status::fail;
  fail.message = "expect at x: <script>alert(1)</script>";
  fail.expected = "{\"cmd\":\"FAIL01\"}";
  fail.actual = "FAIL02 & more";
  fail.transcript = {{0, "bob", TranscriptEntry::Kind::sent, "IDENT alice\\n"},
                     {1, "bob", TranscriptEntry::Kind::received, "FAIL02 Username has an invalid format"}};
  ScenarioResult skip = pass;
  skip.id = "saxion.users.two";
  skip.status = Status::skip;
  skip.message = "needs user-list";
  run.results = {pass, fail, skip};
  return run;
}

TEST(Html, HasSummaryFiltersRowsPerStatusAndTheFailureEvidence) {
  std::ostringstream out;
  write_html({sample("inprocess")}, out);
  const std::string html = out.str();
  EXPECT_NE(html.find("<!DOCTYPE html>"), std::string::npos);
  EXPECT_NE(html.find("<input type=\"checkbox\" value=\"fail\" checked>"), std::string::npos);
  EXPECT_NE(html.find("data-status=\"pass\" id=\"saxion.ident.ok\""), std::string::npos);
  EXPECT_NE(html.find("data-status=\"fail\" id=\"saxion.ident.name-taken\""), std::string::npos);
  EXPECT_NE(html.find("data-status=\"skip\""), std::string::npos);
  EXPECT_NE(html.find("UNEXPECTED RESULTS"), std::string::npos);
  EXPECT_NE(html.find("FAIL02 &amp; more"), std::string::npos);
  EXPECT_NE(html.find("A valid IDENT is acknowledged."), std::string::npos);
  // Untrusted text is escaped, and nothing is fetched from elsewhere.
  EXPECT_EQ(html.find("<script>alert(1)"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find(" src="), std::string::npos);
}

TEST(Html, SeveralRunsGiveAMatrix) {
  RunResult other = sample("127.0.0.1:1337");
  other.results[1].status = Status::pass;
  std::ostringstream out;
  write_html({sample("inprocess"), other}, out);
  const std::string html = out.str();
  EXPECT_NE(html.find("Across targets"), std::string::npos);
  EXPECT_NE(html.find("<th>inprocess</th><th>127.0.0.1:1337</th>"), std::string::npos);
  EXPECT_NE(
      html.find(
          "<td><code>saxion.ident.name-taken</code></td><td class=\"fail\">fail</td><td class=\"pass\">pass</td>"),
      std::string::npos);
}

TEST(Json, WrittenThenReadBackKeepsResultsAndProvenance) {
  std::ostringstream out;
  write_json(sample("spawn"), out);
  const RunResult back = read_json(out.str(), "r.json");
  EXPECT_EQ(back.info.target, "spawn");
  EXPECT_EQ(back.info.git_commit, "abcdef0123456789");
  EXPECT_EQ(back.info.command_line, "relaycheck run --x");
  EXPECT_EQ(back.info.seed, "42");
  ASSERT_EQ(back.results.size(), 3u);
  EXPECT_EQ(back.results[1].status, Status::fail);
  EXPECT_EQ(back.results[1].actual, "FAIL02 & more");
  ASSERT_EQ(back.results[1].transcript.size(), 2u);
  EXPECT_EQ(back.results[1].transcript[1].kind, TranscriptEntry::Kind::received);
  EXPECT_EQ(back.results[2].message, "needs user-list");
}

TEST(Json, ReadingSomethingElseIsAClearError) {
  EXPECT_THROW(read_json("{\"a\":1}", "x.json"), std::runtime_error);
  try {
    read_json("not json", "x.json");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("x.json"), std::string::npos);
  }
}

TEST(Junit, HasTheUsualShape) {
  std::ostringstream out;
  write_junit(sample("inprocess"), out);
  const std::string xml = out.str();
  EXPECT_NE(xml.find("<testsuites name=\"relaycheck\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\""),
            std::string::npos);
  EXPECT_NE(xml.find("<testsuite name=\"saxion\""), std::string::npos);
  EXPECT_NE(xml.find("<property name=\"relaycheck.commit\" value=\"abcdef0123456789\"/>"), std::string::npos);
  EXPECT_NE(xml.find("<property name=\"seed\" value=\"42\"/>"), std::string::npos);
  EXPECT_NE(xml.find("<failure type=\"fail\" message=\"expect at x: &lt;script&gt;"), std::string::npos);
  EXPECT_NE(xml.find("<skipped message=\"skip: needs user-list\"/>"), std::string::npos);
}

}  // namespace
}  // namespace relaycheck::reports
