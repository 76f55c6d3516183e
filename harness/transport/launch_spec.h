#pragma once
// How to launch one program under test: what a profile's `launch:` says (docs/profiles.md).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/timers.h"
#include "proto/common/time.h"

namespace relaycheck::harness {

struct LaunchSpec {
  std::vector<std::string> command;  // "{port}", "{protocol}", "{bin}" in any argument are filled in
  std::string cwd;                   // relative paths are relative to the profile's directory
  std::vector<std::pair<std::string, std::string>> env;
  // Ready when a stdout line contains ready_stdout, if set; else, with ready_connect, when a
  // connection succeeds (the server sees it: an explicit choice only); else (the default) when
  // the port is LISTENING in /proc/net/tcp{,6}, held by the launched process group.
  std::string ready_stdout;
  bool ready_connect = false;
  std::optional<std::uint16_t> fixed_port;  // a hard-coded port: {port} is this, one instance at a time
  proto::Millis start_timeout{5000};
  bool reference_server = false;  // relaycheck-server itself: gets the run's --seed where it applies
  // Its time: real; scaled (the reference server's timer flags divided); or faked by libfaketime.
  Clock clock;
};

}  // namespace relaycheck::harness
