#pragma once
#include "proto/common/protocol_info.h"

namespace relaycheck::proto::psuirc {
ProtocolInfo protocol_info();
}
