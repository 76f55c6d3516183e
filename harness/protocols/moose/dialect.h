#pragma once
#include "harness/protocols/dialect.h"

namespace relaycheck::harness {

// moose: scenarios write inner packets as maps ({type: key, UUID: alice}); the connection's
// codec seals them into raw packets to the server's public key (the target's "public-key-pem"
// attribute) and opens what arrives with the connection's own key pair. A `key` packet without
// a `key` field gets the connection's public key. `{raw: {...}}` builds a raw packet that is
// wrong on purpose; a string frame is inner JSON text sent as it is. On a control connection
// (`connect: {name: ctl, channel: control}`) frames are lines: a string pattern matches the
// whole line. See docs/protocols/moose.md.
class MooseDialect final : public Dialect {
 public:
  std::string protocol() const override { return "moose"; }
  std::string encode(const json& frame) const override;
  std::unique_ptr<FrameDecoder> decoder() const override;
  json normalize_pattern(const json& pattern) const override;
  std::string describe(const json& frame) const override;
  std::optional<BarrierProbe> barrier() const override { return std::nullopt; }
  // "'status' commands are sent by the server to all clients." (2.3), and a ring's ringACKACK
  // goes to all clients (specs/README.md, ring race).
  bool broadcasts_to_all_users() const override { return true; }
  std::unique_ptr<ConnectionCodec> codec(const ConnectionContext& context) const override;
  // Only control lines: the ordinary channel's codec seals with the connection's keys.
  bool encodes_statelessly(const std::string& channel) const override { return channel == "control"; }
  // probe -> probeACK with the probe's UUID (the recipient's own, spec 1.1.8/1.1.9).
  std::optional<HeartbeatAnswer> heartbeat_answer(const json& frame) const override;
};

}  // namespace relaycheck::harness
