#pragma once
// The server under fuzzing: an address that is already listening, or a program the fuzzer
// launches (and relaunches after each crash), whose exit and stderr it watches.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/netfuzz/socket.h"
#include "harness/process.h"

namespace relaycheck::harness::netfuzz {

// Whether stderr text holds a sanitizer's report.
bool has_sanitizer_report(const std::string& text);

class FuzzTarget {
 public:
  // "HOST:PORT"; "spawn": the relaycheck-server next to relaycheck; "spawn:CMD": CMD split on
  // spaces with {port} and {protocol} filled in; a CMD that is one program path is taken to be
  // a relaycheck-server and gets --protocol/--listen. Throws TargetError for a bad spec.
  FuzzTarget(const std::string& spec, const std::string& protocol, std::uint64_t seed);
  ~FuzzTarget();

  void start();  // throws TargetError when it cannot start or be reached
  void restart();
  const std::string& host() const { return host_; }
  std::uint16_t port() const { return port_; }
  bool spawned() const { return !command_.empty(); }
  std::string describe() const { return spec_; }
  int starts() const { return starts_; }

  // Nothing while the target lives; else how it ended (its exit and last stderr lines), or for
  // an address that it refuses connections. Waits up to `grace` for a dying process to go.
  std::optional<std::string> death(Millis grace);
  // A cheap check for a spawned target: how it ended, if it has (nothing for an address).
  std::optional<std::string> exited();
  // New sanitizer reports ("ERROR: AddressSanitizer", "runtime error:") on the spawned
  // target's stderr since the last call.
  std::optional<std::string> sanitizer_report();

 private:
  std::string spec_, protocol_;
  std::uint64_t seed_;
  std::vector<std::string> command_;  // empty for an address
  bool port_placeholder_ = false;
  std::string host_ = "127.0.0.1";
  std::uint16_t port_ = 0;
  std::unique_ptr<ChildProcess> child_;
  std::size_t sanitizer_lines_seen_ = 0;
  int starts_ = 0;
};

}  // namespace relaycheck::harness::netfuzz
