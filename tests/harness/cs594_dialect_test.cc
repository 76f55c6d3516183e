// The cs594 dialect: op names, verbatim JSON text, decoding with $keys, and the pattern
// extensions $strict and $unordered, checked through the real matcher.
#include "harness/protocols/cs594/dialect.h"

#include <gtest/gtest.h>

#include "harness/match.h"

namespace relaycheck::harness {
namespace {

const Dialect& dialect() { return *find_dialect("cs594"); }

json decode_one(const std::string& bytes) {
  auto d = dialect().decoder();
  d->feed(bytes);
  auto item = d->next();
  EXPECT_TRUE(std::holds_alternative<json>(item));
  return std::holds_alternative<json>(item) ? std::get<json>(item) : json();
}

bool matches(const json& pattern, const std::string& reply) {
  return match(dialect().normalize_pattern(pattern), decode_one(reply), {}).ok;
}

TEST(Cs594Dialect, EncodesOpNamesAsNumbersWithoutDelimiter) {
  EXPECT_EQ(dialect().encode(json{{"op", "LOGIN"}, {"username", "alice"}}), R"({"op":1,"username":"alice"})");
  EXPECT_EQ(dialect().encode(json{{"op", "ERR_NOT_IN_ROOM"}}), R"({"op":19})");
  EXPECT_EQ(dialect().encode(json{{"op", "HEART_BEAT"}}), R"({"op":8})");
  EXPECT_EQ(dialect().encode(json{{"op", 99}}), R"({"op":99})");
  // An unknown name is sent as a string: that is how a wrong-type op is written.
  EXPECT_EQ(dialect().encode(json{{"op", "login"}}), R"({"op":"login"})");
  // A string frame is JSON text, sent verbatim; bare scalars get a delimiter.
  EXPECT_EQ(dialect().encode(json("{\"op\": }")), "{\"op\": }");
  EXPECT_EQ(dialect().encode(json(42)), "42\n");
}

TEST(Cs594Dialect, DecodesObjectsAsReceived) {
  const json f = decode_one("{\"op\":4,\"room\":\"r\",\"user\":\"a\",\"new\":true}\n");
  EXPECT_EQ(f, (json{{"op", 4}, {"room", "r"}, {"user", "a"}, {"new", true}}));
  EXPECT_EQ(dialect().describe(f), R"(JOIN_ROOM {"new":true,"op":4,"room":"r","user":"a"})");
  auto d = dialect().decoder();
  d->feed("{\"op\": }\n");
  EXPECT_TRUE(std::holds_alternative<Undecodable>(d->next()));
}

TEST(Cs594Dialect, PatternsUseOpNames) {
  EXPECT_TRUE(matches(json{{"op", "LIST_ROOMS"}}, R"({"op":2,"rooms":[]})"));
  EXPECT_FALSE(matches(json{{"op", "LIST_USERS"}}, R"({"op":2,"rooms":[]})"));
  EXPECT_TRUE(matches(json{{"op", {{"$any_of", {"ERR_ILLEGAL_WISP", "ERR_NOT_IN_ROOM"}}}}}, R"({"op":19})"));
  EXPECT_FALSE(matches(json{{"op", {{"$any_of", {"ERR_ILLEGAL_WISP", "ERR_NOT_IN_ROOM"}}}}}, R"({"op":11})"));
  EXPECT_TRUE(matches(json("{\"op\": 8}"), R"({"op":8})"));
  EXPECT_THROW(dialect().normalize_pattern(json{{"op", "NOT_AN_OP"}}), PatternError);
}

TEST(Cs594Dialect, StrictPatternsRefuseExtraKeys) {
  const json strict{{"$strict", {{"op", "LOGIN"}, {"username", "alice"}}}};
  EXPECT_TRUE(matches(strict, R"({"op":1,"username":"alice"})"));
  EXPECT_FALSE(matches(strict, R"({"op":1,"username":"alice","id":7})"));
  EXPECT_TRUE(matches(json{{"op", "LOGIN"}}, R"({"op":1,"username":"alice","id":7})"));  // partial by default
}

TEST(Cs594Dialect, UnorderedListsMatchInAnyOrder) {
  const json p{{"op", "LIST_USERS"}, {"users", {{"$unordered", {"alice", "bob", "carol"}}}}};
  EXPECT_TRUE(matches(p, R"({"op":3,"users":["alice","bob","carol"]})"));
  EXPECT_TRUE(matches(p, R"({"op":3,"users":["carol","alice","bob"]})"));
  EXPECT_FALSE(matches(p, R"({"op":3,"users":["carol","alice"]})"));
  EXPECT_FALSE(matches(p, R"({"op":3,"users":["carol","alice","alice"]})"));
  EXPECT_FALSE(matches(p, R"({"op":3,"users":["carol","alice","bob","dave"]})"));
  // Any length: the matcher assigns patterns to items, it does not try every order.
  json twelve = json::array(), reversed = json::array();
  for (int i = 0; i < 12; ++i) twelve.push_back(std::to_string(i));
  for (int i = 11; i >= 0; --i) reversed.push_back(std::to_string(i));
  EXPECT_TRUE(matches(json{{"users", {{"$unordered", twelve}}}}, json{{"users", reversed}}.dump()));
}

// The spec lets a server drop a client for an unknown op and guarantees no harmless request before
// LOGIN, so the barrier is silence until the server accepts the login, then LIST_ROOMS.
TEST(Cs594Dialect, BarrierIsSilenceBeforeLoginThenListRooms) {
  EXPECT_FALSE(dialect().barrier());  // no probe fits every state
  auto tracker = dialect().barrier_tracker();
  ASSERT_TRUE(tracker);
  EXPECT_FALSE(tracker->pending());
  EXPECT_FALSE(tracker->probe());  // fresh connection: silence
  tracker->on_sent(decode_one("{\"op\":1,\"username\":\"alice\"}\n"));
  EXPECT_FALSE(tracker->probe());  // LOGIN sent, not yet accepted
  tracker->on_received(decode_one("{\"op\":13}\n"));
  EXPECT_FALSE(tracker->probe());  // ERR_NAME_EXISTS: still not logged in
  tracker->on_received(decode_one("{\"op\":1,\"username\":\"alice\"}\n"));
  auto probe = tracker->probe();
  ASSERT_TRUE(probe);
  EXPECT_EQ(probe->bytes, "{\"op\":2}\n");
  EXPECT_TRUE(match(probe->reply_pattern, decode_one("{\"op\":2,\"rooms\":[]}\n"), {}).ok);
  EXPECT_TRUE(match(probe->reply_pattern, decode_one("{\"op\":2,\"rooms\":[\"lobby\"]}\n"), {}).ok);
  EXPECT_FALSE(match(probe->reply_pattern, decode_one("{\"op\":11}\n"), {}).ok);  // ERR_ILLEGAL_OP is no answer
  EXPECT_FALSE(match(probe->reply_pattern, decode_one("{\"op\":6,\"room\":\"r\"}\n"), {}).ok);
}

// The spec sets no size limit on a server's messages: a conforming server relaying a 65 KiB
// message (over the reference server's 64 KiB client limit) is decoded, and only a value over
// the decoder's 16 MiB memory bound is refused.
TEST(Cs594Dialect, DecodesRepliesOver64KiB) {
  const std::string text(65 * 1024, 'x');
  const json f = decode_one(R"({"op":6,"room":"r","user":"a","message":")" + text + "\"}\n");
  EXPECT_EQ(f.value("message", std::string()), text);

  auto d = dialect().decoder();
  d->feed(R"({"op":6,"room":"r","user":"a","message":")");
  const std::string chunk(1024 * 1024, 'y');
  for (int mib = 0; mib < 16; ++mib) d->feed(chunk);
  d->feed("yy");
  auto item = d->next();
  ASSERT_TRUE(std::holds_alternative<Undecodable>(item)) << "a value over 16 MiB must be refused, not buffered";
}

}  // namespace
}  // namespace relaycheck::harness
