// LineSplitter: terminators, split invariance, the line limit and its error offset.
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
  std::optional<DecodeError> error;
};

// Drains every line available now; stops at the first error.
void drain(LineSplitter& s, Result& r) {
  while (!r.error) {
    auto item = s.next();
    if (std::holds_alternative<std::monostate>(item)) return;
    if (auto* e = std::get_if<DecodeError>(&item)) {
      r.error = *e;
      return;
    }
    r.lines.push_back(std::get<std::string>(item));
  }
}

// Feeds `chunks` one after the other, draining after each, as the engine does.
Result decode(const std::vector<std::string_view>& chunks, std::size_t max = 1024) {
  LineSplitter s(max);
  Result r;
  for (auto c : chunks) {
    s.feed(c);
    drain(s, r);
  }
  return r;
}

Result decode_whole(std::string_view data, std::size_t max = 1024) { return decode({data}, max); }

Result decode_bytewise(std::string_view data, std::size_t max = 1024) {
  std::vector<std::string_view> chunks;
  for (std::size_t i = 0; i < data.size(); ++i) chunks.push_back(data.substr(i, 1));
  return decode(chunks, max);
}

using Lines = std::vector<std::string>;

// find_line_end against a byte-by-byte reference, with terminators placed around its 256-byte
// search windows (before, at and after each edge) and either kind first.
TEST(FindLineEnd, AgreesWithAByteByByteScanAcrossWindowEdges) {
  auto reference = [](std::string_view s, std::size_t from) -> std::size_t {
    for (std::size_t i = from; i < s.size(); ++i)
      if (s[i] == '\n' || s[i] == '\r') return i;
    return std::string_view::npos;
  };
  const std::size_t places[] = {0, 1, 254, 255, 256, 257, 511, 512, 513, 700};
  for (std::size_t a : places) {
    for (std::size_t b : places) {
      for (const char* kinds : {"\n\r", "\r\n", "\n\n", "\r\r"}) {
        std::string s(800, 'x');
        s[a] = kinds[0];
        s[b] = kinds[1];
        for (std::size_t from :
             {std::size_t{0}, std::size_t{1}, std::size_t{255}, std::size_t{300}, std::size_t{799}, std::size_t{800}})
          ASSERT_EQ(find_line_end(s, from), reference(s, from))
              << "terminators at " << a << " and " << b << ", from " << from;
      }
    }
  }
  EXPECT_EQ(find_line_end(std::string(1000, 'y')), std::string_view::npos);
  EXPECT_EQ(find_line_end(""), std::string_view::npos);
}

TEST(LineSplitter, SplitsOnLf) {
  auto r = decode_whole("one\ntwo\n");
  EXPECT_EQ(r.lines, (Lines{"one", "two"}));
  EXPECT_FALSE(r.error);
}

TEST(LineSplitter, SplitsOnCrLf) {
  auto r = decode_whole("one\r\ntwo\r\n");
  EXPECT_EQ(r.lines, (Lines{"one", "two"}));
}

TEST(LineSplitter, SplitsOnBareCr) {
  auto r = decode_whole("one\rtwo\r");
  EXPECT_EQ(r.lines, (Lines{"one", "two"}));
}

TEST(LineSplitter, MixedTerminatorsAndEmptyLines) {
  // "\n\r" is two terminators (LF then CR); "\r\n" is one; "\r\r" is two.
  auto r = decode_whole("a\n\rb\r\n\nc\r\rd\n");
  EXPECT_EQ(r.lines, (Lines{"a", "", "b", "", "c", "", "d"}));
}

TEST(LineSplitter, IncompleteLineIsHeldBack) {
  LineSplitter s(1024);
  s.feed("hello");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(s.next()));
  EXPECT_EQ(s.buffered(), 5u);
  s.feed(" world\nrest");
  auto item = s.next();
  ASSERT_TRUE(std::holds_alternative<std::string>(item));
  EXPECT_EQ(std::get<std::string>(item), "hello world");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(s.next()));
  EXPECT_EQ(s.buffered(), 4u);
}

TEST(LineSplitter, CrAtEndOfChunkAndLfAtStartOfNextIsOneTerminator) {
  auto r = decode({"first\r", "\nsecond\n"});
  EXPECT_EQ(r.lines, (Lines{"first", "second"}));
  // The same with draining in between and an empty chunk in the middle.
  r = decode({"first\r", "", "\n", "second\r", "\n"});
  EXPECT_EQ(r.lines, (Lines{"first", "second"}));
}

TEST(LineSplitter, CrThenLfAfterAnotherLineIsNotSwallowed) {
  // Only a '\n' immediately after the '\r' belongs to it.
  auto r = decode({"a\r", "b\n", "\n"});
  EXPECT_EQ(r.lines, (Lines{"a", "b", ""}));
}

const std::string kStream =
    "INIT Welcome\r\nIDENT alice\nBCST hi there\r\rPM bob x\r\n\r\n\n\rlast line\r\nunterminated";
const Lines kStreamLines = {"INIT Welcome", "IDENT alice", "BCST hi there", "", "PM bob x", "", "", "", "last line"};

TEST(LineSplitter, WholeStreamReference) {
  auto r = decode_whole(kStream);
  EXPECT_EQ(r.lines, kStreamLines);
  EXPECT_FALSE(r.error);
}

TEST(LineSplitter, EveryTwoWaySplitGivesTheSameLines) {
  const std::string_view data = kStream;
  for (std::size_t i = 0; i <= data.size(); ++i) {
    auto r = decode({data.substr(0, i), data.substr(i)});
    EXPECT_EQ(r.lines, kStreamLines) << "split at " << i;
    EXPECT_FALSE(r.error) << "split at " << i;
  }
}

TEST(LineSplitter, EveryThreeWaySplitGivesTheSameLines) {
  const std::string_view data = kStream;
  for (std::size_t i = 0; i <= data.size(); ++i) {
    for (std::size_t j = i; j <= data.size(); ++j) {
      auto r = decode({data.substr(0, i), data.substr(i, j - i), data.substr(j)});
      ASSERT_EQ(r.lines, kStreamLines) << "split at " << i << "," << j;
    }
  }
}

TEST(LineSplitter, ByteByByteGivesTheSameLines) {
  auto r = decode_bytewise(kStream);
  EXPECT_EQ(r.lines, kStreamLines);
  EXPECT_FALSE(r.error);
}

TEST(LineSplitter, FeedingEverythingBeforeReadingGivesTheSameLines) {
  // Many feeds without next() in between (the buffer compaction path must not lose bytes).
  LineSplitter s(1024);
  Result r;
  for (char ch : kStream) s.feed(std::string_view(&ch, 1));
  drain(s, r);
  EXPECT_EQ(r.lines, kStreamLines);
  // And interleaved: read one line after every few bytes.
  LineSplitter s2(1024);
  Result r2;
  for (std::size_t i = 0; i < kStream.size(); i += 3) {
    s2.feed(std::string_view(kStream).substr(i, 3));
    auto item = s2.next();
    if (auto* line = std::get_if<std::string>(&item)) r2.lines.push_back(*line);
  }
  drain(s2, r2);
  EXPECT_EQ(r2.lines, kStreamLines);
}

TEST(LineSplitter, LineOfExactlyTheMaximumIsAccepted) {
  const std::string line(16, 'x');
  for (const char* term : {"\n", "\r\n", "\r"}) {
    auto r = decode_whole(line + term + "ok\n", 16);
    EXPECT_EQ(r.lines, (Lines{line, "ok"})) << "terminator " << int(term[0]);
    EXPECT_FALSE(r.error);
    r = decode_bytewise(line + term + "ok\n", 16);
    EXPECT_EQ(r.lines, (Lines{line, "ok"}));
    EXPECT_FALSE(r.error);
  }
  // Buffered without its terminator yet: still fine, waiting for more.
  LineSplitter s(16);
  s.feed(line);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(s.next()));
  EXPECT_FALSE(s.failed());
}

TEST(LineSplitter, OverLongLineWithTerminatorIsAnError) {
  auto r = decode_whole(std::string(17, 'x') + "\n", 16);
  EXPECT_TRUE(r.lines.empty());
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, line_errc::line_too_long);
  EXPECT_EQ(r.error->code.category().name(), std::string("line"));
  EXPECT_EQ(r.error->offset, 16u);
}

TEST(LineSplitter, OverLongLineWithoutTerminatorIsAnErrorAsSoonAsTheLimitIsCrossed) {
  LineSplitter s(16);
  s.feed(std::string(16, 'x'));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(s.next()));
  s.feed("y");
  auto item = s.next();
  ASSERT_TRUE(std::holds_alternative<DecodeError>(item));
  EXPECT_EQ(std::get<DecodeError>(item).code, line_errc::line_too_long);
  EXPECT_EQ(std::get<DecodeError>(item).offset, 16u);
  EXPECT_TRUE(s.failed());
}

TEST(LineSplitter, ErrorOffsetIsAStreamOffsetNotAChunkOffset) {
  // Earlier lines: "ab\n" (3) + "cdef\r\n" (6) + "g\r" (2) = 11 bytes before the long line.
  const std::string prefix = "ab\ncdef\r\ng\r";
  const std::string data = prefix + std::string(40, 'z') + "\n";
  const std::size_t expected = prefix.size() + 8;
  auto whole = decode_whole(data, 8);
  EXPECT_EQ(whole.lines, (Lines{"ab", "cdef", "g"}));
  ASSERT_TRUE(whole.error);
  EXPECT_EQ(whole.error->offset, expected);

  // Same offset at every split and byte by byte, including splits after the early lines were
  // consumed and the buffer compacted.
  for (std::size_t i = 0; i <= data.size(); ++i) {
    auto r = decode({std::string_view(data).substr(0, i), std::string_view(data).substr(i)}, 8);
    EXPECT_EQ(r.lines, whole.lines) << "split at " << i;
    ASSERT_TRUE(r.error) << "split at " << i;
    EXPECT_EQ(r.error->offset, expected) << "split at " << i;
  }
  auto bytewise = decode_bytewise(data, 8);
  ASSERT_TRUE(bytewise.error);
  EXPECT_EQ(bytewise.error->offset, expected);
  EXPECT_EQ(bytewise.lines, whole.lines);
}

TEST(LineSplitter, ErrorOffsetAfterManyCompactions) {
  // Many short lines fed in small chunks force the buffer to compact repeatedly.
  std::string data;
  for (int i = 0; i < 200; ++i) data += "line " + std::to_string(i) + "\r\n";
  const std::size_t before = data.size();
  data += std::string(100, 'q');
  LineSplitter s(32);
  Result r;
  for (std::size_t i = 0; i < data.size(); i += 7) {
    s.feed(std::string_view(data).substr(i, 7));
    drain(s, r);
  }
  EXPECT_EQ(r.lines.size(), 200u);
  EXPECT_EQ(r.lines.back(), "line 199");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->offset, before + 32);
}

TEST(LineSplitter, StaysFailedAfterAnError) {
  LineSplitter s(4);
  s.feed("abcdefgh\nok\n");
  auto first = s.next();
  ASSERT_TRUE(std::holds_alternative<DecodeError>(first));
  EXPECT_TRUE(s.failed());
  // The good line after it is never delivered, and more input does not revive the stream.
  for (int i = 0; i < 3; ++i) {
    auto again = s.next();
    ASSERT_TRUE(std::holds_alternative<DecodeError>(again));
    EXPECT_EQ(std::get<DecodeError>(again).offset, std::get<DecodeError>(first).offset);
    EXPECT_EQ(std::get<DecodeError>(again).code, line_errc::line_too_long);
    s.feed("fine\n");
  }
}

TEST(LineSplitter, DescribeNamesTheErrorAndOffset) {
  DecodeError e{line_errc::line_too_long, 42};
  EXPECT_EQ(e.describe(), "line too long at byte 42");
}

}  // namespace
}  // namespace relaycheck::proto
