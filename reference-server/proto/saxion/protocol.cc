#include "proto/saxion/protocol.h"

#include "proto/common/framed_engine.h"
#include "proto/saxion/codec.h"
#include "proto/saxion/session.h"

namespace relaycheck::proto::saxion {

ProtocolInfo protocol_info() {
  ProtocolInfo info;
  info.id = "saxion";
  info.title = "Internet Technology line protocol (INIT/IDENT/BCST/...)";
  info.default_port = 1337;
  info.options = {
      {"ping-interval", "10s", "time from login (and from each PING) to the next PING"},
      {"pong-timeout", "3s", "time a client has to answer a PING before DSCN"},
      {"greeting", "Welcome to the server!", "text after INIT on connect"},
  };
  // DSCN is the protocol's "you are being disconnected" (spec 002); docs/server.md.
  info.refusal_bytes = Codec::encode(Message{"DSCN", "Server full"});
  info.shutdown_bytes = Codec::encode(Message{"DSCN", "Server shutting down"});
  const auto specs = info.options;
  info.make_engine = [specs](const OptionValues& values) -> std::unique_ptr<Engine> {
    Options o;
    o.ping_interval = duration_option(values, specs[0]);
    o.pong_timeout = duration_option(values, specs[1]);
    o.greeting = string_option(values, specs[2]);
    return std::make_unique<FramedEngine<Codec, Session>>([] { return Codec{}; }, o);
  };
  return info;
}

}  // namespace relaycheck::proto::saxion
