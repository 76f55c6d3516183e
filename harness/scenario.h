#pragma once
// The scenario model: what a YAML file says, validated, with the file position of every step.
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace relaycheck::harness {

using nlohmann::json;

struct Location {
  std::string file;  // relative to the scenario root, e.g. "saxion/ident.yaml"
  int line = 0;      // 1-based
  int column = 0;    // 1-based
  std::string str() const {
    return line == 0 ? file : file + ":" + std::to_string(line) + ":" + std::to_string(column);
  }
};

// Bad scenario input: names the file, line and column.
struct ScenarioError : std::runtime_error {
  ScenarioError(const Location& at, const std::string& message)
      : std::runtime_error(at.str() + ": " + message), where(at) {}
  Location where;
};

struct Step {
  enum class Kind { connect, accept, input, send, expect, ignore, quiet, close, expect_close, advance, set, repeat, include,
                    take_heartbeats };
  Kind kind;
  json args;                 // the step's value, normalised by the loader (see loader.cc)
  std::vector<Step> steps;   // repeat's body
  Location at;
};
const char* to_string(Step::Kind k);

struct Scenario {
  std::string id, protocol, spec, requirement, level;
  std::vector<std::string> tags;  // e.g. "slow": needs long real waits over the network
  std::vector<std::string> requires_features;  // optional features it tests (`requires:`)
  std::string role = "client";    // what relaycheck plays: client (testing a server) or server
  std::vector<Step> steps;
  Location at;
};

struct Fragment {
  std::string name;
  std::vector<Step> steps;
  Location at;
};

struct Suite {
  std::vector<Scenario> scenarios;  // in file order, files sorted by name
  std::map<std::string, std::map<std::string, Fragment>> fragments;  // protocol -> name -> fragment
};

}  // namespace relaycheck::harness
