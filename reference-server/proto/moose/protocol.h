#pragma once
#include "proto/common/protocol_info.h"
#include "proto/moose/rsa_key.h"

namespace relaycheck::proto::moose {

ProtocolInfo protocol_info();

// The server key when no --key is given: generated once per process and size, then reused (key
// generation is slow; in-process runs make an engine per scenario). Thread-safe.
const RsaKey& generated_server_key(int bits);

}  // namespace relaycheck::proto::moose
