#pragma once
#include "proto/common/protocol_info.h"

namespace relaycheck::proto::cop {
ProtocolInfo protocol_info();
}
