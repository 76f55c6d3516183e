#include "harness/netfuzz/protocol_hints.h"

#include "harness/protocols/registry.h"

namespace relaycheck::harness::netfuzz {

const ProtocolHints& hints_for(const std::string& protocol) {
  static const ProtocolHints generic;
  const ProtocolPlugin* plugin = find_protocol(protocol);
  return plugin ? plugin->fuzz_hints : generic;
}

}  // namespace relaycheck::harness::netfuzz
