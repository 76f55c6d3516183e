// relaycheck: conformance runner for the chat protocols in docs/protocols/.
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "harness/cli/args.h"
#include "harness/cli/commands.h"
#include "harness/cli/data_dirs.h"
#include "harness/dialects/dialect.h"
#include "harness/scenario.h"
#include "harness/target.h"
#include "harness/transport/interrupt.h"

#ifndef RELAYCHECK_VERSION
#define RELAYCHECK_VERSION "0.0.0"
#endif

namespace relaycheck::harness::cli {

std::string scenario_root(const std::string& from_flag) {
  if (!from_flag.empty()) return from_flag;
  return default_scenario_root();  // $RELAYCHECK_SCENARIOS, else next to the binary (cli/data_dirs.h)
}

std::vector<std::string> protocols_arg(const std::vector<std::string>& given) {
  for (const auto& p : given)
    if (!find_dialect(p)) throw UsageError("unknown protocol '" + p + "' (known: " + known_protocols() + ")");
  return given;
}

}  // namespace relaycheck::harness::cli

namespace {

constexpr const char* kHelp = R"(usage: relaycheck COMMAND [OPTIONS]

Conformance harness for small chat protocols (saxion, cop, cs594, psuirc, moose).

commands:
  list   list the conformance scenarios
         --protocol P        only this protocol (repeatable)
         --filter GLOB       only ids matching GLOB (repeatable), e.g. 'saxion.ident.*'
         --format text|json  json: id, protocol, level (tier), spec (its quote),
                             requirement, file, line
  run    run scenarios against a target and report
         --protocol P        only this protocol (repeatable; default: all)
         --filter GLOB       only ids matching GLOB (repeatable)
         --target T          inprocess (default: the reference server in this process, on
                             virtual time), spawn (the reference server as a child process,
                             one per scenario, on a free loopback port) or HOST:PORT
         --profile P         run the target a profile describes (scenarios/profiles/P.yaml or a
                             path): its launch command or address, its known failures
                             (listed failures are xfail, listed passes xpass); docs/profiles.md
                             (a profile with a fixed port: runs one scenario at a time)
         --attribute NAME=TEXT|NAME=@FILE, --channel NAME=HOST:PORT
                             for --target HOST:PORT (repeatable): a fact the server publishes
                             (moose: public-key-pem=@server.pub.pem) and another channel of
                             it (moose: control=HOST:PORT); scenarios that open a channel the
                             target lacks are skipped
         --rerun N           rerun failures up to N times; one that then passes is flaky
         --strict            decision-tier failures (level: decision, this project's reading
                             of a point the spec leaves open) fail the run too
         --write-baseline F  write this run's failures as a known_failures file
         --jobs N            run N scenarios at once (isolated targets only)
         --report F[:PATH]   text, json, junit or html; to PATH or stdout (repeatable;
                             default: text to stdout)
         --within D          default wait of expect steps (default 2s)
         --barrier probe|silence
                             how `quiet` knows nothing more comes over the network: the
                             dialect's harmless probe where it has one (default), or only
                             silence windows calibrated from the run's round trips
         --skip-tag TAG      skip scenarios tagged TAG (repeatable), e.g. slow: those
                             that wait minutes of real time over the network
         --pcap DIR          write each scenario's conversation to DIR/<id>.pcapng
                             (loopback TCP streams that tshark and Wireshark follow)
         --transcript-dir DIR
                             write what the client side of each scenario sent as a session
                             fuzz seed, DIR/<protocol>/<id> (format: fuzz/common/transcript.h)
         --events PATH|-     live events as JSON Lines (scenario start, each frame, each
                             verdict) as they happen
         --seed N            the run's seed (default: a random one, shown in the reports);
                             the reference server's random choices (cop connect ids) follow it
         --verbose           list passing scenarios too
         --quiet             no progress lines on stderr
         --server-bin PATH   the relaycheck-server to spawn (default: next to relaycheck)
  report  one HTML page from earlier runs' JSON reports (a cross-target matrix for several)
         --html OUT RUN.json...
  coverage  each requirement of each spec (docs/protocols/<id>.requirements.yaml) and the
         scenarios that test it, per tier (spec: must/should/may; decision)
         --protocol P, --format text|json, --fail-under PCT (exit 1 below PCT %)
  load   many clients against one server; every delivery checked (docs/load.md)
         --protocol P        the protocol (one)
         --target T          spawn (default: the reference server as a child process, its
                             memory reported) or HOST:PORT
         --profile P         the server a profile launches (its memory reported) or its address
         --clients N         concurrent clients (default 10)
         --duration D        how long they send (default 10s)
         --rate R            R messages/s over all clients (default: closed loop, each client
                             sends its next message when the last is acknowledged)
         --message-bytes N   message size (default 64)
         --scenario ID       each client runs this scenario over and over instead
         --report F[:PATH]   text or json; to PATH or stdout (repeatable; default text)
         --server-bin PATH   the server to spawn;  --server-arg A  passed to it (repeatable)
         --quiet             no live status line on stderr
  fuzz   the network fuzzer: mutates the suite's conversations against a server, writes each
         finding (crash, hang, undecodable reply, sanitizer report) as a minimised scenario
         --protocol P        the protocol (one)
         --target T          HOST:PORT, spawn (the reference server, restarted after each
                             crash) or spawn:CMD (split like a shell, quotes keep spaces;
                             {port}, {protocol}, {bin} filled in; a lone program path is run
                             as a relaycheck-server)
         --profile P         the server a profile launches (cwd, env, ready, port) or its address
         --seed N            the run's seed (default random; printed): same seed, same cases
         --duration D        how long (default 60s); --max-cases N, --max-findings N stop sooner
         --out DIR           findings as DIR/<protocol>/fuzz-<kind>-<n>.yaml, and summary.json
                             (default out/fuzz); replay: relaycheck run --scenarios DIR
         --report json:PATH  the JSON summary to PATH too
         --cases-per-session N  cases run back to back over one set of connections,
                             after one login (default 8; 1: a fresh session per case)
         --no-minimise       write findings as found;  --quiet  no status line
common options:
  --scenarios DIR   scenario root (default: $RELAYCHECK_SCENARIOS or the source tree's)
  --help, --version

exit status: 0 nothing unexpected, 1 a scenario failed or errored (fuzz: a finding), 2 usage or input error,
  130/143 interrupted by SIGINT/SIGTERM: launched servers ended, reports written marked incomplete
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace relaycheck::harness;
  std::signal(SIGPIPE, SIG_IGN);  // a server that closes mid-write is a result, not a crash
  // SIGINT/SIGTERM end every launched process group and write an incomplete report (exit 130/143).
  transport::watch_interrupts();
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kHelp;
    return args.empty() ? cli::kExitUsage : cli::kExitOk;
  }
  if (args[0] == "--version") {
    std::cout << "relaycheck " << RELAYCHECK_VERSION << '\n';
    return 0;
  }
  std::string command_line = "relaycheck";
  for (const auto& a : args) command_line += " " + a;
  const std::string command = args[0];
  args.erase(args.begin());
  for (const auto& a : args)
    if (a == "--help" || a == "-h") {
      std::cout << kHelp;
      return 0;
    }
  // A command that ends, or fails, while an interrupt is handled leaves the exit to it.
  struct AwaitInterrupt {
    ~AwaitInterrupt() {
      if (transport::interrupted()) transport::await_interrupt_exit();
    }
  } await_interrupt;
  try {
    if (command == "list") return cli::list_command(args);
    if (command == "run") return cli::run_command(args, command_line);
    if (command == "report") return cli::report_command(args);
    if (command == "coverage") return cli::coverage_command(args);
    if (command == "load") return cli::load_command(args);
    if (command == "fuzz") return cli::fuzz_command(args, command_line);
    throw cli::UsageError("unknown command '" + command + "' (expected list, run, report, coverage, load or fuzz)");
  } catch (const cli::UsageError& e) {
    if (transport::interrupted()) transport::await_interrupt_exit();  // not the run's error
    std::cerr << "relaycheck: " << e.what() << " (see relaycheck --help)\n";
  } catch (const ScenarioError& e) {
    if (transport::interrupted()) transport::await_interrupt_exit();  // not the run's error
    std::cerr << "relaycheck: " << e.what() << '\n';
  } catch (const TargetError& e) {
    if (transport::interrupted()) transport::await_interrupt_exit();  // not the run's error
    std::cerr << "relaycheck: target: " << e.what() << '\n';
  } catch (const std::exception& e) {
    if (transport::interrupted()) transport::await_interrupt_exit();  // not the run's error
    std::cerr << "relaycheck: " << e.what() << '\n';
  }
  return cli::kExitUsage;
}
