#include "proto/registry.h"

#include "proto/saxion/protocol.h"

namespace relaycheck::proto {

const std::vector<ProtocolInfo>& protocols() {
  static const std::vector<ProtocolInfo> all = {
      saxion::protocol_info(),
  };
  return all;
}

const ProtocolInfo* find_protocol(std::string_view id) {
  for (const auto& p : protocols())
    if (p.id == id) return &p;
  return nullptr;
}

}  // namespace relaycheck::proto
