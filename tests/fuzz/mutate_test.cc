// The shared mutator building blocks (fuzz/common/mutate.h).
#include "fuzz/common/mutate.h"

#include <gtest/gtest.h>

#include <set>

namespace {

using relaycheck::fuzz::Choices;
using relaycheck::fuzz::Record;

std::vector<Record> sample() {
  std::vector<Record> r(3);
  r[0].payload = "IDENT alice\n";
  r[1].slot = 1;
  r[1].payload = "IDENT bob\nBCST hi\n";
  r[2].kind = Record::Kind::advance;
  r[2].tenths = 100;
  return r;
}

std::string sent_on(const std::vector<Record>& records, std::uint8_t slot) {
  std::string out;
  for (const auto& r : records)
    if (r.kind == Record::Kind::send && r.slot == slot) out += r.payload;
  return out;
}

TEST(Mutate, BoundaryLengthsAreTheEdgesOfTheLimitsAndAllOfThemComeUp) {
  std::set<std::size_t> seen;
  for (unsigned seed = 1; seed < 500; ++seed) {
    Choices c(seed);
    seen.insert(relaycheck::fuzz::boundary_length({32, 512}, c));
  }
  EXPECT_EQ(seen, (std::set<std::size_t>{0, 1, 31, 32, 33, 511, 512, 513}));
}

TEST(Mutate, SplitSendKeepsEveryConnectionsBytes) {
  for (unsigned seed = 1; seed < 50; ++seed) {
    auto records = sample();
    Choices c(seed);
    relaycheck::fuzz::split_send(records, c);
    EXPECT_EQ(sent_on(records, 0), "IDENT alice\n");
    EXPECT_EQ(sent_on(records, 1), "IDENT bob\nBCST hi\n");
    for (const auto& r : records)
      if (r.kind == Record::Kind::send) {
        EXPECT_FALSE(r.payload.empty());
      }
  }
}

TEST(Mutate, MoveAlwaysChangesTheSlot) {
  for (unsigned seed = 1; seed < 50; ++seed) {
    auto records = sample();
    auto before = records;
    Choices c(seed);
    relaycheck::fuzz::move_record_to_other_slot(records, c);
    int moved = 0;
    for (std::size_t i = 0; i < records.size(); ++i) {
      moved += records[i].slot != before[i].slot;
      EXPECT_LT(records[i].slot, relaycheck::fuzz::kSlots);
    }
    EXPECT_EQ(moved, 1);
  }
}

TEST(Mutate, EditsAreRepeatableFromTheSeedAndVaryAcrossSeeds) {
  static const std::uint16_t tenths[] = {1, 30};
  std::set<std::string> outcomes;
  for (unsigned seed = 1; seed < 40; ++seed) {
    auto a = sample(), b = sample();
    Choices ca(seed), cb(seed);
    relaycheck::fuzz::frame_level_edit(a, ca, tenths);
    relaycheck::fuzz::frame_level_edit(b, cb, tenths);
    EXPECT_EQ(relaycheck::fuzz::serialize_transcript(a), relaycheck::fuzz::serialize_transcript(b));
    outcomes.insert(relaycheck::fuzz::serialize_transcript(a));
  }
  EXPECT_GT(outcomes.size(), 10u);
}

TEST(Mutate, PickRecordPicksEveryRecordOfTheKindAndNoOther) {
  using Kind = Record::Kind;
  using relaycheck::fuzz::pick_record;
  const std::vector<Record> records = {{Kind::advance, 0, "", 1},
                                       {Kind::send, 0, "a", 0},
                                       {Kind::disconnect, 1, "", 0},
                                       {Kind::send, 2, "b", 0},
                                       {Kind::send, 3, "c", 0}};
  std::set<std::size_t> picked;
  for (unsigned seed = 0; seed < 200; ++seed) {
    Choices choices(seed);
    const std::size_t i = pick_record(records, Kind::send, choices);
    ASSERT_LT(i, records.size());
    EXPECT_EQ(records[i].kind, Kind::send);
    picked.insert(i);
  }
  EXPECT_EQ(picked, (std::set<std::size_t>{1, 3, 4}));
  Choices choices(1);
  EXPECT_EQ(pick_record(records, Kind::reconnect, choices), records.size());
  EXPECT_EQ(pick_record({}, Kind::send, choices), 0u);
}

TEST(Mutate, WriteBackFitsOrLeavesTheInputAlone) {
  const auto records = sample();
  const std::string bytes = relaycheck::fuzz::serialize_transcript(records);
  std::vector<std::uint8_t> buf(bytes.size());
  const std::string original(buf.size(), 'z');
  std::copy(original.begin(), original.end(), buf.begin());
  // Too small: without libFuzzer the byte mutation is the identity.
  EXPECT_EQ(relaycheck::fuzz::write_back(records, buf.data(), 5, bytes.size() - 1), 5u);
  EXPECT_EQ(std::string(buf.begin(), buf.end()), original);
  EXPECT_EQ(relaycheck::fuzz::write_back(records, buf.data(), 5, bytes.size()), bytes.size());
  EXPECT_EQ(std::string(buf.begin(), buf.end()), bytes);
}

}  // namespace
