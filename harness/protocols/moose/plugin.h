#pragma once
// The parts of moose's plug-in, wired together in plugin.cc.
#include <memory>
#include <vector>

#include "harness/protocols/plugin.h"

namespace relaycheck::harness::protocols::moose {

std::unique_ptr<load::Pattern> make_load_pattern();  // load_pattern.cc

}  // namespace relaycheck::harness::protocols::moose
