// The cop dialect: scenario frames to bytes, bytes to frames (also across a bridge), patterns.
#include "harness/protocols/cop/dialect.h"

#include <gtest/gtest.h>

#include "harness/match.h"
#include "proto/cop/codec.h"

namespace relaycheck::harness {
namespace {

namespace cop = proto::cop;

std::vector<json> decode_all(const std::string& bytes, std::size_t piece = 1) {
  CopDialect d;
  auto dec = d.decoder();
  std::vector<json> out;
  for (std::size_t i = 0; i < bytes.size(); i += piece) {
    dec->feed(std::string_view(bytes).substr(i, piece));
    while (true) {
      auto item = dec->next();
      if (auto* j = std::get_if<json>(&item))
        out.push_back(*j);
      else {
        EXPECT_FALSE(std::holds_alternative<Undecodable>(item));
        break;
      }
    }
  }
  return out;
}

TEST(CopDialect, EncodesByNameAndNumber) {
  CopDialect d;
  const std::string want = cop::Codec::encode(cop::public_msg("alice", "hi"));
  EXPECT_EQ(d.encode(json{{"op", "PUBLIC_MSG"}, {"sender", "alice"}, {"message", "hi"}}), want);
  EXPECT_EQ(d.encode(json{{"op", 4}, {"sender", "alice"}, {"message", "hi"}}), want);
  EXPECT_EQ(d.encode(json{{"op", "LOGIN"}, {"nickname", "bob"}}), cop::Codec::encode(cop::login("bob")));
  EXPECT_EQ(d.encode(json{{"op", "LOGIN"}, {"sender", "bob"}}), cop::Codec::encode(cop::login("bob")));
  EXPECT_EQ(d.encode(json{{"op", "PRIVATE_ESTABLISHED"}}), std::string(1, '\x0b'));
  EXPECT_EQ(d.encode(json{{"op", 200}}), std::string(1, static_cast<char>(200)));
}

TEST(CopDialect, RejectsBadFrames) {
  CopDialect d;
  EXPECT_THROW(d.encode(json("LOGIN alice")), DialectError);
  EXPECT_THROW(d.encode(json{{"op", "NOPE"}}), DialectError);
  EXPECT_THROW(d.encode(json{{"op", 256}}), DialectError);
  EXPECT_THROW(d.encode(json{{"op", "PUBLIC_MSG"}, {"sender", "alice"}}), DialectError);  // no message
  EXPECT_THROW(d.encode(json{{"op", "PUBLIC_MSG"}, {"sender", 5}, {"message", "x"}}), DialectError);
  EXPECT_THROW(d.encode(json{{"op", "PRIVATE_CONNECT"}, {"id", "12x"}}), DialectError);
  EXPECT_THROW(d.encode(json{{"op", "PRIVATE_CONNECT"}, {"id", "99999999999999999999"}}), DialectError);
}

TEST(CopDialect, ConnectIdRoundTripsExactly) {
  CopDialect d;
  const std::int64_t big = 9'223'372'036'854'775'807LL;  // beyond a double's exact range
  const auto frames = decode_all(cop::Codec::encode(cop::connect_id("alice", "bob", big)));
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0]["id"], "9223372036854775807");
  // Captured as text, substituted as text, encoded back to the same 8 bytes.
  auto m = match(json{{"id", {{"$capture", "cid"}}}}, frames[0], {});
  ASSERT_TRUE(m.ok);
  const json sent = substitute_all(json{{"op", "PRIVATE_CONNECT"}, {"id", "${cid}"}}, m.captures);
  EXPECT_EQ(d.encode(sent), cop::Codec::encode(cop::private_connect(big)));
  EXPECT_EQ(d.encode(json{{"op", 10}, {"id", -5}}), cop::Codec::encode(cop::private_connect(-5)));
  // An integer in a pattern matches the decoded text.
  EXPECT_TRUE(match(d.normalize_pattern(json{{"op", 9}, {"id", big}}), frames[0], {}).ok);
}

TEST(CopDialect, DecodesEveryOpcodeAtEverySplit) {
  std::string wire;
  wire += cop::Codec::encode(cop::login_accepted("alice"));
  wire += cop::Codec::encode(cop::private_msg("a", "b", "m"));
  wire += cop::Codec::encode(cop::unknown_user("zed"));
  const auto frames = decode_all(wire, 1);
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0], (json{{"op", "LOGIN_ACCEPTED"}, {"code", 1}, {"nickname", "alice"}}));
  EXPECT_EQ(frames[1],
            (json{{"op", "PRIVATE_MSG"}, {"code", 5}, {"sender", "a"}, {"receiver", "b"}, {"message", "m"}}));
  EXPECT_EQ(frames[2]["nickname"], "zed");
}

TEST(CopDialect, UndecodableServerBytes) {
  CopDialect d;
  auto dec = d.decoder();
  dec->feed(std::string("\x01\xff\xff\xff\xff", 5));
  EXPECT_TRUE(std::holds_alternative<Undecodable>(dec->next()));
}

TEST(CopDialect, AfterEstablishedTheStreamIsABridge) {
  std::string wire = cop::Codec::encode(cop::private_established());
  wire += std::string("\xff\x0c", 2);
  wire += cop::Codec::encode(cop::public_msg("x", "y"));
  wire += std::string("\x80", 1);
  for (std::size_t piece : {1u, 2u, 100u}) {
    const auto frames = decode_all(wire, piece);
    ASSERT_EQ(frames.size(), 5u) << piece;
    EXPECT_EQ(frames[0]["op"], "PRIVATE_ESTABLISHED");
    EXPECT_EQ(frames[1], (json{{"raw", "ff"}}));
    EXPECT_EQ(frames[2], (json{{"raw", "0c"}}));
    EXPECT_EQ(frames[3]["message"], "y");
    EXPECT_EQ(frames[4], (json{{"raw", "80"}}));
  }
}

TEST(CopDialect, PatternsAndDescriptions) {
  CopDialect d;
  EXPECT_EQ(d.normalize_pattern(json{{"op", 2}, {"sender", "alice"}}),
            (json{{"op", "LOGIN_REFUSED"}, {"nickname", "alice"}}));
  EXPECT_EQ(d.normalize_pattern(json{{"op", "PUBLIC_MSG"}, {"sender", "alice"}}),
            (json{{"op", "PUBLIC_MSG"}, {"sender", "alice"}}));
  EXPECT_EQ(d.describe(json{{"op", "LOGIN"}, {"code", 0}, {"nickname", "a"}}), "LOGIN {\"nickname\":\"a\"}");
  EXPECT_EQ(d.describe(json{{"op", "PRIVATE_ESTABLISHED"}, {"code", 11}}), "PRIVATE_ESTABLISHED");
  EXPECT_EQ(d.describe(json{{"raw", "ff"}}), "raw \"ff\"");
  EXPECT_FALSE(d.barrier());
  EXPECT_NE(find_dialect("cop"), nullptr);
}

}  // namespace
}  // namespace relaycheck::harness

namespace relaycheck::harness {
namespace {

TEST(CopDialect, PlayingTheServerItsOwnEstablishedStartsTheBridge) {
  CopDialect d;
  auto dec = d.decoder();
  dec->feed(std::string("hi", 2));  // before 11: 'h' (0x68) is no opcode
  EXPECT_TRUE(std::holds_alternative<Undecodable>(dec->next()));

  auto bridged = d.decoder();
  bridged->on_sent(json{{"op", "PRIVATE_ESTABLISHED"}});
  bridged->feed("hi");
  auto first = bridged->next();
  ASSERT_TRUE(std::holds_alternative<json>(first));
  EXPECT_EQ(std::get<json>(first), (json{{"raw", "68"}}));
  auto second = bridged->next();
  ASSERT_TRUE(std::holds_alternative<json>(second));
  EXPECT_EQ(std::get<json>(second), (json{{"raw", "69"}}));

  auto by_number = d.decoder();
  by_number->on_sent(json{{"op", 11}});
  by_number->feed("h");
  EXPECT_TRUE(std::holds_alternative<json>(by_number->next()));
}

}  // namespace
}  // namespace relaycheck::harness
