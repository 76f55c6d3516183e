#pragma once
// The harness's moose client keys: a few fixed 2048-bit key pairs made once per process (key
// generation is slow) and handed out in turn, so the connections of one scenario have
// different keys; and one more that no connection uses, for "encrypted to the wrong key".
#include "proto/moose/rsa_key.h"

namespace relaycheck::harness::moose_keys {

const proto::moose::RsaKey& next_client_key();
const proto::moose::RsaKey& wrong_key();

}  // namespace relaycheck::harness::moose_keys
