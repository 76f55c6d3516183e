#pragma once
// The figures of a load run and its verdict, as text for people and JSON for machines.
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/load/client.h"
#include "harness/load/run.h"
#include "harness/load/scenario_load.h"

namespace relaycheck::harness::load {

struct LoadReport {
  std::string protocol;
  std::string target;
  LoadConfig config;
  LoadOutcome outcome;
  std::optional<std::uint64_t> rss_end_kib, rss_peak_kib;  // a spawned target's memory
  std::optional<std::string> target_ended;                 // a spawned target that died

  // Why the run failed (loss, duplicates, errors...); empty when it passed.
  std::vector<std::string> problems() const;
  bool passed() const { return problems().empty(); }
};

void write_text(const LoadReport& report, std::ostream& out);
nlohmann::json to_json(const LoadReport& report);
void write_text(const ScenarioLoadReport& report, std::ostream& out);
nlohmann::json to_json(const ScenarioLoadReport& report);
// The live status line: "12.0s  sent 10234 (850/s)  delivered 1013166  lost 0  p99 3.1ms".
std::string status_line(const LoadStats& stats, double elapsed);

}  // namespace relaycheck::harness::load
