// psuirc::Codec: terminators, any split, the line limit, ill-formed UTF-8 with its stream offset.
#include "proto/psuirc/codec.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "proto/psuirc/errors.h"

namespace relaycheck::proto::psuirc {
namespace {

struct Result {
  std::vector<std::string> lines;
  std::optional<DecodeError> error;
};

Result decode(std::string_view data, std::size_t chunk, std::size_t max = kMaxLineBytes) {
  Codec c(max);
  Result r;
  for (std::size_t i = 0; i < data.size(); i += chunk) {
    c.feed(data.substr(i, chunk));
    while (!r.error) {
      auto item = c.next();
      if (std::holds_alternative<std::monostate>(item)) break;
      if (auto* e = std::get_if<DecodeError>(&item)) {
        r.error = *e;
        break;
      }
      r.lines.push_back(std::get<Line>(item).text);
    }
  }
  return r;
}

using Lines = std::vector<std::string>;

TEST(PsuircCodec, LinesWithLfAndCrLf) {
  auto r = decode("alice\r\nliro\nroom a\rb\n", 1000);
  EXPECT_EQ(r.lines, (Lines{"alice", "liro", "room a\rb"}));
  EXPECT_FALSE(r.error);
}

TEST(PsuircCodec, ByteByByteIsTheSame) {
  const std::string data = "Zo\xc3\xab\r\nroom \xe6\x9d\xb1\xe4\xba\xac\nsend \xe6\x9d\xb1\xe4\xba\xac hi\r\n";
  EXPECT_EQ(decode(data, 1).lines, decode(data, data.size()).lines);
  EXPECT_EQ(decode(data, 1).lines.size(), 3u);
}

TEST(PsuircCodec, InvalidUtf8IsAnErrorAtItsStreamOffset) {
  // "liro\n" is 5 bytes; the bad byte is at 5 + 7 = 12 in the second line.
  const std::string data =
      "liro\nroom ab\xff"
      "cd\nliro\n";
  for (std::size_t chunk : {1u, 3u, 100u}) {
    auto r = decode(data, chunk);
    EXPECT_EQ(r.lines, (Lines{"liro"}));
    ASSERT_TRUE(r.error) << chunk;
    EXPECT_EQ(r.error->code, make_error_code(errc::invalid_utf8));
    EXPECT_EQ(r.error->offset, 12u);
    EXPECT_EQ(r.error->describe(), "invalid UTF-8 at byte 12");
  }
}

TEST(PsuircCodec, CrLfOffsetsCountTheCr) {
  auto r = decode("ab\r\ncd\r\n\xc0\xaf\n", 2);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->offset, 8u);
}

TEST(PsuircCodec, SequenceCutByTheLineEndIsInvalid) {
  auto r = decode("room \xe6\x97\nliro\n", 100);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->offset, 5u);
  EXPECT_TRUE(r.lines.empty());
}

TEST(PsuircCodec, StaysFailedAfterAnError) {
  Codec c;
  c.feed("\xff\nliro\n");
  ASSERT_TRUE(std::holds_alternative<DecodeError>(c.next()));
  EXPECT_TRUE(std::holds_alternative<DecodeError>(c.next()));
}

TEST(PsuircCodec, TheLimitFitsSendWithTwo100KiBFields) {
  EXPECT_EQ(kMaxLineBytes, 4u + 1 + 102400 + 1 + 102400);
  const std::string longest = "send " + std::string(102400, 'r') + ' ' + std::string(102400, 'm');
  auto ok = decode(longest + "\r\n", 4096);
  ASSERT_EQ(ok.lines.size(), 1u);
  EXPECT_EQ(ok.lines[0].size(), kMaxLineBytes);
  auto too_long = decode("liro\n" + longest + "m\n", 4096);
  ASSERT_TRUE(too_long.error);
  EXPECT_EQ(too_long.error->code, make_error_code(line_errc::line_too_long));
  EXPECT_EQ(too_long.error->offset, 5 + kMaxLineBytes);
}

TEST(PsuircCodec, EncodeAppendsLf) {
  EXPECT_EQ(Codec::encode(Line{"welcome user"}), "welcome user\n");
  EXPECT_EQ(Codec::encode(Line{""}), "\n");
}

TEST(PsuircCodec, EncodeIntoReplacesWhatTheBufferHeld) {
  std::string out = std::string(100, 'x');  // a used buffer, longer than the line
  Codec::encode_into(Line{"welcome user"}, out);
  EXPECT_EQ(out, "welcome user\n");
  Codec::encode_into(Line{""}, out);
  EXPECT_EQ(out, Codec::encode(Line{""}));
}

TEST(PsuircCodec, ErrorCategoryNamesItself) {
  EXPECT_STREQ(error_category_of<errc>().name(), "psuirc");
  EXPECT_EQ(make_error_code(errc::invalid_utf8).message(), "invalid UTF-8");
}

}  // namespace
}  // namespace relaycheck::proto::psuirc
