#pragma once
#include "harness/protocols/dialect.h"

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
  // No probe in any state: every unknown opcode closes the connection; before login the only
  // request is LOGIN, which a server accepting the nickname (the empty one too: the spec leaves
  // the rules to the server) turns into a login; after it, a PRIVATE_MSG reaches whoever has the
  // receiver's nickname. `quiet` waits a silence window (docs/protocols/cop.md, "Barrier").
  std::optional<BarrierProbe> barrier() const override { return std::nullopt; }
  // "When a client is connected into Chat0s, he can send a message for all connected users. ...
  // Then the server broadcast it for each connected users." (public messages)
  bool broadcasts_to_all_users() const override { return true; }
};

}  // namespace relaycheck::harness
