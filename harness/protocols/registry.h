#pragma once
// The one list of protocol plug-ins (registry.cc). Tools look a protocol up here by the id a
// user or a scenario gives; nothing else in harness/ names a protocol.
#include <string>
#include <string_view>
#include <vector>

#include "harness/protocols/plugin.h"

namespace relaycheck::harness {

// Every plug-in, in the order listings show them.
const std::vector<const ProtocolPlugin*>& protocol_plugins();
// nullptr for an unknown id.
const ProtocolPlugin* find_protocol(std::string_view id);
// "<id>, <id>, ..." for messages and help text.
std::string protocol_names();
// The first plug-in's id: the default where a flag needs some protocol.
std::string default_protocol();

}  // namespace relaycheck::harness
