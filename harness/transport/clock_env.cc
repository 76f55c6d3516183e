#include "harness/transport/clock_env.h"

#include <unistd.h>
#include <cstdlib>
#include <sstream>

#include "harness/target.h"

namespace relaycheck::harness::transport {

std::vector<std::string> clock_args(const LaunchSpec& spec, const std::string& protocol) {
  // Only the reference server takes them (profile.cc refuses `scale` for other programs).
  if (spec.clock.mode != Clock::Mode::scaled) return {};
  return scaled_server_flags(protocol, protocol_scale(spec.clock, protocol));
}

namespace {

// The multi-threaded variant: servers run threads (Asio, Java, Python's executor). Debian's
// libfaketime package puts it here; RELAYCHECK_LIBFAKETIME names another.
std::string libfaketime_path() {
  if (const char* given = std::getenv("RELAYCHECK_LIBFAKETIME"); given && *given) return given;
  for (const char* p : {"/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1",
                        "/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1",
                        "/usr/lib/faketime/libfaketimeMT.so.1", "/usr/local/lib/faketime/libfaketimeMT.so.1"})
    if (::access(p, R_OK) == 0) return p;
  return {};
}

}  // namespace

std::vector<std::pair<std::string, std::string>> clock_env(const LaunchSpec& spec) {
  auto env = spec.env;
  if (spec.clock.mode != Clock::Mode::faketime) return env;
  const std::string lib = libfaketime_path();
  if (lib.empty() || ::access(lib.c_str(), R_OK) != 0)
    throw TargetError(
        "clock: {faketime: ...} needs libfaketime (Debian: apt-get install libfaketime; or set "
        "RELAYCHECK_LIBFAKETIME to its libfaketimeMT.so.1)");
  std::string preload = lib;
  for (auto it = env.begin(); it != env.end();) {
    if (it->first == "LD_PRELOAD" || it->first == "FAKETIME") {
      if (it->first == "LD_PRELOAD" && !it->second.empty()) preload += ":" + it->second;
      it = env.erase(it);
    } else {
      ++it;
    }
  }
  std::ostringstream rate;
  rate << spec.clock.factor;
  // "+0 xN": no offset, every clock (CLOCK_MONOTONIC too) runs N times fast from the start.
  env.emplace_back("LD_PRELOAD", preload);
  env.emplace_back("FAKETIME", "+0 x" + rate.str());
  return env;
}

}  // namespace relaycheck::harness::transport
