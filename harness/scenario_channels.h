#pragma once
// Which named channels (connect: {name, channel}) a scenario opens, through its includes and
// repeats: run_scenario skips a scenario whose channel the target does not offer.
#include <set>
#include <string>

#include "harness/scenario.h"

namespace relaycheck::harness {

// The channel names given literally; one made of ${variables} is known only when it runs.
std::set<std::string> channels_opened(const Scenario& scenario, const Suite& suite);

}  // namespace relaycheck::harness
