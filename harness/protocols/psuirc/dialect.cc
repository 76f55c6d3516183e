#include "harness/protocols/psuirc/dialect.h"

#include "harness/protocols/line_decoder.h"
#include "proto/psuirc/codec.h"

namespace relaycheck::harness {

namespace psuirc = proto::psuirc;

namespace {

json line_json(const psuirc::Line& l) { return json{{"line", l.text}}; }
std::size_t line_bytes(const psuirc::Line& l) { return l.text.size(); }

}  // namespace

std::string PsuircDialect::encode(const json& frame) const {
  std::string line;
  if (frame.is_string()) {
    line = frame.get<std::string>();
  } else if (frame.is_object() && frame.contains("cmd") && frame["cmd"].is_string()) {
    line = frame["cmd"].get<std::string>();
    if (frame.contains("args")) {
      if (!frame["args"].is_string()) throw DialectError("psuirc frame: 'args' must be a string");
      line += ' ' + frame["args"].get<std::string>();
    }
  } else {
    throw DialectError("psuirc frame must be a line (string) or {cmd, args}, got " + frame.dump());
  }
  if (line.find('\n') != std::string::npos) throw DialectError("psuirc frame contains a line feed; use raw: for that");
  return psuirc::Codec::encode(psuirc::Line{line});
}

std::unique_ptr<FrameDecoder> PsuircDialect::decoder() const {
  return std::make_unique<LineDecoder<psuirc::Codec, psuirc::Line>>(psuirc::Codec{}, line_json, line_bytes);
}

json PsuircDialect::normalize_pattern(const json& pattern) const {
  return pattern.is_string() ? json{{"line", pattern}} : pattern;
}

std::string PsuircDialect::describe(const json& frame) const {
  if (frame.is_object() && frame.contains("line")) return frame["line"].get<std::string>();
  return frame.dump();
}

std::optional<BarrierProbe> PsuircDialect::barrier() const {
  // One character is never a username (at least 2) and never a command (4 letters), so "?" is
  // answered in both states without changing either: "invalid username" before login (the
  // connection waits for another name), "command invalid Type - HELP" after it.
  return BarrierProbe{"?\n",
                      json{{"line", {{"$any_of", json::array({"invalid username", "command invalid Type - HELP"})}}}}};
}

}  // namespace relaycheck::harness
