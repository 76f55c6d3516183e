#include "proto/psuirc/protocol.h"

#include "proto/common/framed_engine.h"
#include "proto/psuirc/codec.h"
#include "proto/psuirc/replies.h"
#include "proto/psuirc/session.h"

namespace relaycheck::proto::psuirc {

ProtocolInfo protocol_info() {
  ProtocolInfo info;
  info.id = "psuirc";
  info.title = "Internet Relay Chat Class Project (liro/lime/room/join/leve/send)";
  info.default_port = 31425;
  info.options = {
      {"max-clients", "6", "connections served at once; the next one gets 'client invalid' and is closed"},
      {"max-rooms", "1000", "rooms that can exist; 'room' beyond that gets 'input invalid'"},
  };
  // Spec 2 answers a connection over the limit with CLIENT INVALID; it has no goodbye line.
  info.refusal_bytes = Codec::encode(Line{std::string(reply::kClientInvalid)});
  const auto specs = info.options;
  info.make_engine = [specs](const OptionValues& values) -> std::unique_ptr<Engine> {
    Options o;
    o.max_clients = count_option(values, specs[0]);
    o.max_rooms = count_option(values, specs[1]);
    return std::make_unique<FramedEngine<Codec, Session>>([] { return Codec{}; }, o);
  };
  return info;
}

}  // namespace relaycheck::proto::psuirc
