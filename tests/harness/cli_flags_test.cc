// The command line's contracts (issue 24): each command's --help lists exactly its parser's
// options, --version everywhere, one-line usage errors with exit 2, output paths ready before
// anything runs, the summary line on stderr, added scenario files, --junit-root, completion.
#include <sys/wait.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "harness/cli/args.h"
#include "harness/cli/flags.h"
#include "options.h"  // reference-server/options.h

namespace {

namespace fs = std::filesystem;
using relaycheck::harness::cli::command_specs;
using relaycheck::harness::cli::options_of;

const std::string kBin = RELAYCHECK_BIN_DIR;

struct Result {
  int exit_code = -1;
  std::string out, err;
  double seconds = 0;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// A scratch directory per test; commands run through /bin/sh with stdout and stderr to files.
class CliFlags : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("relaycheck-flags-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  Result sh(const std::string& program, const std::vector<std::string>& args) {
    std::string cmd = quote(kBin + "/" + program);
    for (const auto& a : args) cmd += " " + quote(a);
    cmd += " </dev/null >" + quote((dir_ / "out").string()) + " 2>" + quote((dir_ / "err").string());
    const auto start = std::chrono::steady_clock::now();
    const int status = std::system(cmd.c_str());
    Result r;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
    r.out = slurp(dir_ / "out");
    r.err = slurp(dir_ / "err");
    return r;
  }
  Result relaycheck(const std::vector<std::string>& args) { return sh("relaycheck", args); }

  fs::path dir_;
};

// The "--name" words of a help text (a "--" after a space, comma or '[' or at a line start).
std::set<std::string> flags_in(const std::string& help) {
  std::set<std::string> out;
  for (std::size_t at = help.find("--"); at != std::string::npos; at = help.find("--", at + 2)) {
    if (at > 0 && help[at - 1] != ' ' && help[at - 1] != '\n' && help[at - 1] != ',' && help[at - 1] != '[') continue;
    std::size_t end = at + 2;
    while (end < help.size() && (std::islower(static_cast<unsigned char>(help[end])) ||
                                 std::isdigit(static_cast<unsigned char>(help[end])) || help[end] == '-'))
      ++end;
    if (end > at + 2) out.insert(help.substr(at + 2, end - at - 2));
  }
  return out;
}

int lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

TEST_F(CliFlags, EachCommandsHelpListsEveryParserOptionAndNoOther) {
  for (const auto& spec : command_specs()) {
    const Result r = relaycheck({spec.name, "--help"});
    ASSERT_EQ(r.exit_code, 0) << spec.name << ": " << r.err;
    const auto shown = flags_in(r.out);
    std::set<std::string> parser;
    const auto desc = options_of(spec);  // kept: options() refers into it
    for (const auto& option : desc.options()) parser.insert(option->long_name());
    for (const auto& name : parser)
      EXPECT_TRUE(shown.count(name)) << "relaycheck " << spec.name << " --help lacks --" << name;
    for (const auto& name : shown)
      EXPECT_TRUE(parser.count(name)) << "relaycheck " << spec.name << " --help shows --" << name << ", not its flag";
    EXPECT_NE(r.out.find("usage: relaycheck " + spec.name), std::string::npos) << r.out;
  }
}

TEST_F(CliFlags, RunAndLoadHelpDiffer) {
  const Result run = relaycheck({"run", "--help"}), load = relaycheck({"load", "--help"});
  EXPECT_NE(run.out, load.out);
  EXPECT_TRUE(flags_in(run.out).count("strict"));
  EXPECT_FALSE(flags_in(load.out).count("strict"));
  EXPECT_TRUE(flags_in(load.out).count("clients"));
  EXPECT_FALSE(flags_in(run.out).count("clients"));
  // Flags issue 24 found missing from the old global help.
  EXPECT_TRUE(flags_in(load.out).count("setup-timeout"));
  EXPECT_TRUE(flags_in(relaycheck({"fuzz", "--help"}).out).count("minimise-time"));
}

TEST_F(CliFlags, ServerHelpListsEveryParserOption) {
  const Result r = sh("relaycheck-server", {"--help"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto shown = flags_in(r.out);
  const auto desc = relaycheck::server_options();
  for (const auto& option : desc.options())
    EXPECT_TRUE(shown.count(option->long_name())) << "relaycheck-server --help lacks --" << option->long_name();
}

TEST_F(CliFlags, VersionOnEveryCommandAndTheServer) {
  const std::string want = "relaycheck " RELAYCHECK_VERSION "\n";
  EXPECT_EQ(relaycheck({"--version"}).out, want);
  for (const auto& spec : command_specs()) {
    const Result r = relaycheck({spec.name, "--version"});
    EXPECT_EQ(r.exit_code, 0) << spec.name << ": " << r.err;
    EXPECT_EQ(r.out, want) << spec.name;
  }
  const Result server = sh("relaycheck-server", {"--version"});
  EXPECT_EQ(server.exit_code, 0) << server.err;
  EXPECT_EQ(server.out, "relaycheck-server " RELAYCHECK_VERSION "\n");
}

TEST_F(CliFlags, BadFlagsAreOneLineExitTwoNamingTheFlagAndTheHelp) {
  struct Case {
    std::vector<std::string> args;
    std::string phrase;
  };
  const std::vector<Case> cases = {
      {{"run", "--bogus"}, "unknown option --bogus"},
      {{"load", "--strict"}, "unknown option --strict"},
      {{"fuzz", "--protocol"}, "--protocol needs a value"},
      {{"list", "--format", "yaml"}, "--format"},
      {{"run", "--jobs", "many"}, "--jobs: expected a number"},
      {{"coverage", "--fail-under", "200"}, "--fail-under"},
      {{"report", "--html"}, "--html needs a value"},
      {{"run", "--quiet=yes"}, "--quiet takes no value"},
      // moose's replies are sealed per connection: nothing to compare, said before anything runs.
      {{"fuzz", "--protocol", "moose", "--target", "spawn", "--differential"}, "moose cannot be compared"},
  };
  for (const auto& c : cases) {
    const Result r = relaycheck(c.args);
    const std::string cmd = c.args.front();
    EXPECT_EQ(r.exit_code, 2) << cmd << ": " << r.err;
    EXPECT_EQ(lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find(c.phrase), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("see relaycheck " + cmd + " --help"), std::string::npos) << r.err;
  }
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--bogus"}, {"--listen"}, {"--protocol", "saxion", "stray"}}) {
    const Result r = sh("relaycheck-server", args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("see relaycheck-server --help"), std::string::npos) << r.err;
  }
}

TEST_F(CliFlags, ReportDirectoryIsCreated) {
  const fs::path report = dir_ / "nonexistent" / "dir" / "r.json";
  const Result r = relaycheck(
      {"run", "--protocol", "saxion", "--filter", "saxion.ident.ok", "--quiet", "--report", "json:" + report.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(slurp(report).find("\"saxion.ident.ok\""), std::string::npos);
}

TEST_F(CliFlags, UnwritableOutputsFailFastBeforeAnythingRuns) {
  std::ofstream(dir_ / "plain-file") << "x";
  const std::string under_file = (dir_ / "plain-file" / "r.json").string();
  const std::vector<std::vector<std::string>> cases = {{"--report", "json:" + under_file},
                                                       {"--report", "junit:" + dir_.string()},
                                                       {"--events", under_file},
                                                       {"--pcap", under_file}};
  for (const auto& extra : cases) {
    // --target spawn: a run that started would take seconds and print progress.
    std::vector<std::string> args = {
        "run", "--protocol", "saxion", "--target", "spawn", "--events", (dir_ / "ev.jsonl").string()};
    if (extra[0] == "--events") args.resize(5);
    args.insert(args.end(), extra.begin(), extra.end());
    const Result r = relaycheck(args);
    EXPECT_EQ(r.exit_code, 2) << extra[1] << ": " << r.err;
    EXPECT_LT(r.seconds, 2.0) << extra[1];  // measured ~0.01 s; the bound leaves room for a loaded CI machine
    EXPECT_EQ(lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("cannot write"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_EQ(slurp(dir_ / "ev.jsonl").find("scenario_started"), std::string::npos);  // nothing ran
  }
}

TEST_F(CliFlags, SummaryLineOnStderrWhenReportsGoToFiles) {
  const Result r = relaycheck({"run", "--protocol", "saxion", "--filter", "saxion.ident.*", "--quiet", "--report",
                               "json:" + (dir_ / "r.json").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  const std::regex line(
      R"(relaycheck: [1-9][0-9]* passed, 0 failed, 0 errors, 0 skipped, 0 xfail, 0 xpass, 0 flaky; of these, decision tier: [0-9]+ passed, 0 failed\n)");
  EXPECT_TRUE(std::regex_search(r.err, line)) << r.err;
}

constexpr const char* kOwnScenario =
    "protocol: saxion\n"                                            // 1
    "scenarios:\n"                                                  // 2
    "  - id: saxion.mine.two-logins\n"                              // 3
    "    spec: \"002: IDENT, JOINED\"\n"                            // 4
    "    requirement: A second login is announced to the first.\n"  // 5
    "    level: must\n"                                             // 6
    "    steps:\n"                                                  // 7
    "      - include: {fragment: login, with: {who: alice}}\n"      // 8
    "      - include: {fragment: login, with: {who: bob}}\n"        // 9
    "      - expect: {on: alice, frame: \"JOINED bob${uniq}\"}\n";  // 10

TEST_F(CliFlags, AddedScenarioFileUsesTheBuiltInLoginFragment) {
  std::ofstream(dir_ / "mine.yaml") << kOwnScenario;
  const Result r =
      relaycheck({"run", "--scenarios", (dir_ / "mine.yaml").string(), "--filter", "saxion.mine.*", "--verbose",
                  "--junit-root", dir_.string(), "--report", "junit:" + (dir_ / "j.xml").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("relaycheck: 1 passed, 0 failed"), std::string::npos) << r.err;
  EXPECT_NE(slurp(dir_ / "j.xml").find("file=\"mine.yaml\""), std::string::npos) << slurp(dir_ / "j.xml");
  // The built-in suite is still there beside it.
  const Result list = relaycheck({"list", "--protocol", "saxion", "--scenarios", (dir_ / "mine.yaml").string()});
  EXPECT_NE(list.out.find("saxion.mine.two-logins"), std::string::npos);
  EXPECT_NE(list.out.find("saxion.ident.ok"), std::string::npos);
}

TEST_F(CliFlags, BadAddedFileIsFileLineColumnBeforeAnythingRuns) {
  struct Case {
    std::string last_step, phrase, at = "11:9";  // the step; a bad pattern: the pattern
  };
  for (const Case& c :
       {Case{"      - expect: {on: carol, frame: {cmd: JOINED}}\n", "no connection named 'carol'"},
        Case{"      - expect: {on: bob, frame: {cmd: {$regexp: J}}}\n", "unknown pattern form '$regexp'", "11:34"},
        Case{"      - expect: {on: bob, frame: X, within: 2 parsecs}\n", "not a duration: '2 parsecs'", "11:45"},
        Case{"      - include: logn\n", "no fragment named 'logn'"}}) {
    std::ofstream(dir_ / "bad.yaml") << kOwnScenario << c.last_step;
    const Result r = relaycheck({"run", "--scenarios", (dir_ / "bad.yaml").string(), "--target", "spawn"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(lines(r.err), 1) << r.err;
    EXPECT_EQ(r.err.rfind("relaycheck: " + (dir_ / "bad.yaml").string() + ":" + c.at + ": ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(c.phrase), std::string::npos) << r.err;
    EXPECT_LT(r.seconds, 5.0);  // the suite is loaded and checked (~0.2 s), nothing is spawned
  }
}

TEST_F(CliFlags, BashCompletionCompletesEachCommandsFlags) {
  const Result script = relaycheck({"completion"});
  ASSERT_EQ(script.exit_code, 0);
  std::ofstream(dir_ / "relaycheck.bash") << script.out;
  const std::string probe =
      "source " + quote((dir_ / "relaycheck.bash").string()) +
      "; COMP_WORDS=(relaycheck run --ba); COMP_CWORD=2; _relaycheck; echo \"run:${COMPREPLY[*]}\""
      "; COMP_WORDS=(relaycheck load --ba); COMP_CWORD=2; _relaycheck; echo \"load:${COMPREPLY[*]}\""
      "; COMP_WORDS=(relaycheck fuzz --protocol c); COMP_CWORD=3; _relaycheck; echo \"proto:${COMPREPLY[*]}\"";
  std::ofstream(dir_ / "probe.sh") << probe << '\n';
  const int status =
      std::system(("bash " + quote((dir_ / "probe.sh").string()) + " >" + quote((dir_ / "c.txt").string())).c_str());
  ASSERT_EQ(status, 0);
  const std::string got = slurp(dir_ / "c.txt");
  EXPECT_NE(got.find("run:--barrier\n"), std::string::npos) << got;
  EXPECT_NE(got.find("load:\n"), std::string::npos) << got;  // load has no --barrier
  EXPECT_NE(got.find("proto:cop cs594\n"), std::string::npos) << got;
}

// relaycheck-server --completion bash: the common flags, a protocol's own options once
// --protocol names it (not another protocol's), the protocol ids and log levels as values,
// file names for a file.
TEST_F(CliFlags, ServerBashCompletionCompletesFlagsAndValues) {
  const Result script = sh("relaycheck-server", {"--completion", "bash"});
  ASSERT_EQ(script.exit_code, 0) << script.err;
  std::ofstream(dir_ / "completion-script.bash") << script.out;
  const std::string probe =
      "source " + quote((dir_ / "completion-script.bash").string()) +
      "; COMP_WORDS=(relaycheck-server --prot); COMP_CWORD=1; _relaycheck_server; echo \"flag:${COMPREPLY[*]}\""
      "; COMP_WORDS=(relaycheck-server --protocol c); COMP_CWORD=2; _relaycheck_server; echo \"proto:${COMPREPLY[*]}\""
      "; COMP_WORDS=(relaycheck-server --log-level d); COMP_CWORD=2; _relaycheck_server; echo \"level:${COMPREPLY[*]}\""
      "; COMP_WORDS=(relaycheck-server --protocol moose --cont); COMP_CWORD=3; _relaycheck_server; echo "
      "\"moose:${COMPREPLY[*]}\""
      "; COMP_WORDS=(relaycheck-server --protocol saxion --max-c); COMP_CWORD=3; _relaycheck_server; echo "
      "\"limit:${COMPREPLY[*]}\""
      "; COMP_WORDS=(relaycheck-server --protocol saxion --gr); COMP_CWORD=3; _relaycheck_server; echo "
      "\"saxion:${COMPREPLY[*]}\""
      "; COMP_WORDS=(relaycheck-server --protocol cop --gr); COMP_CWORD=3; _relaycheck_server; echo "
      "\"cop:${COMPREPLY[*]}\""
      "; COMP_WORDS=(relaycheck-server --listen ''); COMP_CWORD=2; _relaycheck_server; echo \"listen:${COMPREPLY[*]}\""
      "; cd " +
      quote(dir_.string()) +
      " && touch server.pem"
      "; COMP_WORDS=(relaycheck-server --key serv); COMP_CWORD=2; _relaycheck_server; echo \"key:${COMPREPLY[*]}\""
      "; complete -p relaycheck-server";
  std::ofstream(dir_ / "probe.sh") << probe << '\n';
  const int status =
      std::system(("bash " + quote((dir_ / "probe.sh").string()) + " >" + quote((dir_ / "c.txt").string())).c_str());
  ASSERT_EQ(status, 0);
  const std::string got = slurp(dir_ / "c.txt");
  EXPECT_NE(got.find("flag:--protocol\n"), std::string::npos) << got;
  EXPECT_NE(got.find("proto:cop cs594\n"), std::string::npos) << got;
  EXPECT_NE(got.find("level:debug\n"), std::string::npos) << got;
  EXPECT_NE(got.find("moose:--control-listen\n"), std::string::npos) << got;
  EXPECT_NE(got.find("limit:--max-connections\n"), std::string::npos) << got;
  EXPECT_NE(got.find("saxion:--greeting\n"), std::string::npos) << got;
  EXPECT_NE(got.find("cop:\n"), std::string::npos) << got;            // --greeting is saxion's, not cop's
  EXPECT_NE(got.find("listen:\n"), std::string::npos) << got;         // a HOST:PORT is typed, not completed
  EXPECT_NE(got.find("key:server.pem\n"), std::string::npos) << got;  // a file
  EXPECT_NE(got.find("complete -o filenames -F _relaycheck_server relaycheck-server"), std::string::npos) << got;
  EXPECT_EQ(sh("relaycheck-server", {"--completion", "zsh"}).exit_code, 2);
}

}  // namespace
