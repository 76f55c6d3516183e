#pragma once
// The protocols the reference server implements. Adding a protocol is one entry in registry.cc.
#include <string_view>
#include <vector>

#include "proto/common/protocol_info.h"

namespace relaycheck::proto {

const std::vector<ProtocolInfo>& protocols();
const ProtocolInfo* find_protocol(std::string_view id);

}  // namespace relaycheck::proto
