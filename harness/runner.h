#pragma once
// Runs scenarios against a target and turns each into a ScenarioResult with its evidence.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "harness/barrier.h"
#include "harness/match.h"
#include "harness/scenario.h"
#include "harness/target.h"
#include "harness/timers.h"
#include "reports/events.h"
#include "reports/result.h"

namespace relaycheck::harness {

struct RunOptions {
  Millis default_within{2000};  // expect / expect_close without `within:`
  // How the target keeps time: named timer waits are divided by protocol_scale(clock, protocol).
  Clock clock;
  // `quiet` over the network: the dialect's harmless probes where it has them (else a silence
  // window), or silence windows only (a profile's `barrier:`, `--barrier`).
  BarrierMode barrier = BarrierMode::probe;
  // The run's silence windows and probe switches, shared by its scenarios (and copies of these
  // options); its notes() go into the run's report.
  std::shared_ptr<BarrierBook> barriers = std::make_shared<BarrierBook>();
  int jobs = 1;  // parallel scenarios (a shared server: only for protocols that do not broadcast)
  std::map<std::string, std::string> vars;  // preset variables (a profile's vars)
  Wording wording = Wording::exact;         // a profile's choice for human-readable text
  // Optional features the target implements (a profile's capabilities); empty: all of them.
  std::optional<std::vector<std::string>> capabilities;
  std::vector<std::string> skip_tags;
  reports::EventSink* events = nullptr;  // live events (--events), if wanted
  bool capture_wire = false;  // keep the raw bytes of every connection (--pcap)  // scenarios with any of these tags
                              // are skipped, not run
  // Told once what a run decided about its concurrency (say, a protocol run one scenario at a time
  // against a shared server); unset: a "relaycheck: " line on stderr.
  std::function<void(const std::string&)> on_notice;
  // Called after each scenario, from the thread that ran it, serialised by the runner.
  std::function<void(const reports::ScenarioResult&, std::size_t done, std::size_t total)> on_result;
};

reports::ScenarioResult run_scenario(const Scenario& scenario, const Suite& suite, Target& target,
                                     const RunOptions& options);

// Results in the order of `scenarios`, whatever the order they ran in.
std::vector<reports::ScenarioResult> run_scenarios(const std::vector<const Scenario*>& scenarios, const Suite& suite,
                                                   Target& target, const RunOptions& options);

}  // namespace relaycheck::harness
