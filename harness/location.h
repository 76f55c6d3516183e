#pragma once
// Where something is in a scenario file, and the error that names it.
#include <stdexcept>
#include <string>

namespace relaycheck::harness {

struct Location {
  std::string file;  // relative to the scenario root, e.g. "<protocol>/ident.yaml"
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

}  // namespace relaycheck::harness
