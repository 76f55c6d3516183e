#include "harness/protocols/moose/dialect.h"

#include "harness/match.h"
#include "harness/protocols/moose/keys.h"
#include "harness/protocols/moose/line_codec.h"
#include "harness/protocols/moose/server_codec.h"
#include "proto/moose/base64.h"
#include "proto/moose/ciphers.h"
#include "proto/moose/engine.h"

namespace relaycheck::harness {

namespace moose = proto::moose;

namespace {

std::string dump(const json& j) { return moose_dump(j); }

// The control channel: a frame is {line: "..."}; a string frame is a line to send.
class ControlCodec final : public MooseLineCodec {
 public:
  std::string encode(const json& frame) override {
    if (frame.is_string()) return frame.get<std::string>() + "\n";
    if (frame.is_object() && frame.contains("line") && frame["line"].is_string())
      return frame["line"].get<std::string>() + "\n";
    throw DialectError("moose control: a frame is a line (a string)");
  }

 protected:
  std::variant<std::monostate, json, Undecodable> to_frame(const std::string& line, std::size_t) override {
    return json{{"line", line}};
  }
};

// A client connection: seals inner packets to the server and opens raw packets with its key.
class ClientCodec final : public MooseLineCodec {
 public:
  explicit ClientCodec(const ConnectionContext& context)
      : context_(context), key_(moose_keys::next_client_key()), envelope_(std::make_shared<moose::RsaCipher>(key_)) {}

  std::string encode(const json& frame) override {
    if (frame.is_object() && frame.size() == 1 && frame.contains("raw")) return raw(frame["raw"]);
    if (frame.is_string()) return seal(frame.get<std::string>(), "", "server", moose::kBlockBytes, server_key(), false);
    if (!frame.is_object()) throw DialectError("moose: a frame is an inner packet (a map), JSON text, or {raw: {...}}");
    return seal(dump(inner(frame)), uuid_of(frame), "server", moose::kBlockBytes, server_key(), false);
  }

 protected:
  std::variant<std::monostate, json, Undecodable> to_frame(const std::string& line, std::size_t offset) override {
    if (line.empty()) return std::monostate{};
    auto opened = envelope_.open(line, "client");
    if (auto* e = std::get_if<proto::DecodeError>(&opened))
      return Undecodable{proto::DecodeError{e->code, offset + e->offset}.describe()};
    json packet = json::parse(std::get<moose::Opened>(opened).inner, nullptr, false);
    if (packet.is_discarded() || !packet.is_object())
      return Undecodable{"the opened inner packet is not a JSON object, in the raw packet at byte " +
                         std::to_string(offset)};
    return packet;
  }

 private:
  // A `key` packet carries this connection's public key unless the scenario gives one.
  json inner(const json& frame) const {
    json p = frame;
    if (p.value("type", json()) == "key" && !p.contains("key")) p["key"] = key_.public_pem();
    return moose_numeric_id(std::move(p));
  }

  static std::string uuid_of(const json& p) {
    return p.is_object() && p.contains("UUID") && p["UUID"].is_string() ? p["UUID"].get<std::string>() : "";
  }

  const moose::RsaKey& server_key() {
    if (!server_) {
      auto pem = context_.attribute("public-key-pem");
      if (!pem)
        throw DialectError("moose: the target does not publish the server's public key (attribute public-key-pem)");
      server_ = moose::RsaKey::from_pem(*pem);
      if (!server_) throw DialectError("moose: the target's public-key-pem is not an RSA public key");
    }
    return *server_;
  }

  // {raw: {packet: {...} | text: "...", to, uuid, block_size, key: wrong, corrupt_base64, messages}}
  std::string raw(const json& r) {
    if (!r.is_object()) throw DialectError("moose: raw: expected a map");
    for (const auto& [k, v] : r.items())
      if (k != "packet" && k != "text" && k != "to" && k != "uuid" && k != "block_size" && k != "key" &&
          k != "corrupt_base64" && k != "messages")
        throw DialectError("moose: raw: unknown option '" + k + "'");
    if (r.contains("messages")) {  // blocks given as they are
      json out = {{"messages", r["messages"]}, {"UUID", r.value("uuid", "")}, {"to", r.value("to", "server")}};
      return dump(out) + "\n";
    }
    std::string text;
    std::string uuid = r.value("uuid", "");
    if (r.contains("packet")) {
      text = dump(inner(r["packet"]));
      if (!r.contains("uuid")) uuid = uuid_of(r["packet"]);
    } else if (r.contains("text") && r["text"].is_string()) {
      text = r["text"].get<std::string>();
    } else {
      throw DialectError("moose: raw: give packet, text or messages");
    }
    const std::string key = r.value("key", "server");
    if (key != "server" && key != "wrong") throw DialectError("moose: raw: key is server or wrong");
    const moose::RsaKey& to_key = key == "wrong" ? moose_keys::wrong_key() : server_key();
    const std::size_t block = r.value("block_size", moose::kBlockBytes);
    if (block == 0) throw DialectError("moose: raw: block_size must be positive");
    return seal(text, uuid, r.value("to", "server"), block, to_key, r.value("corrupt_base64", false));
  }

  // A raw packet line. A block too large for OAEP goes as base64 of the plaintext: what a
  // client that does not split would send, and what the server cannot decrypt.
  static std::string seal(const std::string& text, const std::string& uuid, const std::string& to, std::size_t block,
                          const moose::RsaKey& key, bool corrupt_base64) {
    json messages = json::array();
    for (auto piece : moose::split_blocks(text, block))
      messages.push_back(
          moose::base64_encode(piece.size() <= key.max_plain_bytes() ? key.encrypt(piece) : std::string(piece)));
    if (corrupt_base64 && !messages.empty()) {
      std::string first = messages[0].get<std::string>();
      first.insert(first.size() / 2, "*#");
      messages[0] = first;
    }
    return dump(json{{"messages", messages}, {"UUID", uuid}, {"to", to}}) + "\n";
  }

  ConnectionContext context_;
  const moose::RsaKey& key_;
  moose::Envelope envelope_;
  std::optional<moose::RsaKey> server_;
};

bool line_form(const json& p) {
  return p.is_object() && p.size() == 1 && (p.contains("$regex") || p.contains("$glob"));
}

}  // namespace

std::string MooseDialect::encode(const json& frame) const {
  // Without a connection there is no key pair: only control lines encode statelessly.
  return ControlCodec().encode(frame);
}

std::unique_ptr<FrameDecoder> MooseDialect::decoder() const { return std::make_unique<ControlCodec>(); }

std::unique_ptr<ConnectionCodec> MooseDialect::codec(const ConnectionContext& context) const {
  if (context.channel == "control") return std::make_unique<ControlCodec>();
  if (!context.channel.empty()) throw DialectError("moose has no '" + context.channel + "' channel (only control)");
  if (context.plays_server) return make_moose_server_codec(context);
  return std::make_unique<ClientCodec>(context);
}

std::optional<HeartbeatAnswer> MooseDialect::heartbeat_answer(const json& frame) const {
  if (!frame.is_object() || frame.value("type", json()) != "probe") return std::nullopt;
  return HeartbeatAnswer{json{{"type", "probeACK"}, {"UUID", frame.value("UUID", json(""))}}, "probeACK"};
}

json MooseDialect::normalize_pattern(const json& pattern) const {
  if (pattern.is_string() || line_form(pattern)) return json{{"line", pattern}};
  return pattern;
}

std::string MooseDialect::describe(const json& frame) const {
  if (frame.is_object() && frame.size() == 1 && frame.contains("line") && frame["line"].is_string())
    return frame["line"].get<std::string>();
  return dump(frame);
}

}  // namespace relaycheck::harness
