#include "harness/scenario_channels.h"

namespace relaycheck::harness {

namespace {

void collect(const std::vector<Step>& steps, const std::map<std::string, Fragment>* fragments,
             std::set<std::string>& visited, std::set<std::string>& out) {
  for (const Step& s : steps) {
    if (s.kind == Step::Kind::connect) {
      for (const auto& n : s.args) {
        if (!n.is_object() || !n.contains("channel") || !n["channel"].is_string()) continue;
        const std::string channel = n["channel"].get<std::string>();
        if (channel.find("${") == std::string::npos) out.insert(channel);
      }
    } else if (s.kind == Step::Kind::include && fragments && s.args.contains("fragment")) {
      const std::string name = s.args["fragment"].get<std::string>();
      auto it = fragments->find(name);
      // Each fragment once: what it opens does not change, and a cycle must not loop here.
      if (it != fragments->end() && visited.insert(name).second) collect(it->second.steps, fragments, visited, out);
    }
    collect(s.steps, fragments, visited, out);  // repeat's body
  }
}

}  // namespace

std::set<std::string> channels_opened(const Scenario& scenario, const Suite& suite) {
  auto space = suite.fragments.find(scenario.protocol);
  const std::map<std::string, Fragment>* fragments = space == suite.fragments.end() ? nullptr : &space->second;
  std::set<std::string> visited, out;
  collect(scenario.steps, fragments, visited, out);
  return out;
}

}  // namespace relaycheck::harness
