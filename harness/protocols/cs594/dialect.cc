#include "harness/protocols/cs594/dialect.h"
#include "harness/protocols/cs594/json_nesting.h"

#include "harness/match.h"
#include "proto/cs594/codec.h"
#include "proto/cs594/ops.h"

namespace relaycheck::harness {

namespace cs594 = proto::cs594;

namespace {

class Cs594Decoder final : public FrameDecoder {
 public:
  void feed(std::string_view bytes) override { codec_.feed(bytes); }
  std::variant<std::monostate, json, Undecodable> next() override {
    auto item = codec_.next();
    if (auto* m = std::get_if<cs594::Message>(&item)) {
      if (!m->valid_json) return Undecodable{"a value that is not JSON"};
      return m->body;
    }
    if (auto* e = std::get_if<proto::DecodeError>(&item)) return Undecodable{e->describe()};
    return std::monostate{};
  }
  std::size_t pending_bytes() const override { return codec_.pending(); }

 private:
  // Server replies: the spec sets no size limit (the reference server's 64 KiB is a decision on
  // what it accepts from clients), so a relayed 65 KiB message must decode; 16 MiB bounds memory.
  static constexpr std::size_t kMaxReplyBytes = 16 * 1024 * 1024;
  cs594::Codec codec_{kMaxReplyBytes};
};

bool is_form_with(const json& p, const char* key) { return p.is_object() && p.size() == 1 && p.contains(key); }

json op_number(const std::string& name) {
  auto op = cs594::op_from_name(name);
  if (!op) throw PatternError("cs594: unknown op name '" + name + "'");
  return static_cast<std::int64_t>(*op);
}

// An op pattern: names become numbers, also inside $any_of and $not.
json op_pattern(const json& p) {
  if (p.is_string()) return op_number(p.get<std::string>());
  if (p.is_object() && !p.empty() && p.begin().key().starts_with("$")) {
    json out = p;
    if (p.contains("$any_of") && p["$any_of"].is_array()) {
      out["$any_of"] = json::array();
      for (const auto& alt : p["$any_of"]) out["$any_of"].push_back(op_pattern(alt));
    }
    if (p.contains("$not")) out["$not"] = op_pattern(p["$not"]);
    return out;
  }
  return p;
}

json frame_pattern(const json& p) {
  if (p.is_string()) {
    json parsed = json::parse(p.get<std::string>(), nullptr, false);
    if (parsed.is_discarded()) throw PatternError("cs594: a string pattern must be JSON text: " + p.get<std::string>());
    return frame_pattern(parsed);
  }
  if (is_form_with(p, "$strict")) return json{{"$strict", frame_pattern(p["$strict"])}};
  if (p.is_object() && !p.empty() && p.begin().key().starts_with("$")) {
    json out = p;
    if (p.contains("$any_of") && p["$any_of"].is_array()) {
      out["$any_of"] = json::array();
      for (const auto& alt : p["$any_of"]) out["$any_of"].push_back(frame_pattern(alt));
    }
    if (p.contains("$not")) out["$not"] = frame_pattern(p["$not"]);
    return out;
  }
  json out = p;
  if (out.is_object() && out.contains("op")) out["op"] = op_pattern(p["op"]);
  return out;
}

}  // namespace

std::string Cs594Dialect::encode(const json& frame) const {
  if (frame.is_string()) return frame.get<std::string>();  // JSON text, verbatim (may be broken on purpose)
  json body = frame;
  if (body.is_object() && body.contains("op") && body["op"].is_string()) {
    // A known name becomes its number; any other string is sent as it is (a wrong-type op).
    if (auto op = cs594::op_from_name(body["op"].get<std::string>())) body["op"] = static_cast<std::int64_t>(*op);
  }
  std::string text = body.dump(-1, ' ', false, json::error_handler_t::replace);
  // Objects, arrays and strings end themselves; a bare number or literal needs a delimiter.
  if (!body.is_object() && !body.is_array()) text += '\n';
  return text;
}

std::unique_ptr<FrameDecoder> Cs594Dialect::decoder() const { return std::make_unique<Cs594Decoder>(); }

json Cs594Dialect::normalize_pattern(const json& pattern) const { return frame_pattern(pattern); }

std::string Cs594Dialect::describe(const json& frame) const {
  json shown = frame;
  std::string name;
  if (shown.is_object()) {
    if (shown.contains("op") && shown["op"].is_number_integer())
      if (auto n = cs594::op_name(shown["op"].get<std::int64_t>())) name = std::string(*n) + " ";
  }
  return name + shown.dump(-1, ' ', false, json::error_handler_t::replace);
}

namespace {

// The spec lets a server answer an unknown op by dropping the client, and says nothing of what a
// connection may do before LOGIN. After the server's LOGIN reply, LIST_ROOMS is answered "only
// [to] the client that requested the list", with no state change: the probe from then on.
class Cs594Barrier final : public BarrierTracker {
 public:
  void on_received(const json& frame) override {
    if (frame.is_object() && frame.value("op", json()) == static_cast<std::int64_t>(cs594::Op::login) &&
        frame.contains("username"))
      logged_in_ = true;
  }
  std::optional<BarrierProbe> probe() const override {
    if (!logged_in_) return std::nullopt;
    const auto list_rooms = static_cast<std::int64_t>(cs594::Op::list_rooms);
    return BarrierProbe{json{{"op", list_rooms}}.dump() + "\n", json{{"op", list_rooms}}};
  }

 private:
  bool logged_in_ = false;
};

}  // namespace

std::unique_ptr<BarrierTracker> Cs594Dialect::barrier_tracker() const { return std::make_unique<Cs594Barrier>(); }

std::optional<HeartbeatAnswer> Cs594Dialect::heartbeat_answer(const json& frame) const {
  const auto heartbeat = static_cast<std::int64_t>(cs594::Op::heartbeat);
  if (frame.is_object() && frame.value("op", json()) == heartbeat)
    return HeartbeatAnswer{json{{"op", heartbeat}}, "HEARTBEAT"};
  return std::nullopt;
}

// A stream of JSON values with no separator of its own: between values when every object and
// array opened is closed, outside any string.
bool Cs594Dialect::ends_client_frame(std::string_view written) const {
  const auto n = protocols::cs594::json_nesting(written);
  return n.open <= 0 && !n.in_string;
}

}  // namespace relaycheck::harness
