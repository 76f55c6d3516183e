#pragma once
// Reads scenario files with yaml-cpp and validates them. Every error is a ScenarioError that
// names file, line and column.
#include <string>
#include <vector>

#include "harness/scenario.h"

namespace relaycheck::harness {

// Loads one file's scenarios and fragments into `suite`. `display_name` is used in locations.
void load_file(const std::string& path, const std::string& display_name, Suite& suite);
// Parses YAML text (for tests and for files read elsewhere).
void load_text(const std::string& text, const std::string& display_name, Suite& suite);
// Loads root/<protocol>/*.yaml for each protocol (all protocol directories if the list is empty)
// and checks cross-file rules: unique ids, included fragments exist.
Suite load_suite(const std::string& root, const std::vector<std::string>& protocols);
// The cross-file rules load_suite checks, for a suite assembled otherwise (added_scenarios.h).
void check_suite(const Suite& suite);

}  // namespace relaycheck::harness
