#pragma once
// The scenario model: what a YAML file says, validated, with the file position of every step.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/location.h"
#include "harness/steps.h"

namespace relaycheck::harness {

using nlohmann::json;

struct Scenario {
  std::string id, protocol, spec, requirement, level;
  std::vector<std::string> tags;               // e.g. "slow": needs long real waits over the network
  std::vector<std::string> requires_features;  // optional features it tests (`requires:`)
  std::string role = "client";                 // what relaycheck plays: client (testing a server) or server
  std::vector<Step> steps;
  Location at;
};

struct Fragment {
  std::string name;
  std::vector<Step> steps;
  Location at;
};

struct Suite {
  std::vector<Scenario> scenarios;                                   // in file order, files sorted by name
  std::map<std::string, std::map<std::string, Fragment>> fragments;  // protocol -> name -> fragment
};

}  // namespace relaycheck::harness
