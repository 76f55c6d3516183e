#include "harness/netfuzz/fuzz_target.h"

#include <sstream>
#include <stdexcept>
#include <thread>

#include "harness/profile.h"
#include "harness/server_access.h"
#include "harness/target.h"
#include "harness/target_impl.h"
#include "harness/transport/command_line.h"
#include "proto/common/address.h"

namespace relaycheck::harness::netfuzz {

bool has_sanitizer_report(const std::string& text) {
  for (const char* marker :
       {"ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer", "WARNING: ThreadSanitizer"})
    if (text.find(marker) != std::string::npos) return true;
  return false;
}

// A relaycheck-server's flags: the protocol, a port it picks and prints, the run's seed.
void FuzzTarget::reference_server(std::vector<std::string>& command) {
  command.insert(command.end(), {"--protocol", "{protocol}", "--listen", "127.0.0.1:0", "--log-level", "error"});
  TargetOptions options;
  options.seed = seed_;
  for (const auto& [name, value] : reference_options(protocol_, options))
    command.insert(command.end(), {"--" + name, value});
}

FuzzTarget::FuzzTarget(const std::string& spec, const std::string& protocol, std::uint64_t seed)
    : spec_(spec), protocol_(protocol), seed_(seed) {
  if (spec.rfind("profile:", 0) == 0) {
    const Profile profile = load_profile(spec.substr(8), ".");
    if (profile.role != "server")
      throw TargetError("profile " + profile.name + " is a client profile; fuzz needs a server");
    if (profile.launch) {
      launch_ = *profile.launch;
      return;
    }
    auto hp = proto::parse_host_port(profile.address);
    if (!hp) throw TargetError("profile " + profile.name + ": address '" + profile.address + "' is not HOST:PORT");
    host_ = hp->host;
    port_ = hp->port;
    return;
  }
  if (spec == "spawn" || spec.rfind("spawn:", 0) == 0) {
    LaunchSpec launch;
    try {
      launch.command = spec == "spawn" ? std::vector<std::string>{default_server_binary()}
                                       : transport::split_command(spec.substr(6));
    } catch (const std::invalid_argument& e) {
      throw TargetError("--target spawn:CMD: " + std::string(e.what()));
    }
    if (launch.command.empty()) throw TargetError("--target spawn:CMD: the command is empty");
    if (launch.command.size() == 1) reference_server(launch.command);  // a lone program: a relaycheck-server
    // Without {port}, the program names its address: "listening on HOST:PORT".
    if (!transport::mentions_port(launch.command)) launch.ready_stdout = "listening on ";
    launch_ = std::move(launch);
    return;
  }
  auto hp = proto::parse_host_port(spec);
  if (!hp) throw TargetError("unknown target '" + spec + "' (expected HOST:PORT, spawn, spawn:CMD or a --profile)");
  host_ = hp->host;
  port_ = hp->port;
}

FuzzTarget::~FuzzTarget() = default;

void FuzzTarget::start() {
  ++starts_;
  if (!spawned()) {
    transport::Connection s;
    if (auto err = s.connect(host_, port_, Millis{3000}); !err.empty())
      throw TargetError("cannot connect to " + host_ + ":" + std::to_string(port_) + " (" + spec_ + "): " + err);
    return;
  }
  server_.reset();
  sanitizer_lines_seen_ = 0;
  transport::LaunchRequest request;
  request.protocol = protocol_;
  request.label = "the fuzz target '" + launch_->command.front() + "'";
  server_ = std::make_unique<transport::Launched>(*launch_, request);
  host_ = server_->address().host;
  port_ = server_->address().port;
}

void FuzzTarget::restart() {
  stop();
  start();
}

void FuzzTarget::stop() {
  if (server_) server_->stop(Millis{500});
  server_.reset();  // releases a fixed port's lock once the process has ended
}

std::optional<std::string> FuzzTarget::death(Millis grace) {
  if (!spawned()) {
    // A server relaycheck did not start: a dead one's listener refuses at once.
    transport::Connection s;
    auto err = s.connect(host_, port_, Millis{1000});
    if (err.empty()) return std::nullopt;
    return "the target refuses connections: " + err;
  }
  if (!server_) return "the target is not running";
  // A launched target is seen through the OS: its exit, or its listener gone (no connection made).
  auto status = server_->ended();
  if (!status) {
    if (server_->still_listening()) return std::nullopt;
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (!status && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(Millis{2});
      status = server_->ended();
    }
    if (!status) return "the target no longer listens on port " + std::to_string(port_);
  }
  return exited();
}

std::optional<std::string> FuzzTarget::exited() {
  if (!server_) return std::nullopt;
  auto report = server_->crash_report();
  if (!report) return std::nullopt;
  return "the target " + *report;
}

std::optional<std::string> FuzzTarget::sanitizer_report() {
  if (!server_) return std::nullopt;
  std::istringstream tail(server_->process().stderr_tail(100000));
  std::size_t count = 0;
  std::string first_new;
  for (std::string line; std::getline(tail, line);) {
    if (!has_sanitizer_report(line)) continue;
    if (++count > sanitizer_lines_seen_ && first_new.empty()) first_new = line;
  }
  if (count <= sanitizer_lines_seen_) return std::nullopt;
  sanitizer_lines_seen_ = count;
  return first_new;
}

}  // namespace relaycheck::harness::netfuzz
