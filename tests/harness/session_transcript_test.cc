// The suite-to-seed conversion of `relaycheck run --transcript-dir`.
#include "harness/session_transcript.h"

#include <gtest/gtest.h>

#include "formats/transcript.h"

namespace {

using relaycheck::formats::Record;
using Dir = relaycheck::reports::WireChunk::Dir;

std::vector<Record> records_of(const relaycheck::reports::ScenarioResult& r) {
  const auto bytes = relaycheck::harness::session_transcript(r);
  EXPECT_TRUE(bytes.has_value());
  if (!bytes) return {};
  return relaycheck::formats::parse_transcript(reinterpret_cast<const std::uint8_t*>(bytes->data()), bytes->size(),
                                               1000);
}

TEST(SessionTranscript, ClientSideBecomesRecordsWithSlotsAndTime) {
  relaycheck::reports::ScenarioResult r;
  r.wire = {{0, "alice", Dir::open, ""},
            {0, "alice", Dir::to_client, "INIT\n"},
            {5, "alice", Dir::to_server, "IDENT alice\n"},
            {250, "bob", Dir::open, ""},
            {250, "bob", Dir::to_server, "IDENT bob\n"},
            {1000, "alice", Dir::close_by_client, ""},
            {1000, "bob", Dir::close_by_server, ""}};
  const auto records = records_of(r);
  ASSERT_EQ(records.size(), 7u);
  EXPECT_EQ(records[0].kind, Record::Kind::reconnect);
  EXPECT_EQ(records[0].slot, 0);
  EXPECT_EQ(records[1].kind, Record::Kind::send);
  EXPECT_EQ(records[1].payload, "IDENT alice\n");
  // 250 ms later: two whole tenths pass; the 50 ms left over is carried to the next gap.
  EXPECT_EQ(records[2].kind, Record::Kind::advance);
  EXPECT_EQ(records[2].tenths, 2);
  EXPECT_EQ(records[3].kind, Record::Kind::reconnect);
  EXPECT_EQ(records[3].slot, 1);
  EXPECT_EQ(records[4].payload, "IDENT bob\n");
  EXPECT_EQ(records[4].slot, 1);
  EXPECT_EQ(records[5].kind, Record::Kind::advance);
  EXPECT_EQ(records[5].tenths, 8);  // 1000 - 200 already counted
  EXPECT_EQ(records[6].kind, Record::Kind::disconnect);
  EXPECT_EQ(records[6].slot, 0);
}

TEST(SessionTranscript, FifthConnectionIsLeftOutAndLongWritesAreSplit) {
  relaycheck::reports::ScenarioResult r;
  for (const char* c : {"a", "b", "c", "d", "e"}) r.wire.push_back({0, c, Dir::to_server, std::string(1, *c)});
  r.wire.push_back({0, "a", Dir::to_server, std::string(70000, 'x')});
  const auto records = records_of(r);
  ASSERT_EQ(records.size(), 6u);  // a b c d, then the long write as two sends
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(records[i].slot, i);
  EXPECT_EQ(records[4].payload.size(), 0xffffu);
  EXPECT_EQ(records[5].payload.size(), 70000u - 0xffff);
}

TEST(SessionTranscript, NothingSentIsNoSeed) {
  relaycheck::reports::ScenarioResult r;
  r.wire = {{0, "alice", Dir::open, ""}, {0, "alice", Dir::to_client, "INIT\n"}};
  EXPECT_FALSE(relaycheck::harness::session_transcript(r).has_value());
}

}  // namespace
