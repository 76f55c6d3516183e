#pragma once
#include "proto/registry.h"

namespace relaycheck::proto::saxion {
ProtocolInfo protocol_info();
}
