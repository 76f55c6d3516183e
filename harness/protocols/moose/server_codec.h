#pragma once
// moose when relaycheck plays the server (a client under test, `role: server` scenarios): the
// connection holds the server's key pair (the target's "private-key-pem" attribute), opens the
// raw packets the client addresses to the server, and seals its own packets to the public key
// of the client's latest `key` packet, addressed to "client". See docs/protocols/moose.md.
#include <memory>

#include "harness/protocols/dialect.h"

namespace relaycheck::harness {

std::unique_ptr<ConnectionCodec> make_moose_server_codec(const ConnectionContext& context);

}  // namespace relaycheck::harness
