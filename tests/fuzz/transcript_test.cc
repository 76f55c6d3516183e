// The session transcript (formats/transcript.h): format round trip, and the fuzz targets' driver
// (fuzz/common/transcript_driver.h) on the saxion engine.
#include <gtest/gtest.h>

#include "fuzz/common/transcript_driver.h"
#include "proto/registry.h"

namespace relaycheck::fuzz {
namespace {

using Kind = Record::Kind;

void expect_same_records(const std::vector<Record>& got, const std::vector<Record>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].kind, want[i].kind) << i;
    EXPECT_EQ(got[i].slot, want[i].slot) << i;
    EXPECT_EQ(got[i].payload, want[i].payload) << i;
    EXPECT_EQ(got[i].tenths, want[i].tenths) << i;
  }
}

TEST(Transcript, SerializeThenParseGivesTheSameRecords) {
  std::vector<Record> in = {{Kind::send, 0, "IDENT alice\n", 0},
                            {Kind::advance, 1, "", 105},
                            {Kind::reconnect, 2, "", 0},
                            {Kind::disconnect, 3, "", 0},
                            {Kind::send, 1, std::string("\0\r\n", 3), 0}};
  const std::string bytes = serialize_transcript(in);
  expect_same_records(parse_transcript(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), in);
}

TEST(Transcript, ParsingIntoAKeptVectorReplacesWhatItHeld) {
  const std::vector<Record> first = {
      {Kind::send, 0, std::string(100, 'a'), 0}, {Kind::send, 1, "b", 0}, {Kind::advance, 2, "", 7}};
  const std::vector<Record> second = {{Kind::disconnect, 3, "", 0}, {Kind::send, 2, "hello\n", 0}};
  std::vector<Record> kept;
  for (const auto* in : {&first, &second, &first}) {
    const std::string bytes = serialize_transcript(*in);
    parse_transcript(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), 256, kept);
    const auto fresh = parse_transcript(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    expect_same_records(kept, fresh);
    expect_same_records(parse_transcript_reused(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()),
                        fresh);
    const auto& reused_views =
        view_transcript_reused(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    ASSERT_EQ(reused_views.size(), fresh.size());
    for (std::size_t i = 0; i < reused_views.size(); ++i) EXPECT_EQ(reused_views[i].payload, fresh[i].payload) << i;
    std::vector<RecordView> views = {{Kind::send, 1, "stale", 0}};
    view_transcript(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), 256, views);
    ASSERT_EQ(views.size(), fresh.size());
    for (std::size_t i = 0; i < views.size(); ++i) EXPECT_EQ(views[i].payload, fresh[i].payload) << i;
  }
}

TEST(Transcript, SerializingIntoABufferGivesTheSameBytes) {
  // A payload over the 16-bit length field is cut at 0xffff bytes, in both forms.
  const std::vector<Record> in = {
      {Kind::send, 1, std::string(0x10005, 'x'), 0}, {Kind::advance, 0, "", 300}, {Kind::reconnect, 2, "", 0}};
  const std::string bytes = serialize_transcript(in);
  ASSERT_EQ(serialized_size(in), bytes.size());
  EXPECT_EQ(bytes.size(), 3u + 0xffff + 3 + 3);
  std::vector<std::uint8_t> buffer(bytes.size() + 1, 0xee);
  serialize_transcript(in, buffer.data());
  EXPECT_EQ(std::string(buffer.begin(), buffer.end() - 1), bytes);
  EXPECT_EQ(buffer.back(), 0xee);  // nothing written past the size
}

TEST(Transcript, TruncatedInputEndsTheTranscriptAndCutsThePayload) {
  const std::uint8_t data[] = {0x01, 0x00, 0x10, 'a', 'b', 0x02};
  const auto out = parse_transcript(data, sizeof data);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].slot, 1);
  EXPECT_EQ(out[0].payload, "ab\x02");
}

TEST(Transcript, RecordCountIsBounded) {
  std::vector<std::uint8_t> data(3 * 1000, 0x0c);  // 1000 disconnect records
  EXPECT_EQ(parse_transcript(data.data(), data.size(), 64).size(), 64u);
}

TEST(Transcript, DriveRunsClientsAndVirtualTime) {
  auto engine = proto::find_protocol("saxion")->make_engine({});
  std::vector<Record> records = {{Kind::send, 0, "IDENT alice\n", 0},
                                 {Kind::send, 1, "IDENT bob\n", 0},
                                 {Kind::advance, 0, "", 100},  // 10 s: PING to both
                                 {Kind::send, 0, "PONG\n", 0},
                                 {Kind::advance, 0, "", 40}};  // 4 s: bob missed his PONG
  std::vector<std::string> to_slot[kSlots];
  bool bob_closed = false;
  const auto end = drive(*engine, records, [&](const DriveEvent& e) {
    ASSERT_LT(e.slot, kSlots);
    if (e.action.kind == proto::Action::Kind::send)
      to_slot[e.slot].push_back(e.action.bytes);
    else if (e.slot == 1)
      bob_closed = true;
  });
  EXPECT_EQ(end.time_since_epoch(), proto::Millis{14'000});
  const auto& alice = to_slot[0];
  EXPECT_NE(std::find(alice.begin(), alice.end(), "PING\n"), alice.end());
  EXPECT_NE(std::find(alice.begin(), alice.end(), "LEFT bob\n"), alice.end());
  EXPECT_NE(std::find(to_slot[1].begin(), to_slot[1].end(), "DSCN Pong timeout\n"), to_slot[1].end());
  EXPECT_TRUE(bob_closed);
}

}  // namespace
}  // namespace relaycheck::fuzz
