#pragma once
#include "proto/common/protocol_info.h"

namespace relaycheck::proto::saxion {
ProtocolInfo protocol_info();
}
