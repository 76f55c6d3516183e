#pragma once
#include "harness/protocols/dialect.h"

namespace relaycheck::harness {

// saxion frames: a string is a whole line ("IDENT alice"); {cmd, args} builds one.
// Decoded frames are {cmd, args, line}.
class SaxionDialect final : public Dialect {
 public:
  std::string protocol() const override { return "saxion"; }
  std::string encode(const json& frame) const override;
  std::unique_ptr<FrameDecoder> decoder() const override;
  json normalize_pattern(const json& pattern) const override;
  std::string describe(const json& frame) const override;
  // An unknown command: the spec's answer is FAIL00 (FAIL03 before login), nothing else.
  std::optional<BarrierProbe> barrier() const override;
  // PING -> PONG, whenever it comes (before login too: the spec does not say when it starts).
  std::optional<HeartbeatAnswer> heartbeat_answer(const json& frame) const override;
  // "BCST  Broadcasting message to the connected clients." and "QUIT ... Broadcast: S:LEFT
  // <username>" (the protocol table): JOINED, LEFT and BCST reach every logged-in user.
  bool broadcasts_to_all_users() const override { return true; }
};

}  // namespace relaycheck::harness
