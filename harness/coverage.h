#pragma once
// Requirement coverage: each requirement a spec documents (every command, reply and error code,
// listed in docs/protocols/<id>.requirements.yaml with its spec section) and the scenarios that
// test it. A scenario tests a requirement when its `spec:` field names one of the requirement's
// terms as a whole word, or when its steps (with the fragments they include) use one of the
// requirement's `in_steps` values, e.g. a frame's op name in a binary protocol.
#include <map>
#include <string>
#include <vector>

#include "harness/scenario.h"

namespace relaycheck::harness {

struct Requirement {
  std::string id;                     // e.g. "FAIL02"
  std::string section;                // where the spec documents it
  std::string text;                   // what it is, in words
  std::vector<std::string> terms;     // what a scenario's spec field names; default: the id
  std::vector<std::string> in_steps;  // string values that a scenario's steps contain
  Location at;
};

struct RequirementCoverage {
  Requirement requirement;
  std::vector<std::string> scenario_ids;
  // The same ids by tier ("spec": level must/should/may; "decision"); both keys always present.
  std::map<std::string, std::vector<std::string>> by_tier;
  // "spec" when a spec-tier scenario tests it, "decision" when only decision-tier ones do, else "".
  std::string tier() const;
};

// Reads a requirements file; ScenarioError with file:line:column on bad input.
std::vector<Requirement> load_requirements(const std::string& path);

std::vector<RequirementCoverage> cover(const std::vector<Requirement>& requirements, const Suite& suite,
                                       const std::string& protocol);

}  // namespace relaycheck::harness
