#pragma once
// The parts of cs594's plug-in, wired together in plugin.cc.
#include <memory>
#include <vector>

#include "harness/protocols/plugin.h"

namespace relaycheck::harness::protocols::cs594 {

std::unique_ptr<load::Pattern> make_load_pattern();  // load_pattern.cc
const netfuzz::ProtocolHints& fuzz_hints();          // fuzz.cc
std::vector<netfuzz::Allowance> allowances();        // fuzz.cc

}  // namespace relaycheck::harness::protocols::cs594
