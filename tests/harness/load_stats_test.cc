// The delivery check and the latency histogram of relaycheck load (harness/load/).
#include <gtest/gtest.h>

#include "harness/load/latency.h"
#include "harness/load/pattern.h"
#include "harness/load/stats.h"
#include "harness/protocols/moose/load_pattern.h"

namespace relaycheck::harness::load {
namespace {

TEST(LoadStats, EveryMessageToEveryOtherClientOnceIsNoLoss) {
  LoadStats s(3);
  const auto t = Clock::now();
  for (int sender = 0; sender < 3; ++sender)
    for (int i = 0; i < 2; ++i) s.sent(sender, t);
  EXPECT_EQ(s.expected_deliveries(), 12u);
  EXPECT_EQ(s.lost(), 12u);
  for (int r = 0; r < 3; ++r)
    for (int sender = 0; sender < 3; ++sender)
      if (r != sender)
        for (std::uint64_t seq = 0; seq < 2; ++seq) s.delivered(r, sender, seq, t);
  EXPECT_EQ(s.lost(), 0u);
  EXPECT_EQ(s.deliveries(), 12u);
  EXPECT_EQ(s.duplicates() + s.misdelivered() + s.corrupted(), 0u);
}

TEST(LoadStats, GapsDuplicatesWrongRecipientsAndUnsentMessagesAreCounted) {
  LoadStats s(2);
  const auto t = Clock::now();
  for (int i = 0; i < 4; ++i) s.sent(0, t);
  s.delivered(1, 0, 0, t);
  s.delivered(1, 0, 2, t);  // 1 skipped: lost
  s.delivered(1, 0, 2, t);  // again: duplicate
  s.delivered(1, 0, 1, t);  // late: out of order, counted with duplicates
  s.delivered(0, 0, 3, t);  // to its own sender
  s.delivered(1, 0, 9, t);  // never sent
  EXPECT_EQ(s.deliveries(), 2u);
  EXPECT_EQ(s.duplicates(), 2u);
  EXPECT_EQ(s.misdelivered(), 1u);
  EXPECT_EQ(s.corrupted(), 1u);
  EXPECT_EQ(s.lost(), 2u);  // seq 1 (the gap) and seq 3 (never arrived)
  EXPECT_FALSE(s.samples().empty());
}

TEST(LatencyHistogram, PercentilesWithinTheBucketResolution) {
  LatencyHistogram h;
  for (std::uint64_t us = 1; us <= 100000; ++us) h.add(us);
  EXPECT_EQ(h.count(), 100000u);
  EXPECT_EQ(h.max(), 100000u);
  EXPECT_NEAR(static_cast<double>(h.percentile(0.5)), 50000, 50000 * 0.02);
  EXPECT_NEAR(static_cast<double>(h.percentile(0.99)), 99000, 99000 * 0.02);
  EXPECT_EQ(h.percentile(1.0), 100000u);
  LatencyHistogram small;
  small.add(3);
  EXPECT_EQ(small.percentile(0.5), 3u);
}

TEST(LoadPattern, BodiesRoundTripAndForgeriesAreCorrupt) {
  const std::string body = message_body(7, 42, 64);
  EXPECT_EQ(body.size(), 64u);
  const Received r = parse_body(Pattern::name(7), body);
  EXPECT_EQ(r.kind, Received::Kind::delivery);
  EXPECT_EQ(r.sender, 7);
  EXPECT_EQ(r.seq, 42u);
  EXPECT_EQ(parse_body(Pattern::name(8), body).kind, Received::Kind::corrupt);  // sender name disagrees
  EXPECT_EQ(parse_body(Pattern::name(7), "m 7").kind, Received::Kind::corrupt);
  EXPECT_EQ(parse_body(Pattern::name(7), "hello").kind, Received::Kind::corrupt);
}

TEST(LoadPattern, EveryProtocolWithADialectHasAPatternThatEncodes) {
  for (const std::string protocol : {"saxion", "psuirc", "cop", "cs594"}) {
    auto pattern = make_pattern(protocol);
    ASSERT_NE(pattern, nullptr) << protocol;
    const Dialect* dialect = find_dialect(protocol);
    ASSERT_NE(dialect, nullptr);
    for (const auto& step : pattern->login(3))
      if (!step.frame.is_null()) {
        EXPECT_FALSE(dialect->encode(step.frame).empty()) << protocol;
      }
    EXPECT_FALSE(dialect->encode(pattern->message(3, 5, 64)).empty()) << protocol;
  }
  EXPECT_EQ(make_pattern("nope"), nullptr);
}

}  // namespace
}  // namespace relaycheck::harness::load

namespace relaycheck::harness::load {
namespace {

// moose: participant i's messages are due only at its partner (client i <-> end user N + i).
TEST(LoadStats, PointToPointCountsOnlyThePartner) {
  LoadStats s(4, {2, 3, 0, 1});
  const auto now = Clock::now();
  s.sent(0, now);
  s.sent(2, now);
  EXPECT_EQ(s.expected_deliveries(), 2u);
  EXPECT_EQ(s.lost(), 2u);
  s.delivered(2, 0, 0, now);
  s.delivered(1, 2, 0, now);  // end user 2's message at client 1: not its partner
  EXPECT_EQ(s.misdelivered(), 1u);
  EXPECT_EQ(s.lost(), 1u);
  s.delivered(0, 2, 0, now);
  EXPECT_EQ(s.lost(), 0u);
  EXPECT_EQ(s.recipients_per_message(), 1);
}

TEST(LoadPattern, MooseReadsTheControlChannelAndTheClientsMsg) {
  const MoosePattern p(3);  // clients 0..2, end users 3..5
  EXPECT_EQ(p.end_user(1), Pattern::name(4));
  const Received said = p.classify_control("said " + p.end_user(1) + " " + message_body(1, 9, 40));
  EXPECT_EQ(said.kind, Received::Kind::delivery);
  EXPECT_EQ(said.sender, 1);
  EXPECT_EQ(said.seq, 9u);
  // Client 2's text reported as said by client 1's end user: corrupt.
  EXPECT_EQ(p.classify_control("said " + p.end_user(1) + " " + message_body(2, 0, 40)).kind, Received::Kind::corrupt);
  const json in = {{"type", "msg"}, {"UUID", MoosePattern::uuid(1)}, {"msg", {message_body(4, 3, 40)}}, {"I/O", "in"}};
  const Received r = p.classify(1, in);
  EXPECT_EQ(r.kind, Received::Kind::delivery);
  EXPECT_EQ(r.sender, 4);
  EXPECT_EQ(p.classify(1, json{{"type", "probe"}, {"UUID", "x"}}).kind, Received::Kind::ping);
  EXPECT_EQ(MoosePattern::ring_id("ok ring 17"), std::optional<std::string>("17"));
  EXPECT_EQ(MoosePattern::ring_id("error busy x"), std::nullopt);
  EXPECT_NE(make_pattern("moose"), nullptr);
}

}  // namespace
}  // namespace relaycheck::harness::load
