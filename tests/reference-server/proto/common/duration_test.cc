// parse_duration / format_duration: the forms people write on command lines and in scenarios.
#include "proto/common/duration.h"

#include <gtest/gtest.h>

#include <string>

namespace relaycheck::proto {
namespace {

struct Good {
  const char* text;
  long long ms;
};

void PrintTo(const Good& g, std::ostream* os) { *os << g.text << " = " << g.ms << "ms"; }

class ParseDurationGood : public ::testing::TestWithParam<Good> {};

TEST_P(ParseDurationGood, Parses) {
  const auto& p = GetParam();
  auto d = parse_duration(p.text);
  ASSERT_TRUE(d.has_value()) << p.text;
  EXPECT_EQ(d->count(), p.ms) << p.text;
}

INSTANTIATE_TEST_SUITE_P(Forms, ParseDurationGood,
                         ::testing::Values(Good{"0", 0}, Good{"250", 250}, Good{"250ms", 250}, Good{"3s", 3000},
                                           Good{"1.5s", 1500}, Good{"0.25s", 250}, Good{"5m", 300'000},
                                           Good{"5min", 300'000}, Good{"2h", 7'200'000}, Good{"10s", 10'000},
                                           Good{"0.0005s", 1},  // rounds to the nearest millisecond
                                           Good{"1.4ms", 1}, Good{"1.6ms", 2}, Good{"007s", 7000}));

class ParseDurationBad : public ::testing::TestWithParam<const char*> {};

TEST_P(ParseDurationBad, Rejects) {
  auto d = parse_duration(GetParam());
  EXPECT_FALSE(d.has_value()) << "'" << GetParam() << "' parsed as " << (d ? d->count() : 0) << "ms";
}

INSTANTIATE_TEST_SUITE_P(Inputs, ParseDurationBad,
                         ::testing::Values("", "s", "ms", "abc", "-5s", "+5s", " 5s", "5 s", "5s ", "5x", "5sec", "5S",
                                           "1e3", ".", "1..5s", "1.5.s", "5ms5", "10d",
                                           "99999999999999999999h",  // far beyond any sane timer
                                           "1000000000000000000000000000000000000000000"));

TEST(FormatDuration, WholeSecondsAndMilliseconds) {
  EXPECT_EQ(format_duration(Millis{3000}), "3s");
  EXPECT_EQ(format_duration(Millis{0}), "0s");
  EXPECT_EQ(format_duration(Millis{1500}), "1500ms");
  EXPECT_EQ(format_duration(Millis{250}), "250ms");
  EXPECT_EQ(format_duration(Millis{600'000}), "600s");
}

TEST(FormatDuration, RoundTripsThroughParse) {
  for (long long ms : {0LL, 1LL, 999LL, 1000LL, 1001LL, 10'000LL, 3'600'000LL}) {
    auto back = parse_duration(format_duration(Millis{ms}));
    ASSERT_TRUE(back) << ms;
    EXPECT_EQ(back->count(), ms);
  }
}

}  // namespace
}  // namespace relaycheck::proto
