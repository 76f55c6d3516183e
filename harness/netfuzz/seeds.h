#pragma once
// The fuzzer's seeds: the protocol's conformance scenarios, run once against the reference
// engine in this process with the wire captured, each turned into the client->server writes it
// made, per connection, with its login prefix marked.
#include <string>
#include <vector>

#include "harness/netfuzz/fuzz_case.h"

namespace relaycheck::harness::netfuzz {

// Loads root/<protocol>/*.yaml; skips role: server scenarios, those tagged slow, those with more
// than kMaxConns connections and those that send nothing. Throws ScenarioError on bad input.
std::vector<FuzzCase> load_seeds(const std::string& scenario_root, const std::string& protocol);

}  // namespace relaycheck::harness::netfuzz
