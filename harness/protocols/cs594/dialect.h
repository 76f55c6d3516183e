#pragma once
#include "harness/protocols/dialect.h"

namespace relaycheck::harness {

// cs594 frames are JSON objects. In scenarios `op` may be a name from the spec's tables
// ("LOGIN", "ERR_ILLEGAL_OP") or a number; a string frame is JSON text sent verbatim. Decoded
// frames are the objects as received. The matcher's {$strict: {...}} (no keys beyond the named
// ones, op names allowed inside) and {$unordered: [...]} (a list in any order) serve the spec's
// exact replies and unordered lists. See docs/protocols/cs594.md.
class Cs594Dialect final : public Dialect {
 public:
  std::string protocol() const override { return "cs594"; }
  std::string encode(const json& frame) const override;
  std::unique_ptr<FrameDecoder> decoder() const override;
  json normalize_pattern(const json& pattern) const override;
  std::string describe(const json& frame) const override;
  // No probe is harmless in every state (an unknown op may drop the client): none.
  std::optional<BarrierProbe> barrier() const override { return std::nullopt; }
  // Logged in, LIST_ROOMS (answered to the asker only, changes nothing); before, silence.
  std::unique_ptr<BarrierTracker> barrier_tracker() const override;
  // HEARTBEAT -> HEARTBEAT, whenever it comes.
  std::optional<HeartbeatAnswer> heartbeat_answer(const json& frame) const override;
  bool ends_client_frame(std::string_view written) const override;
  // "When the server detects a client has left it broadcasts to all clients that the user has
  // left the server." (Exit app: USER_EXIT), whatever rooms they share.
  bool broadcasts_to_all_users() const override { return true; }
};

}  // namespace relaycheck::harness
