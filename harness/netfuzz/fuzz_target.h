#pragma once
// The server under fuzzing: an address that is already listening, or a program the fuzzer
// launches through the one launcher (and relaunches after each crash), whose exit and stderr it
// watches.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/transport/connection.h"
#include "harness/transport/launcher.h"

namespace relaycheck::harness::netfuzz {

using transport::Millis;

// Whether stderr text holds a sanitizer's report.
bool has_sanitizer_report(const std::string& text);

class FuzzTarget {
 public:
  // "HOST:PORT"; "spawn": the relaycheck-server next to relaycheck; "spawn:CMD": CMD split like
  // a shell ("a b" and 'a b' are one argument) with {port}, {protocol} and {bin} filled in, ready
  // when {port} listens or, without {port}, on its "listening on HOST:PORT" line; a CMD that is
  // one program is taken to be a relaycheck-server and gets --protocol/--listen;
  // "profile:PATH": a profile's launch (command, cwd, env, ready, port) or address.
  // Throws TargetError for a bad spec, ScenarioError for a bad profile.
  FuzzTarget(const std::string& spec, const std::string& protocol, std::uint64_t seed);
  ~FuzzTarget();

  void start();  // throws TargetError when it cannot start or be reached
  void restart();
  // Ends a launched target (its process group), freeing its port; start() brings it back.
  void stop();
  // The port a profile's `port:` fixes, if any: one instance at a time can listen on it.
  std::optional<std::uint16_t> fixed_port() const { return launch_ ? launch_->fixed_port : std::nullopt; }
  const std::string& host() const { return host_; }
  std::uint16_t port() const { return port_; }
  bool spawned() const { return launch_.has_value(); }
  std::string describe() const { return spec_; }
  int starts() const { return starts_; }

  // Nothing while the target lives; else how it ended (its exit and the first and last lines of
  // its stderr), or that it stopped listening (a launched target) or refuses connections (an
  // address). Waits up to `grace` for a dying process to go.
  std::optional<std::string> death(Millis grace);
  // A cheap check for a spawned target: how it ended, if it has (nothing for an address).
  std::optional<std::string> exited();
  // New sanitizer reports ("ERROR: AddressSanitizer", "runtime error:") on the spawned
  // target's stderr since the last call.
  std::optional<std::string> sanitizer_report();

 private:
  void reference_server(std::vector<std::string>& command);

  std::string spec_, protocol_;
  std::uint64_t seed_;
  std::optional<LaunchSpec> launch_;  // nothing for an address
  std::string host_ = "127.0.0.1";
  std::uint16_t port_ = 0;
  std::unique_ptr<transport::Launched> server_;
  std::size_t sanitizer_lines_seen_ = 0;
  int starts_ = 0;
};

}  // namespace relaycheck::harness::netfuzz
