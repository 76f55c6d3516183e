// The cs594 framer and codec at every split of the stream, with the bounds on size and depth.
#include "proto/cs594/codec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace relaycheck::proto::cs594 {
namespace {

struct Decoded {
  std::vector<std::string> values;  // the framer's value texts
  std::optional<DecodeError> error;
};

Decoded frame_all(const std::string& stream, std::size_t chunk, std::size_t max_bytes = kMaxValueBytes,
                  std::size_t max_depth = kMaxDepth) {
  JsonFramer f(max_bytes, max_depth);
  Decoded d;
  for (std::size_t i = 0; i < stream.size() && !d.error; i += chunk) {
    f.feed(std::string_view(stream).substr(i, chunk));
    while (true) {
      auto item = f.next();
      if (auto* v = std::get_if<std::string>(&item))
        d.values.push_back(*v);
      else if (auto* e = std::get_if<DecodeError>(&item)) {
        d.error = *e;
        break;
      } else
        break;
    }
  }
  return d;
}

// Every chunk size gives the same values as the whole stream.
void expect_values(const std::string& stream, const std::vector<std::string>& want) {
  for (std::size_t chunk = 1; chunk <= stream.size(); ++chunk) {
    const Decoded d = frame_all(stream, chunk);
    EXPECT_FALSE(d.error) << "chunk " << chunk;
    EXPECT_EQ(d.values, want) << "chunk " << chunk;
  }
}

TEST(Cs594Framer, BackToBackObjects) {
  expect_values(R"({"op":1}{"op":2}[3]{"a":{"b":[1,{"c":2}]}})",
                {R"({"op":1})", R"({"op":2})", "[3]", R"({"a":{"b":[1,{"c":2}]}})"});
}

TEST(Cs594Framer, WhitespaceBetweenValuesIsSkipped) {
  expect_values(" \r\n\t{\"op\":1}\n\n  {\"op\":2} \r\n", {R"({"op":1})", R"({"op":2})"});
}

TEST(Cs594Framer, BracketsAndQuotesInsideStringsDoNotCount) {
  expect_values(R"({"m":"}{ ][ \"}\" \\"}{"op":8})", {R"({"m":"}{ ][ \"}\" \\"})", R"({"op":8})"});
}

TEST(Cs594Framer, TopLevelStringsAndTokens) {
  // A token ends at whitespace or where a string or container starts; the closer is its own.
  expect_values("\"a\\\"b\"42 true{\"op\":1}null[]", {"\"a\\\"b\"", "42", "true", R"({"op":1})", "null", "[]"});
  // A token at the very end is not complete until something delimits it.
  EXPECT_TRUE(frame_all("42", 1).values.empty());
}

TEST(Cs594Framer, MismatchedBracketsStillEndTheValue) {
  // The framer only counts; the parser rejects the text, and the stream stays in step.
  expect_values(R"({"op":1]{"op":2})", {R"({"op":1])", R"({"op":2})"});
}

TEST(Cs594Framer, ValueOverTheLimitIsAnErrorAtTheCrossingOffset) {
  const std::string stream = "  {\"m\":\"" + std::string(100, 'x') + "\"}";
  for (std::size_t chunk : {1u, 7u, 1000u}) {
    const Decoded d = frame_all(stream, chunk, 50);
    ASSERT_TRUE(d.error) << chunk;
    EXPECT_EQ(d.error->code, make_error_code(framer_errc::value_too_large));
    EXPECT_EQ(d.error->offset, 2u + 50u);  // the 51st byte of the value
  }
  // Exactly at the limit is fine.
  const std::string exact = "{\"m\":\"" + std::string(42, 'x') + "\"}";
  ASSERT_EQ(exact.size(), 50u);
  EXPECT_FALSE(frame_all(exact, 3, 50).error);
  EXPECT_EQ(frame_all(exact, 3, 50).values.size(), 1u);
}

TEST(Cs594Framer, TokensAreBoundedToo) {
  const Decoded d = frame_all(std::string(200, '}'), 16, 100);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, make_error_code(framer_errc::value_too_large));
  EXPECT_EQ(d.error->offset, 100u);
}

TEST(Cs594Framer, DepthOverTheLimitIsAnError) {
  const Decoded ok = frame_all(std::string(4, '[') + std::string(4, ']'), 1, 1000, 4);
  EXPECT_FALSE(ok.error);
  EXPECT_EQ(ok.values.size(), 1u);
  const Decoded deep = frame_all("{\"a\":" + std::string(5, '['), 1, 1000, 4);
  ASSERT_TRUE(deep.error);
  EXPECT_EQ(deep.error->code, make_error_code(framer_errc::too_deep));
  EXPECT_EQ(deep.error->offset, 8u);  // the fourth '[' is the fifth level
}

TEST(Cs594Framer, StaysFailedAndDropsFurtherInput) {
  JsonFramer f(10, 4);
  f.feed(std::string(20, '['));
  auto first = f.next();
  ASSERT_TRUE(std::holds_alternative<DecodeError>(first));
  f.feed("{\"op\":1}");
  auto again = f.next();
  ASSERT_TRUE(std::holds_alternative<DecodeError>(again));
  EXPECT_EQ(std::get<DecodeError>(again).offset, std::get<DecodeError>(first).offset);
  EXPECT_EQ(f.pending(), 0u);
}

TEST(Cs594Framer, OffsetsCountTheWholeStream) {
  JsonFramer f(10, 32);
  f.feed("{\"op\":1}  ");
  ASSERT_TRUE(std::holds_alternative<std::string>(f.next()));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(f.next()));
  f.feed("\"" + std::string(20, 'y'));
  auto e = f.next();
  ASSERT_TRUE(std::holds_alternative<DecodeError>(e));
  EXPECT_EQ(std::get<DecodeError>(e).offset, 10u + 10u);
  EXPECT_EQ(std::get<DecodeError>(e).code.category().name(), std::string("cs594"));
}

TEST(Cs594Codec, ParsesValuesAndMarksInvalidJson) {
  Codec c;
  c.feed(R"({"op": 1, "username": "alice"}{"op": }{'op': 2}[1])");
  auto a = c.next();
  ASSERT_TRUE(std::holds_alternative<Message>(a));
  EXPECT_TRUE(std::get<Message>(a).valid_json);
  EXPECT_EQ(std::get<Message>(a).body["username"], "alice");
  for (int i = 0; i < 2; ++i) {
    auto bad = c.next();
    ASSERT_TRUE(std::holds_alternative<Message>(bad));
    EXPECT_FALSE(std::get<Message>(bad).valid_json);
  }
  auto list = c.next();
  ASSERT_TRUE(std::holds_alternative<Message>(list));
  EXPECT_TRUE(std::get<Message>(list).body.is_array());
  EXPECT_TRUE(std::holds_alternative<std::monostate>(c.next()));
}

TEST(Cs594Codec, InvalidUtf8IsNotJson) {
  Codec c;
  c.feed("{\"m\":\"\xff\xfe\"}");
  auto m = c.next();
  ASSERT_TRUE(std::holds_alternative<Message>(m));
  EXPECT_FALSE(std::get<Message>(m).valid_json);
}

TEST(Cs594Codec, EncodeIsOneLineAndDecodesToTheSameValue) {
  Message m{json{{"op", 6}, {"message", "two\nlines \"q\" ☃"}, {"room", "r"}}, true};
  const std::string bytes = Codec::encode(m);
  EXPECT_EQ(bytes.back(), '\n');
  EXPECT_EQ(bytes.find('\n'), bytes.size() - 1);
  Codec c;
  c.feed(bytes);
  auto back = c.next();
  ASSERT_TRUE(std::holds_alternative<Message>(back));
  EXPECT_EQ(std::get<Message>(back), m);
}

}  // namespace
}  // namespace relaycheck::proto::cs594
