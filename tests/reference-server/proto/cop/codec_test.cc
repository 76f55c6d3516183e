// The cop codec: every opcode's layout, any split of the stream, limits and errors.
#include "proto/cop/codec.h"

#include <gtest/gtest.h>

#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace relaycheck::proto::cop {
namespace {

std::string bytes(std::initializer_list<int> list) {
  std::string s;
  for (int b : list) s.push_back(static_cast<char>(b));
  return s;
}

// One frame of every opcode, as the spec's tables lay them out.
std::vector<Frame> every_opcode() {
  return {
      login("alice"),
      login_accepted("alice"),
      login_refused("alice"),
      pair_frame(Op::private_request, "alice", "bob"),
      public_msg("alice", "hello"),
      private_msg("alice", "bob", "psst"),
      unknown_user("carol"),
      pair_frame(Op::private_accept, "alice", "bob"),
      pair_frame(Op::private_refuse, "alice", "bob"),
      connect_id("alice", "bob", 0x0102030405060708LL),
      private_connect(-2),
      private_established(),
  };
}

struct Decoded {
  std::vector<Frame> frames;
  std::optional<DecodeError> error;
};

Decoded decode_in_pieces(const std::string& wire, std::size_t piece) {
  Codec c;
  Decoded d;
  for (std::size_t i = 0; i < wire.size(); i += piece) {
    c.feed(std::string_view(wire).substr(i, piece));
    while (true) {
      auto item = c.next();
      if (auto* f = std::get_if<Frame>(&item)) {
        d.frames.push_back(*f);
        continue;
      }
      if (auto* e = std::get_if<DecodeError>(&item)) d.error = *e;
      break;
    }
    if (d.error) break;
  }
  return d;
}

TEST(CopCodec, ExactLayoutOfEveryOpcode) {
  EXPECT_EQ(Codec::encode(login("ab")), bytes({0, 0, 0, 0, 2, 'a', 'b'}));
  EXPECT_EQ(Codec::encode(login_accepted("ab")), bytes({1, 0, 0, 0, 2, 'a', 'b'}));
  EXPECT_EQ(Codec::encode(login_refused("ab")), bytes({2, 0, 0, 0, 2, 'a', 'b'}));
  EXPECT_EQ(Codec::encode(pair_frame(Op::private_request, "a", "b")), bytes({3, 0, 0, 0, 1, 'a', 0, 0, 0, 1, 'b'}));
  EXPECT_EQ(Codec::encode(public_msg("a", "hi")), bytes({4, 0, 0, 0, 1, 'a', 0, 0, 0, 2, 'h', 'i'}));
  EXPECT_EQ(Codec::encode(private_msg("a", "b", "m")), bytes({5, 0, 0, 0, 1, 'a', 0, 0, 0, 1, 'b', 0, 0, 0, 1, 'm'}));
  EXPECT_EQ(Codec::encode(unknown_user("c")), bytes({6, 0, 0, 0, 1, 'c'}));
  EXPECT_EQ(Codec::encode(pair_frame(Op::private_accept, "a", "b")), bytes({7, 0, 0, 0, 1, 'a', 0, 0, 0, 1, 'b'}));
  EXPECT_EQ(Codec::encode(pair_frame(Op::private_refuse, "a", "b")), bytes({8, 0, 0, 0, 1, 'a', 0, 0, 0, 1, 'b'}));
  EXPECT_EQ(Codec::encode(connect_id("a", "b", 0x0102030405060708LL)),
            bytes({9, 0, 0, 0, 1, 'a', 0, 0, 0, 1, 'b', 1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(Codec::encode(private_connect(-1)), bytes({10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}));
  EXPECT_EQ(Codec::encode(private_established()), bytes({11}));
}

TEST(CopCodec, EveryOpcodeRoundTripsAtEverySplit) {
  std::string wire;
  for (const auto& f : every_opcode()) wire += Codec::encode(f);
  for (std::size_t piece = 1; piece <= wire.size(); ++piece) {
    const Decoded d = decode_in_pieces(wire, piece);
    ASSERT_FALSE(d.error) << "piece " << piece << ": " << d.error->describe();
    EXPECT_EQ(d.frames, every_opcode()) << "piece " << piece;
  }
}

TEST(CopCodec, TwoWayCutsOfOneFrame) {
  const std::string wire = Codec::encode(private_msg("alice", "bob", "a message"));
  for (std::size_t cut = 0; cut <= wire.size(); ++cut) {
    Codec c;
    c.feed(wire.substr(0, cut));
    auto first = c.next();
    if (cut < wire.size()) {
      EXPECT_TRUE(std::holds_alternative<std::monostate>(first)) << "cut " << cut;
      c.feed(wire.substr(cut));
      first = c.next();
    }
    ASSERT_TRUE(std::holds_alternative<Frame>(first)) << "cut " << cut;
    EXPECT_EQ(std::get<Frame>(first), private_msg("alice", "bob", "a message"));
    EXPECT_TRUE(std::holds_alternative<std::monostate>(c.next()));
  }
}

TEST(CopCodec, UnknownOpcodesAreErrorsAtTheirOffset) {
  for (int op : {12, 13, 100, 127, 128, 255}) {
    Codec c;
    c.feed(Codec::encode(login("a")) + std::string(1, static_cast<char>(op)));
    ASSERT_TRUE(std::holds_alternative<Frame>(c.next()));
    auto item = c.next();
    ASSERT_TRUE(std::holds_alternative<DecodeError>(item)) << op;
    EXPECT_EQ(std::get<DecodeError>(item).code, make_error_code(errc::unknown_opcode));
    EXPECT_EQ(std::get<DecodeError>(item).offset, 6u);
  }
}

TEST(CopCodec, NegativeLengthIsAnError) {
  for (std::int32_t len : {-1, -1024, std::numeric_limits<std::int32_t>::min()}) {
    std::string wire = bytes({4});
    put_string(wire, "alice");
    put_int32(wire, len);
    const Decoded d = decode_in_pieces(wire, 1);
    ASSERT_TRUE(d.error) << len;
    EXPECT_EQ(d.error->code, make_error_code(errc::negative_length));
    EXPECT_EQ(d.error->offset, 10u);  // the length field of the second string
  }
}

TEST(CopCodec, LengthLimitIs1024) {
  std::string ok = bytes({0});
  put_string(ok, std::string(1024, 'n'));
  const Decoded d = decode_in_pieces(ok, 7);
  ASSERT_FALSE(d.error);
  ASSERT_EQ(d.frames.size(), 1u);
  EXPECT_EQ(d.frames[0].sender.size(), 1024u);

  for (std::int32_t len : {1025, 4096, std::numeric_limits<std::int32_t>::max()}) {
    std::string wire = bytes({0});
    put_int32(wire, len);  // no bytes follow: the error must not wait for them
    Codec c;
    c.feed(wire);
    auto item = c.next();
    ASSERT_TRUE(std::holds_alternative<DecodeError>(item)) << len;
    EXPECT_EQ(std::get<DecodeError>(item).code, make_error_code(errc::string_too_long));
    EXPECT_EQ(std::get<DecodeError>(item).offset, 1u);
  }
}

TEST(CopCodec, InvalidUtf8IsAnError) {
  for (const std::string& bad :
       {bytes({0xc3, 0x28}), bytes({0xff}), bytes({0xc0, 0xaf}), bytes({0xed, 0xa0, 0x80}), bytes({0xe2, 0x82})}) {
    std::string wire = bytes({0});
    put_string(wire, bad);
    Codec c;
    c.feed(wire);
    auto item = c.next();
    ASSERT_TRUE(std::holds_alternative<DecodeError>(item));
    EXPECT_EQ(std::get<DecodeError>(item).code, make_error_code(errc::invalid_utf8));
  }
  // Well-formed multi-byte UTF-8 (2, 3 and 4 bytes) decodes.
  Codec c;
  c.feed(
      Codec::encode(login("gr\xc3\xbc\xc3\x9f"
                          "e\xe4\xbd\xa0\xf0\x9f\x91\x8b")));
  EXPECT_TRUE(std::holds_alternative<Frame>(c.next()));
}

TEST(CopCodec, StaysFailedAfterAnError) {
  Codec c;
  c.feed(bytes({200}));
  ASSERT_TRUE(std::holds_alternative<DecodeError>(c.next()));
  c.feed(Codec::encode(login("alice")));
  EXPECT_TRUE(std::holds_alternative<DecodeError>(c.next()));
}

TEST(CopCodec, OffsetsCountTheWholeStream) {
  Codec c;
  const std::string good = Codec::encode(public_msg("alice", std::string(300, 'x')));
  for (int i = 0; i < 10; ++i) {
    c.feed(good);
    ASSERT_TRUE(std::holds_alternative<Frame>(c.next()));
  }
  c.feed(bytes({99}));
  auto item = c.next();
  ASSERT_TRUE(std::holds_alternative<DecodeError>(item));
  EXPECT_EQ(std::get<DecodeError>(item).offset, good.size() * 10);
}

TEST(CopCodec, TakeUnparsedHandsOverTheRest) {
  Codec c;
  c.feed(Codec::encode(private_connect(7)) + bytes({0xff, 0x00, 0x41}));
  auto item = c.next();
  ASSERT_TRUE(std::holds_alternative<Frame>(item));
  EXPECT_EQ(std::get<Frame>(item).id, 7);
  EXPECT_EQ(c.take_unparsed(), bytes({0xff, 0x00, 0x41}));
  EXPECT_EQ(c.buffered(), 0u);
}

TEST(CopCodec, BufferStaysBounded) {
  Codec c;
  const std::string frame = Codec::encode(public_msg("a", std::string(1024, 'm')));
  for (int i = 0; i < 1000; ++i) {
    c.feed(frame);
    ASSERT_TRUE(std::holds_alternative<Frame>(c.next()));
    ASSERT_LE(c.buffered(), frame.size());
  }
}

TEST(CopCodec, OpNames) {
  for (int i = 0; i < kOpCount; ++i) {
    const Op op = *op_from_byte(i);
    EXPECT_EQ(op_from_name(op_name(op)), op);
  }
  EXPECT_EQ(op_from_name("PUBLIC_MSG"), Op::public_msg);
  EXPECT_FALSE(op_from_name("public_msg"));
  EXPECT_FALSE(op_from_byte(12));
}

}  // namespace
}  // namespace relaycheck::proto::cop
