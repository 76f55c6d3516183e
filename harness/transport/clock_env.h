#pragma once
// What a launched target gets from the run's clock (harness/timers.h): the reference server its
// timer flags divided by the scale; any program under `faketime` the libfaketime preload.
#include <string>
#include <utility>
#include <vector>

#include "harness/transport/launch_spec.h"

namespace relaycheck::harness::transport {

// The reference server's scaled timer flags for `protocol` under `clock: {scale: N}`; none otherwise.
std::vector<std::string> clock_args(const LaunchSpec& spec, const std::string& protocol);

// spec.env, plus LD_PRELOAD (libfaketime, ahead of any preload the profile sets) and
// FAKETIME="+0 xN" under `clock: {faketime: N}`. Throws TargetError when libfaketime is missing.
std::vector<std::pair<std::string, std::string>> clock_env(const LaunchSpec& spec);

}  // namespace relaycheck::harness::transport
