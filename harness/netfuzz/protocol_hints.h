#pragma once
// The network fuzzer's hints for a protocol, from its plug-in (harness/protocols/fuzz_hints.h).
#include <string>

#include "harness/protocols/fuzz_hints.h"

namespace relaycheck::harness::netfuzz {

// The plug-in's hints; the generic ones for a protocol the registry does not know.
const ProtocolHints& hints_for(const std::string& protocol);

}  // namespace relaycheck::harness::netfuzz
