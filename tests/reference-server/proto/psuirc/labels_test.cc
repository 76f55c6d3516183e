// psuirc label and message rules (spec 4, 6): readable UTF-8, no control characters, usernames of
// at least 2 characters. Controls are searched eight ASCII bytes at a time, so each is tried at
// every offset of a text longer than a few words.
#include "proto/psuirc/labels.h"

#include <gtest/gtest.h>

#include <string>

namespace relaycheck::proto::psuirc {
namespace {

TEST(Labels, EveryControlIsFoundAtEveryOffset) {
  for (const std::string& control : {std::string(1, '\0'), std::string("\x1f"), std::string("\x7f"), std::string("\t"),
                                     std::string("\xc2\x80"), std::string("\xc2\x9f")}) {
    for (std::size_t at = 0; at <= 40; ++at) {
      std::string text(40, 'a');
      text.insert(at, control);
      EXPECT_FALSE(valid_message(text)) << at;
      EXPECT_FALSE(valid_room_name(text)) << at;
    }
  }
}

TEST(Labels, PrintableTextIsAcceptedWhereverItsBytesFall) {
  for (const std::string& printable :
       {std::string(" "), std::string("~"), std::string("\xc2\xa0"), std::string("\xe2\x82\xac")}) {
    for (std::size_t at = 0; at <= 40; ++at) {
      std::string text(40, 'a');
      text.insert(at, printable);
      EXPECT_TRUE(valid_message(text)) << at;
      EXPECT_EQ(valid_room_name(text), printable != " ") << at;  // a space separates arguments
    }
  }
}

TEST(Labels, UsernamesNeedTwoCharactersNotTwoBytes) {
  EXPECT_FALSE(valid_username(""));
  EXPECT_FALSE(valid_username("a"));
  EXPECT_FALSE(valid_username("\xc3\xa9"));  // one character, two bytes
  EXPECT_TRUE(valid_username("ab"));
  EXPECT_TRUE(valid_username("\xc3\xa9\xc3\xa9"));
  EXPECT_TRUE(valid_username("\xf0\x9f\x98\x80\xf0\x9f\x98\x80"));  // two 4-byte characters
  EXPECT_TRUE(valid_username(std::string(1000, 'x')));
  EXPECT_TRUE(valid_room_name("r"));
  EXPECT_FALSE(valid_room_name(""));
  EXPECT_FALSE(valid_message(""));
}

}  // namespace
}  // namespace relaycheck::proto::psuirc
