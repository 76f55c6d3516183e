#include "proto/registry.h"

#include "proto/cop/protocol.h"
#include "proto/cs594/protocol.h"
#include "proto/moose/protocol.h"
#include "proto/psuirc/protocol.h"
#include "proto/saxion/protocol.h"

namespace relaycheck::proto {

const std::vector<ProtocolInfo>& protocols() {
  static const std::vector<ProtocolInfo> all = {
      saxion::protocol_info(), psuirc::protocol_info(), cop::protocol_info(),
      cs594::protocol_info(),  moose::protocol_info(),
  };
  return all;
}

const ProtocolInfo* find_protocol(std::string_view id) {
  for (const auto& p : protocols())
    if (p.id == id) return &p;
  return nullptr;
}

}  // namespace relaycheck::proto
