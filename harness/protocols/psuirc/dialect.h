#pragma once
#include "harness/protocols/dialect.h"

namespace relaycheck::harness {

// psuirc frames: a string is a whole line ("join lobby"); {cmd, args} builds "cmd args".
// Decoded frames are {line}, exactly as sent. A string pattern matches `line`: exactly for the
// reference server, loosely (letter case, surrounding spaces, trailing words) for a target whose
// profile says `wording: loose`, since servers word the spec's replies differently (the spec
// itself writes "Sorry, no rooms " and "welcome user \n").
class PsuircDialect final : public Dialect {
 public:
  std::string protocol() const override { return "psuirc"; }
  std::string encode(const json& frame) const override;
  std::unique_ptr<FrameDecoder> decoder() const override;
  json normalize_pattern(const json& pattern) const override;
  std::string describe(const json& frame) const override;
  std::optional<BarrierProbe> barrier() const override;
  // "Any message sent to that room is forwarded to all users currently joined to that room."
  // (1): every relayed frame is room-scoped and replies go to the asker only, so scenarios with
  // their own rooms and users do not see each other on one server.
  bool broadcasts_to_all_users() const override { return false; }
};

}  // namespace relaycheck::harness
