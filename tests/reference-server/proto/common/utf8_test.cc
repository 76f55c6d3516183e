// find_invalid_utf8 / utf8_length: every class of ill-formed sequence, at the offset it starts.
#include "proto/common/utf8.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace relaycheck::proto {
namespace {

std::optional<std::size_t> bad(const std::string& s) { return find_invalid_utf8(s); }

TEST(Utf8, AsciiAndEmptyAreValid) {
  EXPECT_EQ(bad(""), std::nullopt);
  EXPECT_EQ(bad("hello world\t\r"), std::nullopt);
  EXPECT_EQ(bad(std::string("a\0b", 3)), std::nullopt);  // NUL is well-formed UTF-8
}

// ASCII is read eight bytes at a time: a problem is found at its offset wherever it falls
// against those words, and a well-formed sequence is accepted wherever it falls.
TEST(Utf8, EveryOffsetInLongAsciiText) {
  for (std::size_t at = 0; at < 41; ++at) {
    std::string text(41, 'a');
    text[at] = '\xff';
    EXPECT_EQ(bad(text), at) << at;
    text[at] = '\x80';  // a continuation byte without its lead
    EXPECT_EQ(bad(text), at) << at;
    std::string ok(41, 'a');
    ok.insert(at, "\xe2\x82\xac");  // U+20AC
    EXPECT_EQ(bad(ok), std::nullopt) << at;
    ok.pop_back();
    ok.insert(at, "\xe2\x82");  // cut short: the lead is reported
    EXPECT_EQ(bad(ok), at) << at;
  }
}

TEST(Utf8, WellFormedMultiByte) {
  EXPECT_EQ(bad("Z\xc3\xbcrich"), std::nullopt);                     // ü, 2 bytes
  EXPECT_EQ(bad("\xe6\x9d\xb1\xe4\xba\xac"), std::nullopt);          // 東京, 3 bytes each
  EXPECT_EQ(bad("\xf0\x9f\x8e\x89"), std::nullopt);                  // 🎉, 4 bytes
  EXPECT_EQ(bad("\xc2\x80\xdf\xbf"), std::nullopt);                  // U+0080, U+07FF
  EXPECT_EQ(bad("\xe0\xa0\x80\xef\xbf\xbf"), std::nullopt);          // U+0800, U+FFFF
  EXPECT_EQ(bad("\xed\x9f\xbf\xee\x80\x80"), std::nullopt);          // U+D7FF, U+E000 around the surrogates
  EXPECT_EQ(bad("\xf0\x90\x80\x80\xf4\x8f\xbf\xbf"), std::nullopt);  // U+10000, U+10FFFF
}

TEST(Utf8, StrayContinuationByte) {
  EXPECT_EQ(bad("ab\x80"), 2u);
  EXPECT_EQ(bad("\xbf"), 0u);
}

TEST(Utf8, InvalidLeadBytes) {
  EXPECT_EQ(bad("a\xff"), 1u);
  EXPECT_EQ(bad("a\xfe"), 1u);
  EXPECT_EQ(bad("ab\xf5\x80\x80\x80"), 2u);  // would be above U+10FFFF
  EXPECT_EQ(bad("\xc0\xaf"), 0u);            // overlong '/'
  EXPECT_EQ(bad("x\xc1\xbf"), 1u);           // overlong
}

TEST(Utf8, OverlongThreeAndFourByteForms) {
  EXPECT_EQ(bad("\xe0\x80\xaf"), 0u);
  EXPECT_EQ(bad("\xe0\x9f\xbf"), 0u);
  EXPECT_EQ(bad("\xf0\x80\x80\xaf"), 0u);
  EXPECT_EQ(bad("\xf0\x8f\xbf\xbf"), 0u);
}

TEST(Utf8, SurrogatesAndAboveMax) {
  EXPECT_EQ(bad("ok\xed\xa0\x80"), 2u);    // U+D800
  EXPECT_EQ(bad("ok\xed\xbf\xbf"), 2u);    // U+DFFF
  EXPECT_EQ(bad("\xf4\x90\x80\x80"), 0u);  // U+110000
}

TEST(Utf8, TruncatedSequenceReportsItsLead) {
  EXPECT_EQ(bad("abc\xe6\x97"), 3u);   // cut at the end
  EXPECT_EQ(bad("abc\xe6\x97x"), 3u);  // interrupted by ASCII
  EXPECT_EQ(bad("\xf0\x9f\x8e"), 0u);
  EXPECT_EQ(bad("\xc3"), 0u);
}

TEST(Utf8, FirstProblemWins) { EXPECT_EQ(bad("\xc3\xbc\x80\xff"), 2u); }

TEST(Utf8, LengthCountsCodePoints) {
  EXPECT_EQ(utf8_length(""), 0u);
  EXPECT_EQ(utf8_length("ab"), 2u);
  EXPECT_EQ(utf8_length("\xc3\xa9"), 1u);
  EXPECT_EQ(utf8_length("Zo\xc3\xab"), 3u);
  EXPECT_EQ(utf8_length("\xe6\x9d\xb1\xe4\xba\xac\xf0\x9f\x8e\x89"), 3u);
}

}  // namespace
}  // namespace relaycheck::proto
