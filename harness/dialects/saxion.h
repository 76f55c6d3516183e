#pragma once
#include "harness/dialects/dialect.h"

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
  std::optional<BarrierProbe> barrier() const override;
  // "BCST  Broadcasting message to the connected clients." and "QUIT ... Broadcast: S:LEFT
  // <username>" (the protocol table): JOINED, LEFT and BCST reach every logged-in user.
  bool broadcasts_to_all_users() const override { return true; }
};

}  // namespace relaycheck::harness
