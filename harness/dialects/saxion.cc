#include "harness/dialects/saxion.h"

#include "proto/saxion/codec.h"

namespace relaycheck::harness {

namespace saxion = proto::saxion;

namespace {

class SaxionDecoder final : public FrameDecoder {
 public:
  void feed(std::string_view bytes) override {
    codec_.feed(bytes);
    pending_ += bytes.size();
  }
  std::variant<std::monostate, json, Undecodable> next() override {
    auto item = codec_.next();
    if (auto* m = std::get_if<saxion::Message>(&item)) {
      const std::string line = m->to_line();
      pending_ -= std::min(pending_, line.size() + 1);
      return json{{"cmd", m->command}, {"args", m->payload}, {"line", line}};
    }
    if (auto* e = std::get_if<proto::DecodeError>(&item)) return Undecodable{e->describe()};
    return std::monostate{};
  }
  // Approximate when "\r\n" terminators were used; only reported, never matched.
  std::size_t pending_bytes() const override { return pending_; }

 private:
  saxion::Codec codec_;
  std::size_t pending_ = 0;
};

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

std::unique_ptr<FrameDecoder> SaxionDialect::decoder() const { return std::make_unique<SaxionDecoder>(); }

json SaxionDialect::normalize_pattern(const json& pattern) const {
  if (pattern.is_string()) return json{{"line", pattern}};
  return pattern;
}

std::string SaxionDialect::describe(const json& frame) const {
  if (frame.is_object() && frame.contains("line")) return frame["line"].get<std::string>();
  return frame.dump();
}

std::optional<BarrierProbe> SaxionDialect::barrier() const {
  // No command starts with a dot, so this is unknown in every state: FAIL00.
  return BarrierProbe{".relaycheck-barrier\n", json{{"cmd", "FAIL00"}}};
}

}  // namespace relaycheck::harness
