#include "harness/netfuzz/replay.h"

#include <cstdlib>
#include <filesystem>

#include "harness/loader.h"
#include "harness/profile.h"
#include "harness/runner.h"
#include "harness/target_impl.h"
#include "harness/transport/command_line.h"

namespace relaycheck::harness::netfuzz {

std::unique_ptr<Target> make_replay_target(const std::string& spec, std::uint64_t seed) {
  TargetOptions options;
  options.seed = seed;
  if (spec == "spawn") return make_spawn_target(options);
  if (spec.rfind("profile:", 0) == 0) {
    // `fuzz --profile`: the profile's launch (per replay) or its address, as `run --profile` does.
    const Profile profile = load_profile(spec.substr(8), "");
    // What an address alone does not tell (a server's key, a control channel).
    options.attributes = profile.attributes;
    options.channels = profile.channels;
    if (profile.launch) return make_launch_target(*profile.launch, "profile " + profile.name, options);
    return make_target(profile.address, options);
  }
  if (spec.rfind("spawn:", 0) != 0) return make_target(spec, options);
  LaunchSpec launch;
  try {
    launch.command = transport::split_command(spec.substr(6));
  } catch (const std::invalid_argument& e) {
    throw TargetError("--target spawn:CMD: " + std::string(e.what()));
  }
  if (launch.command.empty()) throw TargetError("--target spawn:CMD: the command is empty");
  if (launch.command.size() == 1) {
    // A lone program is run as a relaycheck-server, as the fuzzer ran it.
    launch.command.insert(launch.command.end(),
                          {"--protocol", "{protocol}", "--listen", "127.0.0.1:0", "--log-level", "error"});
    launch.reference_server = true;
  }
  // Without {port} the program picks its port and names it ("listening on HOST:PORT").
  if (!transport::mentions_port(launch.command)) launch.ready_stdout = "listening on ";
  return make_launch_target(launch, "replay of spawn:" + spec.substr(6), options);
}

Replay replay_finding(const std::string& path, Target& target) {
  Replay r;
  Suite suite;
  try {
    load_file(path, std::filesystem::path(path).filename().string(), suite);
  } catch (const std::exception& e) {
    r.message = std::string("the scenario does not load: ") + e.what();
    return r;
  }
  if (suite.scenarios.size() != 1) {
    r.message = "the file holds " + std::to_string(suite.scenarios.size()) + " scenarios, expected one";
    return r;
  }
  RunOptions options;
  const auto result = run_scenario(suite.scenarios.front(), suite, target, options);
  // An error is the harness not getting to run it (say, the target did not start): not a replay.
  r.ran = result.status != reports::Status::error;
  r.failed = result.status == reports::Status::fail;
  // failed_at is FILE:LINE:COLUMN.
  if (const auto last = result.failed_at.rfind(':'); last != std::string::npos && last > 0) {
    if (const auto before = result.failed_at.rfind(':', last - 1); before != std::string::npos)
      r.failed_line = static_cast<std::size_t>(std::strtoul(result.failed_at.c_str() + before + 1, nullptr, 10));
  }
  const std::string verdict = result.message.substr(0, result.message.find('\n'));
  r.message = std::string(reports::to_string(result.status)) + (verdict.empty() ? "" : ": " + verdict);
  return r;
}

}  // namespace relaycheck::harness::netfuzz
