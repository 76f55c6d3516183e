#include "harness/protocols/cop/dialect.h"

#include <charconv>
#include <cstdio>

#include "proto/cop/codec.h"

namespace relaycheck::harness {

namespace cop = proto::cop;

namespace {

// The JSON key of the first string of an op: ops 0, 1, 2 and 6 carry a nickname.
const char* first_key(cop::Op op) {
  switch (op) {
    case cop::Op::login:
    case cop::Op::login_accepted:
    case cop::Op::login_refused:
    case cop::Op::unknown_user:
      return "nickname";
    default:
      return "sender";
  }
}

json to_json(const cop::Frame& f) {
  const cop::Layout lay = cop::layout_of(f.op);
  json j = {{"op", std::string(cop::op_name(f.op))}, {"code", static_cast<int>(f.op)}};
  if (lay.strings >= 1) j[first_key(f.op)] = f.sender;
  if (lay.has_receiver) j["receiver"] = f.receiver;
  if (lay.has_message) j["message"] = f.message;
  if (lay.has_id) j["id"] = std::to_string(f.id);
  return j;
}

std::string hex_byte(unsigned char b) {
  char buf[3];
  std::snprintf(buf, sizeof buf, "%02x", b);
  return buf;
}

class CopDecoder final : public FrameDecoder {
 public:
  void feed(std::string_view bytes) override {
    if (bridged_)
      raw_.append(bytes);
    else
      codec_.feed(bytes);
  }

  std::variant<std::monostate, json, Undecodable> next() override {
    if (bridged_) return next_bridged();
    auto item = codec_.next();
    if (auto* e = std::get_if<proto::DecodeError>(&item)) return Undecodable{e->describe()};
    if (auto* f = std::get_if<cop::Frame>(&item)) {
      if (f->op == cop::Op::private_established) {
        bridged_ = true;
        raw_ = codec_.take_unparsed();
      }
      return to_json(*f);
    }
    return std::monostate{};
  }

  std::size_t pending_bytes() const override { return bridged_ ? raw_.size() : codec_.buffered(); }

  // Playing the server, relaycheck's own 11 starts the bridge for what the client sends next.
  void on_sent(const json& frame) override {
    if (bridged_ || !frame.is_object() || !frame.contains("op")) return;
    const json& op = frame["op"];
    if ((op.is_string() && op == "PRIVATE_ESTABLISHED") ||
        (op.is_number_integer() && op.get<int>() == static_cast<int>(cop::Op::private_established))) {
      bridged_ = true;
      raw_ = codec_.take_unparsed();
    }
  }

 private:
  // On a bridge anything may pass: whole cop frames are decoded, other bytes come one by one.
  std::variant<std::monostate, json, Undecodable> next_bridged() {
    if (raw_.empty()) return std::monostate{};
    cop::Codec probe;
    probe.feed(raw_);
    auto item = probe.next();
    if (auto* f = std::get_if<cop::Frame>(&item)) {
      raw_.erase(0, cop::Codec::encode(*f).size());
      return to_json(*f);
    }
    if (std::holds_alternative<std::monostate>(item)) return std::monostate{};  // a frame, unfinished
    const auto b = static_cast<unsigned char>(raw_[0]);
    raw_.erase(0, 1);
    return json{{"raw", hex_byte(b)}};
  }

  cop::Codec codec_;
  bool bridged_ = false;
  std::string raw_;
};

std::optional<cop::Op> op_of(const json& v) {
  if (v.is_string()) return cop::op_from_name(v.get<std::string>());
  if (v.is_number_integer()) return cop::op_from_byte(v.get<int>());
  return std::nullopt;
}

std::string string_field(const json& frame, const char* key, const char* alt = nullptr) {
  const json* v = nullptr;
  if (frame.contains(key))
    v = &frame[key];
  else if (alt && frame.contains(alt))
    v = &frame[alt];
  if (!v) throw DialectError(std::string("cop frame ") + frame.dump() + " needs '" + key + "'");
  if (!v->is_string()) throw DialectError(std::string("cop frame: '") + key + "' must be a string");
  return v->get<std::string>();
}

std::int64_t id_field(const json& frame) {
  if (!frame.contains("id")) throw DialectError("cop frame " + frame.dump() + " needs 'id'");
  const json& v = frame["id"];
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
    if (ec == std::errc{} && end == s.data() + s.size() && !s.empty()) return id;
  }
  throw DialectError("cop frame: 'id' must be an int64, as an integer or a decimal string, got " + v.dump());
}

}  // namespace

std::string CopDialect::encode(const json& frame) const {
  if (!frame.is_object() || !frame.contains("op"))
    throw DialectError("cop frame must be an object with 'op', got " + frame.dump());
  const json& opv = frame["op"];
  if (opv.is_number_integer() && opv.get<long long>() >= cop::kOpCount && opv.get<long long>() <= 255)
    return std::string(1, static_cast<char>(opv.get<int>()));  // an unknown opcode, alone
  const auto op = op_of(opv);
  if (!op) throw DialectError("cop frame: unknown op " + opv.dump() + " (a name such as PUBLIC_MSG, or 0..255)");
  const cop::Layout lay = cop::layout_of(*op);
  cop::Frame f;
  f.op = *op;
  if (lay.strings >= 1) {
    const bool nick = std::string(first_key(*op)) == "nickname";
    f.sender = nick ? string_field(frame, "nickname", "sender") : string_field(frame, "sender");
  }
  if (lay.has_receiver) f.receiver = string_field(frame, "receiver");
  if (lay.has_message) f.message = string_field(frame, "message");
  if (lay.has_id) f.id = id_field(frame);
  return cop::Codec::encode(f);
}

std::unique_ptr<FrameDecoder> CopDialect::decoder() const { return std::make_unique<CopDecoder>(); }

json CopDialect::normalize_pattern(const json& pattern) const {
  if (!pattern.is_object()) return pattern;
  json p = pattern;
  std::optional<cop::Op> op;
  if (p.contains("op")) {
    op = op_of(p["op"]);
    if (op && p["op"].is_number_integer()) p["op"] = std::string(cop::op_name(*op));
  }
  if (p.contains("id") && p["id"].is_number_integer()) p["id"] = std::to_string(p["id"].get<std::int64_t>());
  if (op && std::string(first_key(*op)) == "nickname" && p.contains("sender") && !p.contains("nickname")) {
    p["nickname"] = p["sender"];
    p.erase("sender");
  }
  return p;
}

std::string CopDialect::describe(const json& frame) const {
  if (!frame.is_object()) return frame.dump(-1, ' ', false, json::error_handler_t::replace);
  if (frame.contains("raw")) return "raw " + frame["raw"].dump();
  json rest = frame;
  std::string name = rest.contains("op") && rest["op"].is_string() ? rest["op"].get<std::string>() : "?";
  rest.erase("op");
  rest.erase("code");
  return rest.empty() ? name : name + " " + rest.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace relaycheck::harness
