#include <filesystem>
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "harness/cli/args.h"
#include "harness/cli/commands.h"
#include "harness/coverage.h"
#include "harness/loader.h"

namespace relaycheck::harness::cli {

// relaycheck coverage [--protocol P]... [--format text|json] [--fail-under PCT]
int coverage_command(const Args& args) {
  const std::string format = args.one("format", "text");
  if (format != "text" && format != "json") throw UsageError("--format: expected text or json, got '" + format + "'");
  const int fail_under = args.integer("fail-under", 0, 0, 100);
  const std::string root = scenario_root(args.one("scenarios", ""));
  const Suite suite = load_suite(root, protocols_arg(args.all("protocol")));
  const std::filesystem::path docs = args.has("docs")
                                         ? std::filesystem::path(args.one("docs", ""))
                                         : std::filesystem::path(root).parent_path() / "docs" / "protocols";

  std::vector<std::string> protocols = args.all("protocol");
  if (protocols.empty())
    for (const auto& s : suite.scenarios)
      if (std::find(protocols.begin(), protocols.end(), s.protocol) == protocols.end()) protocols.push_back(s.protocol);

  nlohmann::json doc = nlohmann::json::array();
  bool below = false;
  for (const auto& protocol : protocols) {
    const auto file = docs / (protocol + ".requirements.yaml");
    const auto coverage = cover(load_requirements(file.string()), suite, protocol);
    std::size_t covered = 0;
    std::map<std::string, std::size_t> by_tier{{"spec", 0}, {"decision", 0}};  // by the best tier testing it
    for (const auto& c : coverage) {
      covered += !c.scenario_ids.empty();
      if (!c.tier().empty()) ++by_tier[c.tier()];
    }
    const double pct = coverage.empty() ? 100.0 : 100.0 * covered / coverage.size();
    below = below || pct < fail_under;
    if (format == "json") {
      nlohmann::json items = nlohmann::json::array();
      for (const auto& c : coverage)
        items.push_back({{"id", c.requirement.id},
                         {"section", c.requirement.section},
                         {"text", c.requirement.text},
                         {"tier", c.tier().empty() ? nlohmann::json(nullptr) : nlohmann::json(c.tier())},
                         {"scenarios", c.scenario_ids},
                         {"scenarios_by_tier", c.by_tier}});
      doc.push_back({{"protocol", protocol},
                     {"covered", covered},
                     {"total", coverage.size()},
                     {"percent", pct},
                     {"covered_by_tier", by_tier},
                     {"requirements", items}});
      continue;
    }
    std::cout << protocol << ": " << covered << " of " << coverage.size() << " requirements tested (" << std::fixed
              << std::setprecision(1) << pct << " %): " << by_tier["spec"] << " by spec-tier scenarios, "
              << by_tier["decision"] << " only by decision-tier ones\n";
    // The tier column: the best tier that tests the requirement (spec over decision).
    for (const auto& c : coverage) {
      std::cout << "  " << std::left << std::setw(9) << (c.scenario_ids.empty() ? "UNTESTED" : c.tier())
                << std::setw(22) << c.requirement.id << ' ' << c.requirement.section << ": " << c.requirement.text
                << '\n';
      if (!c.scenario_ids.empty()) {
        std::cout << "      " << c.scenario_ids.size() << " scenarios (" << c.by_tier.at("spec").size() << " spec, "
                  << c.by_tier.at("decision").size() << " decision): " << c.scenario_ids.front();
        for (std::size_t i = 1; i < std::min<std::size_t>(c.scenario_ids.size(), 4); ++i)
          std::cout << ", " << c.scenario_ids[i];
        std::cout << (c.scenario_ids.size() > 4 ? ", ..." : "") << '\n';
      }
    }
  }
  if (format == "json") std::cout << doc.dump(2) << '\n';
  if (below) {
    std::cerr << "relaycheck: coverage below " << fail_under << " %\n";
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace relaycheck::harness::cli
