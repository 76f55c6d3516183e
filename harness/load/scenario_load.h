#pragma once
// `relaycheck load --scenario ID`: every client runs one conformance scenario over and over
// against the same server, on its own thread (the runner is synchronous). ${client} in the
// scenario is the client's name, so scenarios that use it for user names do not collide.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "harness/load/client.h"
#include "harness/load/latency.h"
#include "proto/common/address.h"

namespace relaycheck::harness::load {

struct ScenarioLoadReport {
  std::string protocol, scenario, target;
  LoadConfig config;
  double seconds = 0;
  std::uint64_t runs = 0, passes = 0, failures = 0;  // failures: any status but pass
  LatencyHistogram durations;                        // of each run, in microseconds
  std::vector<std::string> samples;                  // the first few failures
  std::optional<std::uint64_t> rss_end_kib, rss_peak_kib;
  std::optional<std::string> target_ended;

  std::vector<std::string> problems() const;
  bool passed() const { return problems().empty(); }
};

// Throws ScenarioError when the suite does not load, std::invalid_argument when it has no `id`.
ScenarioLoadReport run_scenario_load(const std::string& scenario_root, const std::string& protocol,
                                     const std::string& id, const proto::HostPort& server, const LoadConfig& config,
                                     const std::function<void(const std::string& status, double elapsed)>& on_second);

}  // namespace relaycheck::harness::load
