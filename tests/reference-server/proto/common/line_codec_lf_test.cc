// LineSplitter in LineEnds::lf_or_crlf mode (psuirc): only "\n" ends a line, a "\r" right before
// it is dropped, a bare "\r" is data; the limit and its error offset do not depend on splits.
#include "proto/common/line_codec.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace relaycheck::proto {
namespace {

struct Result {
  std::vector<std::string> lines;
  std::vector<std::size_t> starts;
  std::optional<DecodeError> error;
  bool operator==(const Result& o) const {
    return lines == o.lines && starts == o.starts && error.has_value() == o.error.has_value() &&
           (!error || (error->code == o.error->code && error->offset == o.error->offset));
  }
};

Result decode(std::string_view data, std::size_t max, std::size_t chunk) {
  LineSplitter s(max, LineEnds::lf_or_crlf);
  Result r;
  for (std::size_t i = 0; i < data.size() || i == 0; i += chunk) {
    s.feed(data.substr(i, chunk));
    while (!r.error) {
      auto item = s.next();
      if (std::holds_alternative<std::monostate>(item)) break;
      if (auto* e = std::get_if<DecodeError>(&item)) {
        r.error = *e;
        break;
      }
      r.lines.push_back(std::get<std::string>(item));
      r.starts.push_back(s.line_start());
    }
    if (data.empty()) break;
  }
  return r;
}

Result whole(std::string_view data, std::size_t max = 1024) { return decode(data, max, data.size() + 1); }

using Lines = std::vector<std::string>;

TEST(LineSplitterLf, LfAndCrLfEndLines) {
  auto r = whole("one\ntwo\r\nthree\n");
  EXPECT_EQ(r.lines, (Lines{"one", "two", "three"}));
  EXPECT_EQ(r.starts, (std::vector<std::size_t>{0, 4, 9}));
  EXPECT_FALSE(r.error);
}

TEST(LineSplitterLf, BareCrIsData) {
  auto r = whole("a\rb\n\r\r\n\rc");
  EXPECT_EQ(r.lines, (Lines{"a\rb", "\r"}));  // "\r\r\n": one CR dropped, one kept
  EXPECT_FALSE(r.error);
}

TEST(LineSplitterLf, EmptyLines) { EXPECT_EQ(whole("\n\r\n\n").lines, (Lines{"", "", ""})); }

TEST(LineSplitterLf, EveryChunkSizeGivesTheSameResult) {
  const std::string data = "alice\r\nroom x\r\r\n\njoin \xe6\x9d\xb1\nsend x hi\rthere\r\n";
  const Result want = whole(data);
  ASSERT_EQ(want.lines.size(), 5u);
  for (std::size_t chunk = 1; chunk <= data.size(); ++chunk) EXPECT_EQ(decode(data, 1024, chunk), want) << chunk;
}

TEST(LineSplitterLf, LimitCountsTheLineWithoutItsTerminator) {
  EXPECT_EQ(whole("abcd\n", 4).lines, (Lines{"abcd"}));
  EXPECT_EQ(whole("abcd\r\n", 4).lines, (Lines{"abcd"}));  // the CR is not counted
  auto r = whole("abcde\n", 4);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, make_error_code(line_errc::line_too_long));
  EXPECT_EQ(r.error->offset, 4u);
}

TEST(LineSplitterLf, UnterminatedLineFailsAtTheSameOffsetWhateverTheSplit) {
  // "ok\n" then 6 bytes with a limit of 4: the first byte past the limit is at 3 + 4 = 7.
  for (const std::string data : {"ok\nabcdef", "ok\nabcd\rx", "ok\nabcde\n"}) {
    for (std::size_t chunk = 1; chunk <= data.size(); ++chunk) {
      auto r = decode(data, 4, chunk);
      ASSERT_TRUE(r.error) << data << " chunk " << chunk;
      EXPECT_EQ(r.error->offset, 7u) << chunk;
      EXPECT_EQ(r.lines, (Lines{"ok"}));
    }
  }
}

TEST(LineSplitterLf, ACrAtTheLimitWaitsForItsLf) {
  LineSplitter s(4, LineEnds::lf_or_crlf);
  s.feed("abcd\r");  // 5 bytes: may still be "abcd" + CR LF
  EXPECT_TRUE(std::holds_alternative<std::monostate>(s.next()));
  s.feed("\n");
  auto item = s.next();
  ASSERT_TRUE(std::holds_alternative<std::string>(item));
  EXPECT_EQ(std::get<std::string>(item), "abcd");
}

TEST(LineSplitterLf, StaysFailed) {
  LineSplitter s(2, LineEnds::lf_or_crlf);
  s.feed("abc\n");
  ASSERT_TRUE(std::holds_alternative<DecodeError>(s.next()));
  s.feed("ok\n");
  EXPECT_TRUE(std::holds_alternative<DecodeError>(s.next()));
}

TEST(LineSplitterLf, DefaultModeIsUnchanged) {
  LineSplitter s(1024);  // saxion's: a bare CR ends a line
  s.feed("a\rb\n");
  EXPECT_EQ(std::get<std::string>(s.next()), "a");
  EXPECT_EQ(std::get<std::string>(s.next()), "b");
  EXPECT_EQ(s.line_start(), 2u);
}

}  // namespace
}  // namespace relaycheck::proto
