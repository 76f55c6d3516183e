// relaycheck: conformance runner for the chat protocols in docs/protocols/.
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "harness/cli/args.h"
#include "harness/cli/commands.h"
#include "harness/cli/data_dirs.h"
#include "harness/cli/help.h"
#include "harness/protocols/dialect.h"
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

int main(int argc, char** argv) {
  using namespace relaycheck::harness;
  std::signal(SIGPIPE, SIG_IGN);  // a server that closes mid-write is a result, not a crash
  // SIGINT/SIGTERM end every launched process group and write an incomplete report (exit 130/143).
  transport::watch_interrupts();
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    // `relaycheck help run` is `relaycheck run --help`.
    const cli::CommandSpec* spec = args.size() > 1 ? cli::find_command_spec(args[1]) : nullptr;
    if (spec)
      cli::print_command_help(*spec, std::cout);
    else
      cli::print_global_help(args.empty() ? std::cerr : std::cout);
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
  const cli::CommandSpec* spec = cli::find_command_spec(command);
  if (!spec) {
    std::cerr << "relaycheck: unknown command '" << command << "' (expected";
    for (const auto& s : cli::command_specs()) std::cerr << ' ' << s.name;
    std::cerr << "; see relaycheck --help)\n";
    return cli::kExitUsage;
  }
  // A command that ends, or fails, while an interrupt is handled leaves the exit to it.
  struct AwaitInterrupt {
    ~AwaitInterrupt() {
      if (transport::interrupted()) transport::await_interrupt_exit();
    }
  } await_interrupt;
  try {
    const cli::Args parsed(args, *spec);
    if (parsed.has("help")) {
      cli::print_command_help(*spec, std::cout);
      return cli::kExitOk;
    }
    if (parsed.has("version")) {
      std::cout << "relaycheck " << RELAYCHECK_VERSION << '\n';
      return cli::kExitOk;
    }
    if (command == "completion") {
      cli::print_bash_completion(std::cout);
      return cli::kExitOk;
    }
    if (command == "list") return cli::list_command(parsed);
    if (command == "run") return cli::run_command(parsed, command_line);
    if (command == "report") return cli::report_command(parsed);
    if (command == "coverage") return cli::coverage_command(parsed);
    if (command == "load") return cli::load_command(parsed);
    if (command == "fuzz") return cli::fuzz_command(parsed, command_line);
    throw cli::UsageError("command '" + command + "' has no implementation");
  } catch (const cli::UsageError& e) {
    if (transport::interrupted()) transport::await_interrupt_exit();  // not the run's error
    std::cerr << "relaycheck: " << e.what() << " (see relaycheck " << command << " --help)\n";
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
