#pragma once
// What both sides of a moose connection share: lines in (one raw packet or control line each),
// each turned into a frame by `to_frame`; a decode failure stops the stream.
#include <optional>
#include <string>

#include "harness/protocols/dialect.h"
#include "proto/common/line_codec.h"
#include "proto/moose/engine.h"

namespace relaycheck::harness {

// JSON text as the moose codecs send it (invalid UTF-8 replaced, not thrown).
inline std::string moose_dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// An inner packet to send: scenario variables are text, so a ring ID captured as "7" goes back
// as the number 7.
inline json moose_numeric_id(json p) {
  if (p.contains("ID") && p["ID"].is_string()) {
    const std::string& id = p["ID"].get_ref<const std::string&>();
    if (!id.empty() && id.size() < 18 && id.find_first_not_of("0123456789") == std::string::npos)
      p["ID"] = std::stoll(id);
  }
  return p;
}

class MooseLineCodec : public ConnectionCodec {
 public:
  void feed(std::string_view bytes) override { lines_.feed(bytes); }
  std::variant<std::monostate, json, Undecodable> next() override {
    if (broken_) return Undecodable{*broken_};
    auto item = lines_.next();
    if (auto* e = std::get_if<proto::DecodeError>(&item)) return Undecodable{e->describe()};
    if (auto* line = std::get_if<std::string>(&item)) {
      auto frame = to_frame(*line, lines_.line_start());
      if (auto* u = std::get_if<Undecodable>(&frame)) broken_ = u->reason;
      return frame;
    }
    return std::monostate{};
  }
  std::size_t pending_bytes() const override { return lines_.buffered(); }

 protected:
  virtual std::variant<std::monostate, json, Undecodable> to_frame(const std::string& line, std::size_t offset) = 0;

 private:
  proto::LineSplitter lines_{proto::moose::kMaxLineBytes, proto::LineEnds::lf_or_crlf};
  std::optional<std::string> broken_;
};

}  // namespace relaycheck::harness
