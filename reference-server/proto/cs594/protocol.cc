#include "proto/cs594/protocol.h"

#include "proto/common/framed_engine.h"
#include "proto/cs594/codec.h"
#include "proto/cs594/session.h"

namespace relaycheck::proto::cs594 {

ProtocolInfo protocol_info() {
  ProtocolInfo info;
  info.id = "cs594";
  info.title = "CS594/494 IRC class project (JSON objects with an integer op)";
  info.default_port = 8000;
  info.options = {
      {"heartbeat-interval", "1s", "how often the server sends HEARTBEAT to every connection"},
      {"heartbeat-timeout", "5s", "client silence after a HEARTBEAT that ends the connection (ERR_TIMEOUT)"},
  };
  const auto specs = info.options;
  info.make_engine = [specs](const OptionValues& values) -> std::unique_ptr<Engine> {
    Options o;
    o.heartbeat_interval = duration_option(values, specs[0]);
    o.heartbeat_timeout = duration_option(values, specs[1]);
    if (o.heartbeat_interval.count() <= 0) throw OptionError("--heartbeat-interval must be positive");
    if (o.heartbeat_timeout.count() <= 0) throw OptionError("--heartbeat-timeout must be positive");
    return std::make_unique<FramedEngine<Codec, Session>>([] { return Codec{}; }, o);
  };
  return info;
}

}  // namespace relaycheck::proto::cs594
