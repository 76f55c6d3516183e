#pragma once
#include "harness/dialects/dialect.h"

namespace relaycheck::harness {

// cop frames are objects: {op: PUBLIC_MSG, sender: alice, message: hi}. `op` is a name or a
// number (a number from 12 to 255 sends that lone opcode byte); ops 0, 1, 2 and 6 carry
// `nickname`; connect ids (`id`) are decimal strings in decoded frames, so a `$capture` and a
// later `${var}` round-trip the full int64 exactly, and are accepted as strings or integers.
// After PRIVATE_ESTABLISHED a connection is a raw bridge: the decoder still decodes whole cop
// frames and reports any other byte alone as {raw: "ff"}.
class CopDialect final : public Dialect {
 public:
  std::string protocol() const override { return "cop"; }
  std::string encode(const json& frame) const override;
  std::unique_ptr<FrameDecoder> decoder() const override;
  json normalize_pattern(const json& pattern) const override;
  std::string describe(const json& frame) const override;
  // Every unknown opcode closes the connection: cop has no request with a certain, harmless reply
  // in every state, so no static probe (`quiet` waits a window)...
  std::optional<BarrierProbe> barrier() const override { return std::nullopt; }
  // "When a client is connected into Chat0s, he can send a message for all connected users. ...
  // Then the server broadcast it for each connected users." (public messages)
  bool broadcasts_to_all_users() const override { return true; }
  // ...but one per state: before login a LOGIN with the empty nickname (LOGIN_REFUSED, the
  // connection stays open); logged in as N, a PRIVATE_MSG from N to the empty nickname, which
  // nobody can have (UNKNOWN_USER). Pending while a LOGIN is unanswered; none on a connection
  // that sent PRIVATE_CONNECT or was bridged, or after a second LOGIN.
  std::unique_ptr<BarrierTracker> barrier_tracker() const override;
};

}  // namespace relaycheck::harness
