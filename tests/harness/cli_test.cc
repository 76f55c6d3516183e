// Tests of the relaycheck command line: runs the built binary and checks exit codes, the
// one-line errors on stderr, `list --format json` and the JSON / JUnit reports of `run`.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

extern char** environ;

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kRelaycheck = RELAYCHECK_BIN_DIR "/relaycheck";

struct Output {
  int exit_code = -1;
  std::string out, err;
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int count_lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// A scratch directory per test, removed afterwards.
class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("relaycheck-cli-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Runs relaycheck with these arguments; stdout and stderr go to files, then are read back.
  Output run(const std::vector<std::string>& args) {
    const fs::path out_path = dir_ / "stdout.txt", err_path = dir_ / "stderr.txt";
    std::vector<std::string> argv_s = {kRelaycheck};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, kRelaycheck.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    Output o;
    if (rc != 0) {
      ADD_FAILURE() << "cannot run " << kRelaycheck << ": " << rc;
      return o;
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
    }
    if (WIFEXITED(status))
      o.exit_code = WEXITSTATUS(status);
    else
      ADD_FAILURE() << "relaycheck did not exit normally (status " << status << ")";
    o.out = read_file(out_path);
    o.err = read_file(err_path);
    return o;
  }

  void write(const std::string& rel, const std::string& text) {
    const fs::path p = dir_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }

  // Exit 2 and exactly one line on stderr that contains `phrase`.
  void expect_usage_error(const std::vector<std::string>& args, const std::string& phrase) {
    const Output o = run(args);
    std::string cmd;
    for (const auto& a : args) cmd += " " + a;
    EXPECT_EQ(o.exit_code, 2) << "relaycheck" << cmd << "\nstderr: " << o.err;
    EXPECT_EQ(count_lines(o.err), 1) << "relaycheck" << cmd << "\nstderr: " << o.err;
    EXPECT_TRUE(starts_with(o.err, "relaycheck: ")) << o.err;
    EXPECT_TRUE(contains(o.err, phrase)) << "relaycheck" << cmd << "\nstderr: " << o.err << "\nexpected: " << phrase;
  }

  fs::path dir_;
};

// ---------------------------------------------------------------------------------------------
// Usage

TEST_F(Cli, HelpExitsZero) {
  const Output o = run({"--help"});
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_TRUE(contains(o.out, "usage: relaycheck")) << o.out;
  EXPECT_TRUE(o.err.empty()) << o.err;
  const Output sub = run({"run", "--help"});
  EXPECT_EQ(sub.exit_code, 0);
  EXPECT_TRUE(contains(sub.out, "usage: relaycheck"));
}

TEST_F(Cli, NoArgumentsExitsTwo) {
  const Output o = run({});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_TRUE(contains(o.out + o.err, "usage: relaycheck"));
}

TEST_F(Cli, UnknownCommand) { expect_usage_error({"frobnicate"}, "unknown command 'frobnicate'"); }

TEST_F(Cli, UnknownFlag) {
  expect_usage_error({"run", "--bogus"}, "--bogus");
  expect_usage_error({"list", "--target", "spawn"}, "--target");
}

TEST_F(Cli, FlagMissingItsValue) {
  expect_usage_error({"run", "--target"}, "--target needs a value");
  expect_usage_error({"list", "--protocol", "saxion", "--format"}, "--format needs a value");
}

TEST_F(Cli, BooleanFlagWithAValue) { expect_usage_error({"run", "--verbose=yes"}, "--verbose takes no value"); }

TEST_F(Cli, StrayArgument) { expect_usage_error({"run", "saxion"}, "unexpected argument 'saxion'"); }

TEST_F(Cli, BadJobs) {
  expect_usage_error({"run", "--jobs", "0"}, "--jobs");
  expect_usage_error({"run", "--jobs", "many"}, "'many'");
  expect_usage_error({"run", "--jobs=4x"}, "'4x'");
  expect_usage_error({"run", "--jobs", "100000"}, "--jobs");
}

TEST_F(Cli, BadReportFormat) {
  expect_usage_error({"run", "--report", "xml"}, "unknown format 'xml'");
  expect_usage_error({"run", "--report", "json:"}, "empty path");
  expect_usage_error({"run", "--report", "json", "--report", "text"}, "only one of them can go to stdout");
}

TEST_F(Cli, BadListFormat) { expect_usage_error({"list", "--format", "yaml"}, "--format"); }

TEST_F(Cli, BadWithin) { expect_usage_error({"run", "--within", "soon"}, "--within"); }

TEST_F(Cli, UnknownTarget) {
  expect_usage_error({"run", "--protocol", "saxion", "--target", "moon"}, "unknown target 'moon'");
}

TEST_F(Cli, NoScenarioMatches) {
  expect_usage_error({"run", "--protocol", "saxion", "--filter", "nothing.like.this.*"}, "no scenario matches");
}

// ---------------------------------------------------------------------------------------------
// Input errors

TEST_F(Cli, BadYamlFileNamesFileLineAndColumn) {
  write("scen/saxion/bad.yaml",
        "protocol: saxion\n"         // 1
        "scenarios:\n"               // 2
        "  - id: saxion.bad.one\n"   // 3
        "    spec: S\n"              // 4
        "    requirement: R\n"       // 5
        "    level: must\n"          // 6
        "    steps:\n"               // 7
        "      - connect: a\n"       // 8
        "      - sned: {on: a}\n");  // 9: key at column 9
  const std::string root = (dir_ / "scen").string();
  for (const char* command : {"run", "list"}) {
    const Output o = run({command, "--scenarios", root});
    EXPECT_EQ(o.exit_code, 2) << command << ": " << o.err;
    EXPECT_EQ(count_lines(o.err), 1) << o.err;
    EXPECT_TRUE(starts_with(o.err, "relaycheck: " + (dir_ / "scen/saxion/bad.yaml").string() + ":9:9: ")) << o.err;
    EXPECT_TRUE(contains(o.err, "unknown step 'sned'")) << o.err;
  }
}

TEST_F(Cli, YamlSyntaxErrorNamesFileAndLine) {
  write("scen/saxion/bad.yaml",
        "protocol: saxion\n"         // 1
        "scenarios:\n"               // 2
        "  - id: saxion.bad.one\n"   // 3
        "    spec: S\n"              // 4
        "    requirement: R: x\n");  // 5: the second ':' is column 19
  const Output o = run({"run", "--scenarios", (dir_ / "scen").string()});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_EQ(count_lines(o.err), 1) << o.err;
  EXPECT_TRUE(starts_with(o.err, "relaycheck: " + (dir_ / "scen/saxion/bad.yaml").string() + ":5:19: ")) << o.err;
  EXPECT_TRUE(contains(o.err, "YAML syntax")) << o.err;
}

TEST_F(Cli, UnreachableTarget) {
  const Output o = run({"run", "--protocol", "saxion", "--target", "127.0.0.1:1"});
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_EQ(count_lines(o.err), 1) << o.err;
  EXPECT_TRUE(starts_with(o.err, "relaycheck: ")) << o.err;
  EXPECT_TRUE(contains(o.err, "127.0.0.1:1")) << o.err;
  EXPECT_TRUE(o.out.empty()) << o.out;  // no report for a run that never started
}

// ---------------------------------------------------------------------------------------------
// list

TEST_F(Cli, ListJson) {
  const Output o = run({"list", "--protocol", "saxion", "--format", "json"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const json list = json::parse(o.out);
  ASSERT_TRUE(list.is_array());
  ASSERT_FALSE(list.empty());

  // As many entries as "- id:" lines in the suite's files.
  std::size_t id_lines = 0;
  for (const auto& e : fs::directory_iterator(fs::path(RELAYCHECK_SCENARIO_DIR) / "saxion")) {
    if (e.path().extension() != ".yaml") continue;
    std::istringstream in(read_file(e.path()));
    for (std::string line; std::getline(in, line);)
      if (std::regex_search(line, std::regex("^\\s*- id: "))) ++id_lines;
  }
  EXPECT_EQ(list.size(), id_lines);

  for (const auto& item : list) {
    ASSERT_TRUE(item.is_object());
    for (const char* key : {"id", "protocol", "spec", "level", "requirement", "file"}) {
      ASSERT_TRUE(item.contains(key)) << key << " in " << item.dump();
      EXPECT_TRUE(item[key].is_string()) << key;
    }
    ASSERT_TRUE(item.contains("line"));
    EXPECT_TRUE(item["line"].is_number_integer());
    EXPECT_GT(item["line"].get<int>(), 0);
    EXPECT_EQ(item["protocol"], "saxion");
    EXPECT_TRUE(starts_with(item["id"].get<std::string>(), "saxion."));
    EXPECT_TRUE(starts_with(item["file"].get<std::string>(), "saxion/"));
    const std::string level = item["level"];
    EXPECT_TRUE(level == "must" || level == "should" || level == "may" || level == "decision") << level;
    EXPECT_EQ(item["tier"], level == "decision" ? "decision" : "spec") << item.dump();
  }

  // The file and line of one scenario are where its "- id:" is.
  const auto it = std::find_if(list.begin(), list.end(), [](const json& i) { return i["id"] == "saxion.ident.ok"; });
  ASSERT_NE(it, list.end());
  EXPECT_EQ((*it)["file"], "saxion/ident.yaml");
  std::istringstream in(read_file(fs::path(RELAYCHECK_SCENARIO_DIR) / "saxion" / "ident.yaml"));
  int n = 0, want = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    if (contains(line, "- id: saxion.ident.ok") && line.find("saxion.ident.ok") + 15 == line.size()) want = n;
  }
  ASSERT_GT(want, 0);
  EXPECT_EQ((*it)["line"], want);
}

TEST_F(Cli, ListFilter) {
  const Output o = run({"list", "--format", "json", "--filter", "saxion.ident.*"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const json list = json::parse(o.out);
  ASSERT_FALSE(list.empty());
  for (const auto& item : list) EXPECT_TRUE(starts_with(item["id"].get<std::string>(), "saxion.ident.")) << item["id"];
}

// ---------------------------------------------------------------------------------------------
// run

TEST_F(Cli, RunSaxionWithJsonAndJunitReports) {
  const fs::path json_path = dir_ / "out" / "report.json", junit_path = dir_ / "out" / "report.xml";
  fs::create_directories(dir_ / "out");
  const Output o = run({"run", "--protocol", "saxion", "--report", "json:" + json_path.string(), "--report",
                        "junit:" + junit_path.string()});
  ASSERT_EQ(o.exit_code, 0) << o.err << o.out;

  const json doc = json::parse(read_file(json_path));
  ASSERT_TRUE(doc.contains("summary"));
  ASSERT_TRUE(doc.contains("results"));
  const json& summary = doc["summary"];
  const json& results = doc["results"];
  ASSERT_TRUE(results.is_array());
  ASSERT_FALSE(results.empty());
  EXPECT_EQ(summary["total"], results.size());
  EXPECT_EQ(summary["ok"], true);
  int sum = 0;
  for (const char* status : {"pass", "fail", "skip", "xfail", "xpass", "flaky", "error"}) {
    ASSERT_TRUE(summary.contains(status)) << status;
    const int n = summary[status].get<int>();
    const auto counted =
        std::count_if(results.begin(), results.end(), [&](const json& r) { return r["status"] == status; });
    EXPECT_EQ(n, counted) << status;
    sum += n;
  }
  EXPECT_EQ(sum, static_cast<int>(results.size()));
  EXPECT_EQ(summary["fail"], 0);
  EXPECT_EQ(summary["error"], 0);
  EXPECT_GT(summary["pass"].get<int>(), 0);
  for (const auto& r : results) {
    ASSERT_TRUE(r.contains("id"));
    ASSERT_TRUE(r.contains("status"));
    ASSERT_TRUE(r.contains("duration_ms"));
    ASSERT_TRUE(r.contains("message"));
    EXPECT_TRUE(r["duration_ms"].is_number());
    EXPECT_GE(r["duration_ms"].get<double>(), 0.0);
    EXPECT_TRUE(starts_with(r["id"].get<std::string>(), "saxion."));
    if (r["status"] == "pass") {
      EXPECT_EQ(r["message"], "") << r["id"];
    }
  }

  // The same run as JUnit XML.
  const std::string xml = read_file(junit_path);
  EXPECT_TRUE(starts_with(xml, "<?xml")) << xml.substr(0, 100);
  EXPECT_TRUE(contains(xml, "<testsuites")) << xml.substr(0, 300);
  EXPECT_TRUE(contains(xml, "<testsuite name=\"saxion\""));
  EXPECT_TRUE(contains(xml, "</testsuites>"));
  std::size_t testcases = 0;
  for (std::size_t at = xml.find("<testcase "); at != std::string::npos; at = xml.find("<testcase ", at + 1))
    ++testcases;
  EXPECT_EQ(testcases, results.size());
  EXPECT_TRUE(contains(xml, "tests=\"" + std::to_string(results.size()) + "\""));
  EXPECT_TRUE(contains(xml, "name=\"saxion.ident.ok\""));
  EXPECT_FALSE(contains(xml, "<failure"));
}

TEST_F(Cli, FailingScenarioExitsOneWithTranscript) {
  write("scen/saxion/own.yaml",
        "protocol: saxion\n"
        "scenarios:\n"
        "  - id: saxion.own.right-name\n"
        "    spec: \"IDENT\"\n"
        "    requirement: The server acknowledges the name that was sent.\n"
        "    level: must\n"
        "    steps:\n"
        "      - connect: alice\n"
        "      - expect: {on: alice, frame: {cmd: INIT}}\n"
        "      - send: {on: alice, frame: \"IDENT alice\"}\n"
        "      - expect: {on: alice, frame: \"OK IDENT alice\"}\n"
        "  - id: saxion.own.wrong-name\n"
        "    spec: \"IDENT\"\n"
        "    requirement: Deliberately wrong, to see a failure.\n"
        "    level: must\n"
        "    steps:\n"
        "      - connect: alice\n"
        "      - expect: {on: alice, frame: {cmd: INIT}}\n"
        "      - send: {on: alice, frame: \"IDENT alice\"}\n"
        "      - expect: {on: alice, frame: \"OK IDENT bob\"}\n");
  const fs::path json_path = dir_ / "report.json";
  const fs::path junit_path = dir_ / "report.xml";
  const Output o = run({"run", "--scenarios", (dir_ / "scen").string(), "--filter", "saxion.own.*", "--report",
                        "json:" + json_path.string(), "--report", "junit:" + junit_path.string()});
  EXPECT_EQ(o.exit_code, 1) << o.err << o.out;
  EXPECT_TRUE(contains(o.err, "saxion.own.wrong-name")) << o.err;  // the progress line of the failure

  const json doc = json::parse(read_file(json_path));
  EXPECT_EQ(doc["summary"]["ok"], false);
  EXPECT_EQ(doc["summary"]["fail"], 1);
  EXPECT_EQ(doc["summary"]["pass"], 1);
  const json& results = doc["results"];
  ASSERT_EQ(results.size(), 2u);
  const json* wrong = nullptr;
  const json* right = nullptr;
  for (const auto& r : results) {
    if (r["id"] == "saxion.own.wrong-name") wrong = &r;
    if (r["id"] == "saxion.own.right-name") right = &r;
  }
  ASSERT_NE(wrong, nullptr);
  ASSERT_NE(right, nullptr);
  EXPECT_EQ((*right)["status"], "pass");
  EXPECT_EQ((*wrong)["status"], "fail");
  EXPECT_EQ((*wrong)["file"], (dir_ / "scen/saxion/own.yaml").string());  // an added file: its path as given
  EXPECT_EQ((*wrong)["line"], 12);
  ASSERT_TRUE((*wrong)["message"].is_string());
  EXPECT_FALSE((*wrong)["message"].get<std::string>().empty());
  ASSERT_TRUE(wrong->contains("transcript"));
  const json& transcript = (*wrong)["transcript"];
  ASSERT_TRUE(transcript.is_array());
  ASSERT_FALSE(transcript.empty());
  // What actually arrived is in the transcript (and in "actual").
  bool saw_ok_alice = false;
  for (const auto& e : transcript) {
    EXPECT_TRUE(e.contains("conn") && e.contains("kind") && e.contains("text")) << e.dump();
    if (e["kind"] == "received" && contains(e["text"].get<std::string>(), "OK IDENT alice")) saw_ok_alice = true;
  }
  EXPECT_TRUE(saw_ok_alice) << transcript.dump(2);
  ASSERT_TRUE(wrong->contains("actual") && wrong->contains("expected")) << wrong->dump(2);
  EXPECT_TRUE(contains((*wrong)["actual"].get<std::string>(), "OK IDENT alice"));
  EXPECT_TRUE(contains((*wrong)["expected"].get<std::string>(), "OK IDENT bob"));

  const std::string xml = read_file(junit_path);
  EXPECT_TRUE(contains(xml, "<failure")) << xml;
}

TEST_F(Cli, TextReportToStdout) {
  const Output o = run({"run", "--protocol", "saxion", "--filter", "saxion.ident.ok", "--verbose"});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_TRUE(contains(o.out, "saxion.ident.ok")) << o.out;
}

}  // namespace

namespace {

TEST_F(Cli, LiveEventsAreJsonLinesFromRunStartToRunEnd) {
  const fs::path events = dir_ / "events.jsonl";
  const Output o = run({"run", "--protocol", "saxion", "--filter", "saxion.ident.*", "--events", events.string()});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  std::ifstream in(events);
  std::vector<json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  ASSERT_GE(lines.size(), 4u);
  EXPECT_EQ(lines.front()["event"], "run_started");
  EXPECT_FALSE(lines.front()["command_line"].get<std::string>().empty());
  EXPECT_EQ(lines.back()["event"], "run_finished");
  EXPECT_EQ(lines.back()["ok"], true);
  int started = 0, verdicts = 0, frames = 0;
  for (const auto& l : lines) {
    started += l["event"] == "scenario_started";
    verdicts += l["event"] == "verdict";
    frames += l["event"] == "frame" && l["kind"] == "received";
  }
  EXPECT_GT(started, 5);
  EXPECT_EQ(started, verdicts);
  EXPECT_GT(frames, started);
}

TEST_F(Cli, EventsAndAReportCannotBothGoToStdout) {
  expect_usage_error({"run", "--events", "-", "--report", "text"}, "only one of them can go to stdout");
}

}  // namespace

namespace {

TEST_F(Cli, CoverageOfTheSaxionSuiteIsComplete) {
  const Output o = run({"coverage", "--protocol", "saxion", "--fail-under", "100"});
  EXPECT_EQ(o.exit_code, 0) << o.err << o.out;
  EXPECT_TRUE(contains(o.out, "saxion: 27 of 27 requirements tested (100.0 %)")) << o.out;
  EXPECT_FALSE(contains(o.out, "UNTESTED")) << o.out;
}

TEST_F(Cli, UntestedRequirementIsShownAndFailsTheThreshold) {
  write("docs/saxion.requirements.yaml",
        "requirements:\n  - {id: IDENT, section: t, text: login}\n  - {id: TELEPORT, section: t, text: nobody tests "
        "this}\n");
  const std::string docs = (dir_ / "docs").string();
  const Output o = run({"coverage", "--protocol", "saxion", "--docs", docs, "--fail-under", "80"});
  EXPECT_EQ(o.exit_code, 1) << o.err << o.out;
  EXPECT_TRUE(contains(o.out, "UNTESTED TELEPORT")) << o.out;
  EXPECT_TRUE(contains(o.out, "1 of 2 requirements tested (50.0 %)")) << o.out;
  const Output j = run({"coverage", "--protocol", "saxion", "--docs", docs, "--format", "json"});
  EXPECT_EQ(j.exit_code, 0);
  const json doc = json::parse(j.out);
  EXPECT_EQ(doc[0]["requirements"][1]["scenarios"].size(), 0u);
  EXPECT_GT(doc[0]["requirements"][0]["scenarios"].size(), 0u);
}

}  // namespace

namespace {

TEST_F(Cli, CoverageCountsValuesUsedInStepsIncludingFragments) {
  write("docs/saxion.requirements.yaml",
        "requirements:\n  - {id: ping, section: t, text: p, in_steps: [PING]}\n"
        "  - {id: whole-values-only, section: t, text: w, in_steps: [PIN]}\n");
  const Output o = run({"coverage", "--protocol", "saxion", "--docs", (dir_ / "docs").string(), "--format", "json"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const json doc = json::parse(o.out);
  const auto& ping = doc[0]["requirements"][0]["scenarios"];
  EXPECT_NE(std::find(ping.begin(), ping.end(), "saxion.heartbeat.ping-after-login"), ping.end()) << ping.dump();
  EXPECT_EQ(doc[0]["requirements"][1]["scenarios"].size(), 0u);  // "PIN" is not "PING"
}

}  // namespace

namespace {

// A profile's `protocol:` keeps `run` to the protocols the target speaks (a client profile used
// to get every protocol's client scenarios), and --protocol cannot widen it.
TEST_F(Cli, ProfileProtocolKeepsTheRunToIt) {
  write("only-saxion.yaml", "name: only-saxion\nprotocol: saxion\nlaunch:\n  command: [\"" RELAYCHECK_BIN_DIR
                            "/relaycheck-server\", \"--protocol\", \"{protocol}\", \"--listen\", \"127.0.0.1:{port}\", "
                            "\"--log-level\", \"warn\"]\n");
  const Output o = run({"run", "--profile", (dir_ / "only-saxion.yaml").string(), "--filter", "*.ident.*", "--report",
                        "json:" + (dir_ / "r.json").string(), "--quiet"});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  const std::string report = read_file(dir_ / "r.json");
  EXPECT_TRUE(contains(report, "\"saxion.ident.")) << report.substr(0, 400);
  EXPECT_FALSE(contains(report, "\"psuirc.") || contains(report, "\"cs594.") || contains(report, "\"cop."))
      << report.substr(0, 400);
  expect_usage_error({"run", "--profile", (dir_ / "only-saxion.yaml").string(), "--protocol", "cop"},
                     "--protocol cop: profile only-saxion speaks only saxion");
}

}  // namespace
