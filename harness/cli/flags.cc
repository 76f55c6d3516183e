#include "harness/cli/flags.h"

#include "harness/protocols/registry.h"

namespace relaycheck::harness::cli {

namespace {

Flag value(std::string name, std::string arg, std::string help, std::string def = {},
           std::vector<std::string> choices = {}) {
  return Flag{std::move(name), std::move(arg), std::move(help), std::move(def), std::move(choices), false};
}
Flag repeated(std::string name, std::string arg, std::string help, std::string def = {}) {
  return Flag{std::move(name), std::move(arg), std::move(help), std::move(def), {}, true};
}
Flag toggle(std::string name, std::string help) { return Flag{std::move(name), {}, std::move(help), {}, {}, false}; }

// Flags several commands share, worded once.
Flag protocols() { return repeated("protocol", "P", "only this protocol (repeatable)", "all"); }
Flag one_protocol() { return value("protocol", "P", "the protocol (exactly one)"); }
Flag filters() {
  return repeated("filter", "GLOB",
                  "only scenario ids matching GLOB (repeatable), e.g. '" + default_protocol() + ".ident.*'");
}
Flag scenarios() {
  return repeated(
      "scenarios", "PATH",
      "a scenario file or directory added to the built-in suite (repeatable); its fragments (login) stay usable");
}
// fuzz, load and coverage read one scenario root (seeds, a scenario, requirements' scenarios).
Flag scenario_root() {
  return value("scenarios", "DIR", "the scenario root to use instead of the built-in one",
               "$RELAYCHECK_SCENARIOS or the installed suite");
}
Flag profile() {
  return value("profile", "P",
               "the target a profile describes: scenarios/profiles/P.yaml or a path (docs/profiles.md)");
}
Flag barrier() {
  return value("barrier", "MODE",
               "how a barrier knows nothing more comes: the dialect's harmless probe, or silence windows", "probe",
               {"probe", "silence"});
}
Flag format() { return value("format", "FORMAT", "output format", "text", {"text", "json"}); }
Flag quiet(std::string what) { return toggle("quiet", std::move(what)); }
Flag help() { return toggle("help", "this command's flags, then exit"); }
Flag version() { return toggle("version", "the relaycheck version, then exit"); }

std::vector<CommandSpec> make_specs() {
  std::vector<CommandSpec> specs;
  specs.push_back({"list",
                   "list the conformance scenarios",
                   "",
                   {protocols(), filters(), format(), scenarios(), help(), version()}});
  specs.push_back(
      {"run",
       "run scenarios against a target and report",
       "",
       {protocols(),
        filters(),
        value("target", "T",
              "inprocess (reference server, virtual time), spawn (reference server per scenario) or HOST:PORT",
              "inprocess"),
        profile(),
        repeated("attribute", "NAME=TEXT|NAME=@FILE",
                 "with --target HOST:PORT: a fact the server publishes (e.g. a key: public-key-pem=@FILE)"),
        repeated("channel", "NAME=HOST:PORT",
                 "with --target HOST:PORT: another channel of the server (e.g. control=HOST:PORT)"),
        value("rerun", "N", "rerun failures up to N times; one that then passes is flaky", "0"),
        toggle("strict", "decision-tier failures (this project's reading of an open point) fail the run too"),
        value("write-baseline", "FILE", "write this run's failures as a known_failures file"),
        value("jobs", "N", "run N scenarios at once (isolated targets only)", "1"),
        repeated("report", "KIND[:PATH]",
                 "text, json, junit or html; to PATH (parent dirs created) or stdout (repeatable)", "text"),
        value("junit-root", "DIR", "JUnit file attributes relative to DIR (CI pages link them to the repository)",
              "as loaded"),
        value("within", "D", "default wait of expect steps", "2s"),
        value("time-scale", "N",
              "with --target spawn: the reference server's timers and the named waits divided by N (1..10000)", "1"),
        barrier(),
        repeated("skip-tag", "TAG", "skip scenarios tagged TAG (repeatable), e.g. slow"),
        value("pcap", "DIR", "each scenario's conversation as DIR/<id>.pcapng (tshark, Wireshark)"),
        value("transcript-dir", "DIR", "each scenario's client side as a session fuzz seed, DIR/<protocol>/<id>"),
        value("events", "PATH|-", "live events as JSON Lines (scenario start, frames, verdicts)"),
        value("seed", "N", "the run's seed, shown in the reports; the reference server's random choices follow it",
              "random"),
        toggle("verbose", "list passing scenarios too"),
        quiet("no progress lines on stderr"),
        value("server-bin", "PATH", "the relaycheck-server to spawn", "next to relaycheck"),
        scenarios(),
        help(),
        version()}});
  specs.push_back({"report",
                   "one HTML page from earlier runs' JSON reports (a cross-target matrix for several)",
                   "RUN.json...",
                   {value("html", "OUT", "the HTML page to write (required)"), help(), version()}});
  specs.push_back(
      {"coverage",
       "each spec requirement and the scenarios that test it, per tier",
       "",
       {protocols(), format(), scenario_root(),
        value("docs", "DIR", "where <protocol>.requirements.yaml are", "docs/protocols beside the scenarios"),
        value("fail-under", "PCT", "exit 1 when a protocol's coverage is below PCT %", "0"), help(), version()}});
  specs.push_back(
      {"load",
       "many clients against one server, every delivery checked (docs/load.md)",
       "",
       {one_protocol(), value("target", "T", "spawn (the reference server, its memory reported) or HOST:PORT", "spawn"),
        profile(), value("clients", "N", "concurrent clients", "10"),
        value("duration", "D", "how long they send", "10s"),
        value("rate", "R", "R messages/s over all clients", "closed loop"),
        value("message-bytes", "N", "message size (16..400)", "64"),
        value("scenario", "ID", "each client runs this scenario over and over instead"),
        value("setup-timeout", "D", "how long connecting and logging in every client may take", "20s"),
        repeated("report", "KIND[:PATH]", "text or json; to PATH or stdout (repeatable)", "text"),
        value("server-bin", "PATH", "the server spawn starts", "next to relaycheck"),
        repeated("server-arg", "A", "passed to the spawned server (repeatable), e.g. --server-arg=--max-queued-bytes"),
        scenario_root(), quiet("no live status line on stderr"), help(), version()}});
  specs.push_back(
      {"fuzz",
       "the network fuzzer: findings as minimised scenarios (docs/fuzzing.md)",
       "",
       {one_protocol(),
        value("target", "T", "HOST:PORT, spawn, or spawn:CMD ({port}, {protocol}, {bin} filled in)"),
        profile(),
        value("seed", "N", "the run's seed: same seed, same cases", "random"),
        value("duration", "D", "how long", "60s"),
        value("max-cases", "N", "stop after N cases", "no limit"),
        value("max-findings", "N", "stop after N findings", "no limit"),
        value("out", "DIR", "findings as DIR/<protocol>/fuzz-<kind>-<n>.yaml and summary.json", "out/fuzz"),
        value("report", "json:PATH", "the JSON summary to PATH too"),
        value("cases-per-session", "N", "cases run back to back over one set of connections (1: fresh each)", "8"),
        value("jobs", "N", "N workers, each with its own launched target and seed stream, sharing the findings", "1"),
        value("minimise-time", "D", "how long minimising one finding may take", "60s"),
        barrier(),
        toggle("no-minimise", "write findings as found"),
        toggle("no-replay", "report findings without replaying them on a fresh target"),
        toggle("differential", "compare every reply with the reference engine's: a difference is a deviation finding"),
        toggle("strict", "with --differential: the project's decisions count too, not only the spec"),
        scenario_root(),
        quiet("no status line on stderr"),
        help(),
        version()}});
  specs.push_back({"completion",
                   "print the bash completion script (source it, or put it in bash-completion's directory)",
                   "",
                   {help(), version()}});
  return specs;
}

}  // namespace

const std::vector<CommandSpec>& command_specs() {
  static const std::vector<CommandSpec> specs = make_specs();
  return specs;
}

const CommandSpec* find_command_spec(const std::string& name) {
  for (const auto& s : command_specs())
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace relaycheck::harness::cli
