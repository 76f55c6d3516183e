#include <iostream>

#include <nlohmann/json.hpp>

#include "harness/added_scenarios.h"
#include "harness/cli/args.h"
#include "harness/cli/commands.h"
#include "harness/loader.h"
#include "harness/match.h"
#include "reports/result.h"

namespace relaycheck::harness::cli {

int list_command(const Args& args) {
  const std::string format = args.one("format", "text");
  if (format != "text" && format != "json") throw UsageError("--format: expected text or json, got '" + format + "'");
  const Suite suite = load_suite_with(scenario_root(""), protocols_arg(args.all("protocol")), args.all("scenarios"));
  const auto filters = args.all("filter");
  auto selected = [&](const Scenario& s) {
    if (filters.empty()) return true;
    for (const auto& f : filters)
      if (glob_match(f, s.id)) return true;
    return false;
  };
  if (format == "json") {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& s : suite.scenarios) {
      if (!selected(s)) continue;
      list.push_back({{"id", s.id},
                      {"protocol", s.protocol},
                      {"spec", s.spec},
                      {"level", s.level},
                      {"tier", reports::tier_of(s.level)},  // spec (must/should/may) or decision
                      {"requirement", s.requirement},
                      {"file", s.at.file},
                      {"line", s.at.line},
                      {"tags", s.tags},
                      {"role", s.role}});
    }
    std::cout << list.dump(2) << '\n';
    return kExitOk;
  }
  std::size_t n = 0;
  for (const auto& s : suite.scenarios) {
    if (!selected(s)) continue;
    ++n;
    std::cout << s.id << "  [" << s.level << "] " << s.spec << "\n    " << s.requirement << "  (" << s.at.file << ':'
              << s.at.line << ")\n";
  }
  std::cout << n << " scenarios\n";
  return kExitOk;
}

}  // namespace relaycheck::harness::cli
