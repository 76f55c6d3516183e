#include "harness/protocols/saxion/dialect.h"

#include "harness/protocols/line_decoder.h"
#include "proto/saxion/codec.h"

namespace relaycheck::harness {

namespace saxion = proto::saxion;

namespace {

json message_json(const saxion::Message& m) {
  return json{{"cmd", m.command}, {"args", m.payload}, {"line", m.to_line()}};
}
std::size_t message_bytes(const saxion::Message& m) { return m.to_line().size(); }

bool has_terminator(const std::string& s) { return s.find_first_of("\r\n") != std::string::npos; }

}  // namespace

std::string SaxionDialect::encode(const json& frame) const {
  std::string line;
  if (frame.is_string()) {
    line = frame.get<std::string>();
  } else if (frame.is_object() && frame.contains("cmd") && frame["cmd"].is_string()) {
    saxion::Message m{frame["cmd"].get<std::string>(), {}};
    if (frame.contains("args")) {
      if (!frame["args"].is_string()) throw DialectError("saxion frame: 'args' must be a string");
      m.payload = frame["args"].get<std::string>();
    }
    line = m.to_line();
  } else {
    throw DialectError("saxion frame must be a line (string) or {cmd, args}, got " + frame.dump());
  }
  if (has_terminator(line)) throw DialectError("saxion frame contains a line terminator; use raw: for that");
  return saxion::Codec::encode(saxion::Message::parse(line));
}

std::unique_ptr<FrameDecoder> SaxionDialect::decoder() const {
  // A server's line may exceed the clients' 64 KiB by the prefix of an echo or relay ("OK BCST ",
  // "BCST <name> ") of a client line at the limit (docs/protocols/saxion.md).
  return std::make_unique<LineDecoder<saxion::Codec, saxion::Message>>(saxion::Codec{saxion::kMaxServerLineBytes},
                                                                       message_json, message_bytes);
}

json SaxionDialect::normalize_pattern(const json& pattern) const {
  if (pattern.is_string()) return json{{"line", pattern}};
  return pattern;
}

std::string SaxionDialect::describe(const json& frame) const {
  if (frame.is_object() && frame.contains("line")) return frame["line"].get<std::string>();
  return frame.dump();
}

std::optional<BarrierProbe> SaxionDialect::barrier() const {
  // No command starts with a dot, so this is unknown in every state. The spec's table answers an
  // unknown command with FAIL00 and names no state change for it; a server may check the login
  // first and answer FAIL03 (docs/protocols/saxion.md, "Barrier").
  return BarrierProbe{".relaycheck-barrier\n", json{{"cmd", {{"$any_of", json::array({"FAIL00", "FAIL03"})}}}}};
}

std::optional<HeartbeatAnswer> SaxionDialect::heartbeat_answer(const json& frame) const {
  if (frame.is_object() && frame.value("cmd", json()) == "PING") return HeartbeatAnswer{"PONG", "PONG"};
  return std::nullopt;
}

}  // namespace relaycheck::harness
