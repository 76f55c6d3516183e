// saxion Message and Codec: parse/encode round trips, decoding at every split of a stream.
#include "proto/saxion/codec.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace relaycheck::proto::saxion {
namespace {

TEST(SaxionMessage, ParseSplitsAtTheFirstSpace) {
  EXPECT_EQ(Message::parse("BCST hello world"), (Message{"BCST", "hello world"}));
  EXPECT_EQ(Message::parse("PM bob  two  spaces "), (Message{"PM", "bob  two  spaces "}));
  EXPECT_EQ(Message::parse("QUIT"), (Message{"QUIT", ""}));
  EXPECT_EQ(Message::parse("IDENT "), (Message{"IDENT", ""}));
  EXPECT_EQ(Message::parse(" leading"), (Message{"", "leading"}));
  EXPECT_EQ(Message::parse(""), (Message{"", ""}));
}

TEST(SaxionMessage, ToLineOmitsTheSpaceOfAnEmptyPayload) {
  EXPECT_EQ((Message{"PING", ""}).to_line(), "PING");
  EXPECT_EQ((Message{"OK", "IDENT alice"}).to_line(), "OK IDENT alice");
  EXPECT_EQ((Message{"DSCN", "Pong timeout"}).to_line(), "DSCN Pong timeout");
}

TEST(SaxionMessage, RoundTrips) {
  for (std::string_view line :
       {"INIT Welcome to the server!", "IDENT alice", "OK IDENT alice", "BCST  hi", "PM bob secret text",
        "PM_PUBKEY -----BEGIN PUBLIC KEY-----MIIB", "PM_SESSIONKEY bob c2Vzc2lvbg==", "OK USERS alice:bob:carol",
        "FAIL00 Unknown command", "QUIT", "", " x", "a b c d"}) {
    const Message m = Message::parse(line);
    EXPECT_EQ(m.to_line(), line);
    EXPECT_EQ(Message::parse(m.to_line()), m);
  }
  // A line with a trailing space after the command is normalised but decodes to the same message.
  const Message m = Message::parse("QUIT ");
  EXPECT_EQ(Message::parse(m.to_line()), m);
}

TEST(SaxionCodec, EncodeEndsWithLf) {
  EXPECT_EQ(Codec::encode({"OK", "BCST hi"}), "OK BCST hi\n");
  EXPECT_EQ(Codec::encode({"PING", ""}), "PING\n");
}

TEST(SaxionCodec, EncodeIntoReplacesWhatTheBufferHeld) {
  std::string out = std::string(100, 'x');  // a used buffer, longer than the line
  Codec::encode_into({"OK", "BCST hi"}, out);
  EXPECT_EQ(out, "OK BCST hi\n");
  Codec::encode_into({"PING", ""}, out);
  EXPECT_EQ(out, "PING\n");
  EXPECT_EQ(out, Codec::encode({"PING", ""}));
}

TEST(SaxionMessage, ViewSplitsAsTheOwnedParse) {
  for (std::string_view line : {"BCST hello world", "PM bob  two  spaces ", "QUIT", "IDENT ", " leading", ""}) {
    const MessageView v = MessageView::parse(line);
    const Message m = Message::parse(line);
    EXPECT_EQ(v.command, m.command) << line;
    EXPECT_EQ(v.payload, m.payload) << line;
  }
}

struct Decoded {
  std::vector<Message> frames;
  std::optional<DecodeError> error;
};

Decoded decode(const std::vector<std::string_view>& chunks, std::size_t max = kMaxLineBytes) {
  Codec codec(max);
  Decoded d;
  for (auto chunk : chunks) {
    codec.feed(chunk);
    while (!d.error) {
      auto item = codec.next();
      if (std::holds_alternative<std::monostate>(item)) break;
      if (auto* e = std::get_if<DecodeError>(&item)) {
        d.error = *e;
        break;
      }
      d.frames.push_back(std::get<Message>(item));
    }
  }
  return d;
}

const std::string kStream =
    "IDENT alice\r\n"
    "BCST hello  world\n"
    "PM bob psst\r"
    "PM_PUBKEY MIIBIjANBgkq\r\n"
    "\n"
    "PONG\r"
    "\r\n"
    "QUIT\n";

const std::vector<Message> kFrames = {
    {"IDENT", "alice"}, {"BCST", "hello  world"},
    {"PM", "bob psst"}, {"PM_PUBKEY", "MIIBIjANBgkq"},
    {"", ""},           {"PONG", ""},
    {"", ""},           {"QUIT", ""},
};

TEST(SaxionCodec, DecodesAMultiLineStream) {
  auto d = decode({kStream});
  EXPECT_EQ(d.frames, kFrames);
  EXPECT_FALSE(d.error);
}

TEST(SaxionCodec, EveryTwoWaySplitDecodesTheSame) {
  const std::string_view s = kStream;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    auto d = decode({s.substr(0, i), s.substr(i)});
    EXPECT_EQ(d.frames, kFrames) << "split at " << i;
    EXPECT_FALSE(d.error) << "split at " << i;
  }
}

TEST(SaxionCodec, EveryThreeWaySplitDecodesTheSame) {
  const std::string_view s = kStream;
  for (std::size_t i = 0; i <= s.size(); ++i)
    for (std::size_t j = i; j <= s.size(); ++j) {
      auto d = decode({s.substr(0, i), s.substr(i, j - i), s.substr(j)});
      ASSERT_EQ(d.frames, kFrames) << "split at " << i << "," << j;
    }
}

TEST(SaxionCodec, ByteByByteDecodesTheSame) {
  std::vector<std::string_view> bytes;
  for (std::size_t i = 0; i < kStream.size(); ++i) bytes.push_back(std::string_view(kStream).substr(i, 1));
  auto d = decode(bytes);
  EXPECT_EQ(d.frames, kFrames);
  EXPECT_FALSE(d.error);
}

TEST(SaxionCodec, NextViewGivesTheSameMessagesAndErrorAtEverySplit) {
  const std::string s = kStream + std::string(40, 'a');  // ends in a line over the limit of 32
  for (std::size_t i = 0; i <= s.size(); ++i) {
    const auto owned = decode({std::string_view(s).substr(0, i), std::string_view(s).substr(i)}, 32);
    Codec codec(32);
    std::vector<Message> frames;
    std::optional<DecodeError> error;
    for (std::string_view chunk : {std::string_view(s).substr(0, i), std::string_view(s).substr(i)}) {
      codec.feed(chunk);
      while (!error) {
        auto item = codec.next_view();
        if (std::holds_alternative<std::monostate>(item)) break;
        if (auto* e = std::get_if<DecodeError>(&item)) {
          error = *e;
          break;
        }
        const auto& v = std::get<MessageView>(item);
        frames.push_back({std::string(v.command), std::string(v.payload)});
      }
    }
    EXPECT_EQ(frames, owned.frames) << "split at " << i;
    ASSERT_TRUE(error && owned.error) << "split at " << i;
    EXPECT_EQ(error->offset, owned.error->offset) << "split at " << i;
  }
}

TEST(SaxionCodec, ReEncodingDecodedFramesDecodesToTheSameFrames) {
  auto first = decode({kStream});
  std::string again;
  for (const auto& m : first.frames) again += Codec::encode(m);
  auto second = decode({again});
  EXPECT_EQ(second.frames, first.frames);
  EXPECT_FALSE(second.error);
}

TEST(SaxionCodec, DefaultLimitIs64KiB) {
  EXPECT_EQ(kMaxLineBytes, 65536u);
  const std::string ok = "BCST " + std::string(kMaxLineBytes - 5, 'a');
  ASSERT_EQ(ok.size(), kMaxLineBytes);
  auto d = decode({ok + "\n"});
  ASSERT_EQ(d.frames.size(), 1u);
  EXPECT_EQ(d.frames[0].payload.size(), kMaxLineBytes - 5);
  EXPECT_FALSE(d.error);

  auto bad = decode({"QUIT\n", ok, "a"});
  ASSERT_EQ(bad.frames.size(), 1u);
  ASSERT_TRUE(bad.error);
  EXPECT_EQ(bad.error->code, line_errc::line_too_long);
  EXPECT_EQ(bad.error->offset, 5 + kMaxLineBytes);
}

TEST(SaxionCodec, ErrorAtEverySplitHasTheSameOffset) {
  const std::string data = "IDENT al\r\nBCST " + std::string(30, 'x') + "\r\nPONG\n";
  auto whole = decode({data}, 16);
  ASSERT_EQ(whole.frames, (std::vector<Message>{{"IDENT", "al"}}));
  ASSERT_TRUE(whole.error);
  EXPECT_EQ(whole.error->offset, 10u + 16u);
  for (std::size_t i = 0; i <= data.size(); ++i) {
    auto d = decode({std::string_view(data).substr(0, i), std::string_view(data).substr(i)}, 16);
    EXPECT_EQ(d.frames, whole.frames) << "split at " << i;
    ASSERT_TRUE(d.error) << "split at " << i;
    EXPECT_EQ(d.error->offset, whole.error->offset) << "split at " << i;
  }
}

}  // namespace
}  // namespace relaycheck::proto::saxion
