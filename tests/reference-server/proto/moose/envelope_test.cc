// The moose envelope with real RSA-OAEP keys: seal/open round trips with 2048- and 4096-bit keys,
// the 214-byte block boundary by bytes (multi-byte UTF-8 across it), and each way a raw packet
// fails to open, with its code and byte offset.
#include "proto/moose/envelope.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "proto/moose/base64.h"
#include "proto/moose/ciphers.h"
#include "proto/moose/errors.h"
#include "proto/moose/protocol.h"

namespace relaycheck::proto::moose {
namespace {

using nlohmann::json;

const RsaKey& server_2048() { return generated_server_key(2048); }
const RsaKey& client_2048() {
  static const RsaKey k = RsaKey::generate(2048);
  return k;
}

// The server's envelope, and the client's view (its own key opens what the server seals).
struct Pair {
  Envelope server{std::make_shared<RsaCipher>(server_2048())};
  Envelope client{std::make_shared<RsaCipher>(client_2048())};
  std::shared_ptr<const PeerKey> to_client = server.cipher().load_peer_key(client_2048().public_pem());
  std::shared_ptr<const PeerKey> to_server = client.cipher().load_peer_key(server_2048().public_pem());
};

std::string without_newline(std::string line) {
  EXPECT_EQ(line.back(), '\n');
  line.pop_back();
  return line;
}

errc code_of(const std::variant<Opened, DecodeError>& r) {
  EXPECT_TRUE(std::holds_alternative<DecodeError>(r));
  return static_cast<errc>(std::get<DecodeError>(r).code.value());
}

TEST(MooseBlocks, SplitByBytesNotCharacters) {
  // 71 three-byte characters = 213 bytes, then one more straddles byte 214.
  std::string text;
  for (int i = 0; i < 72; ++i) text += "\xe2\x82\xac";  // €
  auto blocks = split_blocks(text, kBlockBytes);
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].size(), 214u);
  EXPECT_EQ(blocks[1].size(), 2u);
  EXPECT_EQ(std::string(blocks[0]) + std::string(blocks[1]), text);
  EXPECT_EQ(split_blocks(std::string(214, 'a'), kBlockBytes).size(), 1u);
  EXPECT_EQ(split_blocks(std::string(215, 'a'), kBlockBytes).size(), 2u);
  EXPECT_TRUE(split_blocks("", kBlockBytes).empty());
}

TEST(MooseEnvelope, RoundTrip2048WithUtf8AcrossTheBoundary) {
  Pair p;
  std::string inner = R"({"type":"msg","msg":[")";
  for (int i = 0; i < 100; ++i) inner += "\xe2\x82\xac";
  inner += R"("]})";
  const std::string line = without_newline(p.client.seal(inner, *p.to_server, "alice", "server"));
  const json raw = json::parse(line);
  EXPECT_EQ(raw["to"], "server");
  EXPECT_EQ(raw["UUID"], "alice");
  ASSERT_EQ(raw["messages"].size(), (inner.size() + 213) / 214);
  for (const auto& b : raw["messages"]) {
    auto bytes = base64_decode(b.get<std::string>());
    ASSERT_TRUE(std::holds_alternative<std::string>(bytes));
    EXPECT_EQ(std::get<std::string>(bytes).size(), 256u);  // one 2048-bit RSA block each
  }
  auto opened = p.server.open(line);
  ASSERT_TRUE(std::holds_alternative<Opened>(opened)) << std::get<DecodeError>(opened).describe();
  EXPECT_EQ(std::get<Opened>(opened).inner, inner);
  EXPECT_EQ(std::get<Opened>(opened).uuid, "alice");
  // And back: what the server seals for the client opens only as a client.
  const std::string reply = without_newline(p.server.seal(inner, *p.to_client, "alice"));
  EXPECT_EQ(code_of(p.server.open(reply)), errc::not_for_server);
  auto back = p.client.open(reply, "client");
  ASSERT_TRUE(std::holds_alternative<Opened>(back));
  EXPECT_EQ(std::get<Opened>(back).inner, inner);
}

TEST(MooseEnvelope, RoundTrip4096KeysStillUse214ByteBlocks) {
  static const RsaKey server = RsaKey::generate(4096);
  static const RsaKey client = RsaKey::generate(4096);
  Envelope s{std::make_shared<RsaCipher>(server)};
  Envelope c{std::make_shared<RsaCipher>(client)};
  const std::string inner(500, 'x');
  const std::string line =
      without_newline(c.seal(inner, *c.cipher().load_peer_key(server.public_pem()), "u", "server"));
  EXPECT_EQ(json::parse(line)["messages"].size(), 3u);  // 214 + 214 + 72
  auto opened = s.open(line);
  ASSERT_TRUE(std::holds_alternative<Opened>(opened));
  EXPECT_EQ(std::get<Opened>(opened).inner, inner);
}

TEST(MooseEnvelope, BounceIsNotOpened) {
  Pair p;
  const std::string line = without_newline(p.client.seal("{}", *p.to_server, "alice", "client"));
  auto r = p.server.open(line);
  EXPECT_EQ(code_of(r), errc::not_for_server);
  EXPECT_EQ(std::get<DecodeError>(r).offset, line.find("\"to\""));
  // The historical names: "alice" was the server, "bob" a client.
  EXPECT_TRUE(addressed_to("alice", "server"));
  EXPECT_TRUE(addressed_to("bob", "client"));
  EXPECT_FALSE(addressed_to("bob", "server"));
  EXPECT_FALSE(addressed_to("server", "client"));
}

TEST(MooseEnvelope, BadBase64NamesTheByte) {
  Pair p;
  json raw = json::parse(without_newline(p.client.seal("{}", *p.to_server, "a", "server")));
  std::string block = raw["messages"][0];
  block[10] = '*';
  raw["messages"][0] = block;
  const std::string line = raw.dump();
  auto r = p.server.open(line);
  EXPECT_EQ(code_of(r), errc::bad_base64);
  EXPECT_EQ(std::get<DecodeError>(r).offset, line.find(block) + 10);
  EXPECT_TRUE(std::holds_alternative<Base64Error>(base64_decode("abc")));   // length
  EXPECT_TRUE(std::holds_alternative<Base64Error>(base64_decode("ab=c")));  // padding inside
  EXPECT_EQ(std::get<std::string>(base64_decode("aGk=")), "hi");
}

TEST(MooseEnvelope, WrongKeyDoesNotDecrypt) {
  Pair p;
  // Sealed to the client's own key instead of the server's.
  const std::string line = without_newline(p.client.seal("{}", *p.to_client, "a", "server"));
  EXPECT_EQ(code_of(p.server.open(line)), errc::decrypt_failed);
  // A block of the right size that is no OAEP ciphertext, and one of the wrong size.
  for (const std::string& junk : {std::string(256, '\x01'), std::string(300, 'x')}) {
    const std::string l = json{{"messages", json::array({base64_encode(junk)})}, {"to", "server"}}.dump();
    EXPECT_EQ(code_of(p.server.open(l)), errc::decrypt_failed);
  }
}

TEST(MooseEnvelope, MalformedRawPackets) {
  Pair p;
  auto r = p.server.open(R"({"messages": [)");
  EXPECT_EQ(code_of(r), errc::raw_not_json);
  EXPECT_EQ(std::get<DecodeError>(r).offset, 14u);
  EXPECT_EQ(code_of(p.server.open(R"([1,2])")), errc::raw_bad_shape);
  EXPECT_EQ(code_of(p.server.open(R"({"messages": "x", "to": "server"})")), errc::raw_bad_shape);
  EXPECT_EQ(code_of(p.server.open(R"({"messages": [1], "to": "server"})")), errc::raw_bad_shape);
  EXPECT_EQ(code_of(p.server.open(R"({"messages": []})")), errc::raw_bad_shape);
}

TEST(MooseEnvelope, PassThroughCarriesTextAsItIs) {
  Envelope e{std::make_shared<PassThroughCipher>()};
  const std::string inner = R"({"type":"key","UUID":"a","key":"k"})";
  const std::string line = without_newline(e.seal(inner, *e.cipher().load_peer_key("anything"), "a", "server"));
  auto opened = e.open(line);
  ASSERT_TRUE(std::holds_alternative<Opened>(opened));
  EXPECT_EQ(std::get<Opened>(opened).inner, inner);
}

TEST(MooseKeys, PemRoundTripAndSmallKeysRefused) {
  const RsaKey& k = client_2048();
  EXPECT_EQ(k.bits(), 2048);
  EXPECT_EQ(k.max_plain_bytes(), kBlockBytes);
  auto pub = RsaKey::from_pem(k.public_pem());
  ASSERT_TRUE(pub);
  EXPECT_FALSE(pub->has_private());
  auto priv = RsaKey::from_pem(k.private_pem());
  ASSERT_TRUE(priv && priv->has_private());
  EXPECT_EQ(*priv->decrypt(pub->encrypt("hello")), "hello");
  EXPECT_THROW(pub->encrypt(std::string(215, 'x')), KeyError);
  EXPECT_FALSE(RsaKey::from_pem("-----BEGIN PUBLIC KEY-----\nnonsense\n-----END PUBLIC KEY-----\n"));
  RsaCipher cipher(server_2048());
  EXPECT_EQ(cipher.load_peer_key(RsaKey::generate(1024).public_pem()), nullptr);
  EXPECT_NE(cipher.load_peer_key(k.public_pem()), nullptr);
}

}  // namespace
}  // namespace relaycheck::proto::moose
