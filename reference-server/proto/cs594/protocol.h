#pragma once
#include "proto/common/protocol_info.h"

namespace relaycheck::proto::cs594 {
ProtocolInfo protocol_info();
}
