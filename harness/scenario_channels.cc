#include "harness/scenario_channels.h"

namespace relaycheck::harness {

namespace {

void collect(const std::vector<Step>& steps, const std::map<std::string, Fragment>* fragments,
             std::set<std::string>& visited, std::set<std::string>& out) {
  for (const Step& s : steps) {
    if (const auto* connect = s.as<ConnectStep>()) {
      for (const auto& c : connect->connections)
        if (!c.channel.empty() && c.channel.find("${") == std::string::npos) out.insert(c.channel);
    } else if (const auto* include = s.as<IncludeStep>(); include && fragments) {
      auto it = fragments->find(include->fragment);
      // Each fragment once: what it opens does not change, and a cycle must not loop here.
      if (it != fragments->end() && visited.insert(include->fragment).second)
        collect(it->second.steps, fragments, visited, out);
    } else if (const auto* repeat = s.as<RepeatStep>()) {
      collect(repeat->steps, fragments, visited, out);
    }
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
