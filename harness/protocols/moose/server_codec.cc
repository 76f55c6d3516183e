#include "harness/protocols/moose/server_codec.h"

#include "harness/protocols/moose/line_codec.h"
#include "proto/moose/ciphers.h"
#include "proto/moose/errors.h"

namespace relaycheck::harness {

namespace moose = proto::moose;

namespace {

class ServerCodec final : public MooseLineCodec {
 public:
  // Throws DialectError (the scenario errors, naming the attribute) when the key pair is missing.
  explicit ServerCodec(const ConnectionContext& context) : envelope_(server_envelope(context)) {}

  // An inner packet (map), inner JSON text (string), or {raw: {packet | text, to, uuid}}: a
  // packet addressed elsewhere on purpose (to: server is a bounce seen from the client).
  std::string encode(const json& frame) override {
    if (frame.is_object() && frame.size() == 1 && frame.contains("raw")) return raw(frame["raw"]);
    if (frame.is_string()) return seal(frame.get<std::string>(), client_uuid_, "client");
    if (!frame.is_object()) throw DialectError("moose: a frame is an inner packet (a map), JSON text, or {raw: {...}}");
    return seal(moose_dump(moose_numeric_id(frame)), uuid_of(frame), "client");
  }

 protected:
  std::variant<std::monostate, json, Undecodable> to_frame(const std::string& line, std::size_t offset) override {
    if (line.empty()) return std::monostate{};
    auto opened = envelope().open(line, "server");
    if (auto* e = std::get_if<proto::DecodeError>(&opened)) {
      std::string why = proto::DecodeError{e->code, offset + e->offset}.describe();
      if (e->code == moose::errc::not_for_server)
        why += " (a client's raw packets are addressed to the server: \"to\": \"server\")";
      return Undecodable{why};
    }
    json packet = json::parse(std::get<moose::Opened>(opened).inner, nullptr, false);
    if (packet.is_discarded() || !packet.is_object())
      return Undecodable{"the opened inner packet is not a JSON object, in the raw packet at byte " +
                         std::to_string(offset)};
    if (packet.value("type", json()) == "key") {
      // Everything relaycheck sends from now on is sealed to this key (1.1.6: "RSA public key of client").
      const json key = packet.value("key", json());
      auto peer = key.is_string() ? envelope().cipher().load_peer_key(key.get<std::string>()) : nullptr;
      if (!peer)
        return Undecodable{
            "the key packet's key is not an RSA public key of 2048 bits or more in PEM, in the raw packet at byte " +
            std::to_string(offset)};
      client_key_ = std::move(peer);
      if (packet.contains("UUID") && packet["UUID"].is_string()) client_uuid_ = packet["UUID"].get<std::string>();
    }
    return packet;
  }

 private:
  std::string uuid_of(const json& p) const {
    return p.contains("UUID") && p["UUID"].is_string() ? p["UUID"].get<std::string>() : client_uuid_;
  }

  static moose::Envelope server_envelope(const ConnectionContext& context) {
    auto pem = context.attribute("private-key-pem");
    if (!pem)
      throw DialectError(
          "moose: to play the server relaycheck needs the server's key pair (attribute private-key-pem, "
          "e.g. private-key-pem: {file: server.key.pem} in the client profile)");
    auto key = moose::RsaKey::from_pem(*pem);
    if (!key || !key->has_private())
      throw DialectError("moose: the target's private-key-pem is not an RSA private key in PEM");
    return moose::Envelope(std::make_shared<moose::RsaCipher>(std::move(*key)));
  }

  const moose::Envelope& envelope() const { return envelope_; }

  std::string seal(const std::string& text, const std::string& uuid, const std::string& to) {
    if (!client_key_)
      throw DialectError("moose: the client has sent no key packet yet, so there is no key to encrypt to");
    return envelope().seal(text, *client_key_, uuid, to);
  }

  std::string raw(const json& r) {
    if (!r.is_object()) throw DialectError("moose: raw: expected a map");
    for (const auto& [k, v] : r.items())
      if (k != "packet" && k != "text" && k != "to" && k != "uuid")
        throw DialectError("moose: raw: unknown option '" + k + "' (playing the server: packet, text, to, uuid)");
    std::string text;
    std::string uuid = r.value("uuid", client_uuid_);
    if (r.contains("packet") && r["packet"].is_object()) {
      text = moose_dump(moose_numeric_id(r["packet"]));
      if (!r.contains("uuid")) uuid = uuid_of(r["packet"]);
    } else if (r.contains("text") && r["text"].is_string()) {
      text = r["text"].get<std::string>();
    } else {
      throw DialectError("moose: raw: give packet (a map) or text");
    }
    return seal(text, uuid, r.value("to", "client"));
  }

  moose::Envelope envelope_;
  std::shared_ptr<const moose::PeerKey> client_key_;
  std::string client_uuid_;
};

}  // namespace

std::unique_ptr<ConnectionCodec> make_moose_server_codec(const ConnectionContext& context) {
  return std::make_unique<ServerCodec>(context);
}

}  // namespace relaycheck::harness
