// fuzz --differential's pure parts (issue 28): the reference run of a case, the comparison with
// its allowance table, and the written scenario (it must load).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "harness/loader.h"
#include "harness/netfuzz/deviation_scenario.h"
#include "harness/netfuzz/differential.h"
#include "harness/netfuzz/protocol_hints.h"
#include "harness/netfuzz/reference_run.h"
#include "harness/netfuzz/replay.h"
#include "harness/protocols/dialect.h"
#include "harness/target_impl.h"

namespace relaycheck::harness::netfuzz {
namespace {

json sx(const std::string& cmd, const std::string& args) {
  return {{"cmd", cmd}, {"args", args}, {"line", cmd + " " + args}};
}

// A run of one connection per list: the reference's frames and the target's, each after the
// first segment; `target_closed`: the target closed the connection (its segment ended so).
struct Pair {
  ReferenceRun ref;
  Outcome target;
};
Pair pair(const std::vector<std::vector<json>>& ref, const std::vector<std::vector<json>>& got,
          bool target_closed = false) {
  Pair p;
  p.ref.conns.resize(ref.size());
  for (std::size_t c = 0; c < ref.size(); ++c) {
    for (const auto& f : ref[c]) p.ref.conns[c].frames.push_back({f, 1, ""});
    Segment seg;
    seg.conn = static_cast<int>(c);
    seg.how = target_closed ? Segment::End::closed : Segment::End::answered;
    p.target.segments.push_back(seg);
    if (!target_closed) p.target.quiet_at_end.push_back(static_cast<int>(c));
    for (const auto& f : got[c]) p.target.replies.push_back({static_cast<int>(c), c, f});
  }
  return p;
}

Comparison compare(const std::string& protocol, const Pair& p, bool strict = false) {
  return compare_with_reference(protocol, *find_dialect(protocol), hints_for(protocol), p.ref, p.target,
                                {strict, Wording::exact});
}

TEST(Differential, SameFramesAreNoDeviation) {
  const auto p = pair({{sx("INIT", "hi"), sx("OK", "IDENT al")}}, {{sx("INIT", "hi"), sx("OK", "IDENT al")}});
  EXPECT_FALSE(compare("saxion", p).deviation);
}

TEST(Differential, SwappedErrorCodeIsADeviation) {
  const auto p =
      pair({{sx("FAIL07", "User does not exist"), sx("FAIL00", "x")}}, {{sx("FAIL08", "yourself"), sx("FAIL00", "x")}});
  const auto d = compare("saxion", p).deviation;
  ASSERT_TRUE(d);
  EXPECT_EQ(d->signature, "FAIL07|FAIL08");
  EXPECT_EQ(d->conn, 0);
  EXPECT_EQ(d->reply, 1u);
  EXPECT_NE(d->detail().find("the reference sends FAIL07"), std::string::npos) << d->detail();
  EXPECT_EQ(deviation_signature(d->detail()), "FAIL07|FAIL08");
}

TEST(Differential, SpecAlternativesAreAllowed) {
  // FAIL00 or FAIL03 before login; the error's text; USERS in any order.
  const auto p = pair({{sx("FAIL03", "Please log in first"), sx("FAIL01", "a"), sx("OK", "USERS a:b")}},
                      {{sx("FAIL00", "Unknown command"), sx("FAIL01", "b"), sx("OK", "USERS b:a")}});
  const auto c = compare("saxion", p);
  EXPECT_FALSE(c.deviation) << c.deviation->detail();
  EXPECT_EQ(c.allowed.size(), 3u);
  // ...but not a list with another name.
  EXPECT_TRUE(compare("saxion", pair({{sx("OK", "USERS a:b")}}, {{sx("OK", "USERS a:c")}})).deviation);
}

TEST(Differential, DecisionsCountOnlyWhenStrict) {
  const auto p =
      pair({{sx("FAIL02", "bad name"), sx("FAIL00", "x")}}, {{sx("OK", "IDENT abcdefghijklmno"), sx("FAIL00", "x")}});
  EXPECT_FALSE(compare("saxion", p).deviation);
  const auto d = compare("saxion", p, /*strict=*/true).deviation;
  ASSERT_TRUE(d);
  EXPECT_EQ(d->signature, "FAIL02|OK");
}

TEST(Differential, MissingAndExtraRepliesAreNamedSo) {
  const auto missing =
      compare("saxion", pair({{sx("JOINED", "b"), sx("JOINED", "c"), sx("FAIL00", "x")}}, {{sx("FAIL00", "x")}}))
          .deviation;
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->signature, "JOINED|missing");
  const auto extra = compare("saxion", pair({{sx("OK", "PM b hi"), sx("FAIL00", "x")}},
                                            {{sx("OK", "PM b hi"), sx("NPM", "a hi"), sx("FAIL00", "x")}}))
                         .deviation;
  ASSERT_TRUE(extra);
  EXPECT_EQ(extra->signature, "extra|NPM");
  EXPECT_EQ(extra->reply, 2u);
  // A line of one long made-up word is named by its first 24 bytes, not all of it.
  const json room = {{"line", std::string(300, 'r')}};
  const auto named = compare("psuirc", pair({{room}}, {{json{{"line", "x"}}}})).deviation;
  ASSERT_TRUE(named);
  EXPECT_EQ(named->signature, std::string(24, 'r') + "...|x");
}

TEST(Differential, AMissingLastReplyIsJudgedOnlyWhenReadToTheReferencesCount) {
  // The reference's last reply on a connection the target kept open: unread for all the
  // comparison knows, unless the executor read on until the reference's count.
  auto p = pair({{sx("OK", "IDENT al"), sx("JOINED", "bo")}}, {{sx("OK", "IDENT al")}});
  EXPECT_FALSE(compare("saxion", p).deviation);
  p.target.read_to_expected = true;
  const auto d = compare("saxion", p).deviation;
  ASSERT_TRUE(d);
  EXPECT_EQ(d->signature, "JOINED|missing");
  EXPECT_EQ(d->reply, 2u);
  // Read to the count and all there: nothing.
  auto all = pair({{sx("OK", "IDENT al"), sx("JOINED", "bo")}}, {{sx("OK", "IDENT al"), sx("JOINED", "bo")}});
  all.target.read_to_expected = true;
  EXPECT_FALSE(compare("saxion", all).deviation);
  // Closed while it was read: a close where the reference sent its reply.
  p.target.closed_at_end = {0};
  const auto closed = compare("saxion", p).deviation;
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->signature, "JOINED|close");
}

TEST(Differential, ACloseIsAllowedOnlyWhereTheSpecSaysSo) {
  const auto saxion = compare("saxion", pair({{sx("FAIL00", "x")}}, {{}}, /*target_closed=*/true)).deviation;
  ASSERT_TRUE(saxion);
  EXPECT_EQ(saxion->signature, "FAIL00|close");
  const json line = {{"line", "command invalid Type - HELP"}};
  EXPECT_FALSE(compare("psuirc", pair({{line}}, {{}}, /*target_closed=*/true)).deviation);
}

TEST(Differential, ReferenceRunAnswersTheCase) {
  FuzzCase c;
  c.conns = 2;
  c.sends = {{0, "IDENT alice\n"}, {1, "IDENT bob\n"}, {0, "PM nobody hi\n"}};
  Outcome trace;
  for (std::size_t i = 0; i < c.sends.size(); ++i) {
    Segment seg;
    seg.conn = c.sends[i].conn;
    seg.begin = i;
    seg.end = i + 1;
    seg.how = Segment::End::silence;
    trace.segments.push_back(seg);
  }
  const ReferenceRun run = run_reference("saxion", *find_dialect("saxion"), c, trace);
  ASSERT_EQ(run.conns.size(), 2u);
  std::vector<std::string> alice;
  for (const auto& f : run.conns[0].frames) alice.push_back(f.frame.value("cmd", "") + "@" + std::to_string(f.segment));
  // The greeting before any write (0), the login after the first segment (1), bob's JOINED after
  // the second (2), the refused PM after the third (3).
  EXPECT_EQ(alice, (std::vector<std::string>{"INIT@0", "OK@1", "JOINED@2", "FAIL07@3"}));
  EXPECT_FALSE(run.conns[0].closed);

  // The scenario expecting it loads, and names what it expects.
  Outcome target = trace;
  const Comparison cmp{};
  const std::string yaml = deviation_scenario_yaml(
      {"saxion", "saxion.fuzz.deviation.1", FindingKind::deviation, "d", "test"}, c, target, run, cmp);
  Suite suite;
  ASSERT_NO_THROW(load_text(yaml, "saxion/fuzz-deviation-1.yaml", suite)) << yaml;
  EXPECT_NE(yaml.find("\"cmd\":\"JOINED\""), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("quiet: [c0, c1]"), std::string::npos) << yaml;
  EXPECT_EQ(deviation_step_line(yaml), 0u);  // no deviation, no mark

  // With a deviation at alice's third reply (JOINED), that expect is marked; the replay of the
  // scenario names the line it failed at, which is how `fuzz` confirms it at its own step.
  Comparison at_joined;
  at_joined.deviation = Deviation{0, 3, "JOINED bob", "nothing", "JOINED|missing"};
  const std::string marked = deviation_scenario_yaml(
      {"saxion", "saxion.fuzz.deviation.1", FindingKind::deviation, "d", "test"}, c, target, run, at_joined);
  const std::size_t line = deviation_step_line(marked);
  ASSERT_GT(line, 0u) << marked;
  std::istringstream lines(marked);
  std::string text;
  for (std::size_t i = 0; i < line; ++i) std::getline(lines, text);
  EXPECT_NE(text.find("\"cmd\":\"JOINED\""), std::string::npos) << text;
  const auto dir = std::filesystem::temp_directory_path() / ("relaycheck-deviation-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto reference = make_inprocess_target();
  std::ofstream(dir / "passes.yaml") << marked;
  const Replay passes = replay_finding((dir / "passes.yaml").string(), *reference);
  EXPECT_TRUE(passes.ran && !passes.failed) << passes.message;
  std::string wrong = marked;
  wrong.replace(wrong.find("JOINED", wrong.find("\"cmd\":\"JOINED\"")), 6, "LEFT");
  std::ofstream(dir / "fails.yaml") << wrong;
  const Replay fails = replay_finding((dir / "fails.yaml").string(), *reference);
  EXPECT_TRUE(fails.ran && fails.failed) << fails.message;
  EXPECT_EQ(fails.failed_line, line) << fails.message;
  std::filesystem::remove_all(dir);
}

// The pacer counts the reference's replies like a probe's answer as the writes go out: a case's
// own unknown command draws one too, so a probe after it is owed two, not one.
TEST(Differential, ThePacerCountsAnswersLikeTheProbesAsWritten) {
  FuzzCase c;
  c.conns = 1;
  c.sends = {{0, "IDENT al\n"}, {0, "IDEN x\n"}};
  ReferenceStepper stepper("saxion", *find_dialect("saxion"));
  ReferencePacer pacer(stepper, c);
  const json answer = {{"cmd", {{"$any_of", json::array({"FAIL00", "FAIL03"})}}}};
  EXPECT_EQ(pacer.matching(0, answer), 0u);
  pacer.wrote(0, "IDENT al\n.relaycheck-barrier\n", 0);
  pacer.barrier(0);
  EXPECT_EQ(pacer.matching(0, answer), 1u);
  pacer.wrote(0, "IDEN x\n.relaycheck-barrier\n", 1);
  EXPECT_EQ(pacer.matching(0, answer), 3u);
  EXPECT_FALSE(pacer.run());  // the run of the case is made at the end, for the comparison
}

// One stepper lives as long as the target instance: psuirc's rooms outlive the connection that
// made them, on the reference as on a long-running server, so a later case lists them too.
TEST(Differential, TheStepperKeepsWhatTheServerKeepsBetweenCases) {
  ReferenceStepper stepper("psuirc", *find_dialect("psuirc"));
  FuzzCase one, two;
  auto rooms_listed = [&](const FuzzCase& c, const std::string& writes) {
    ReferencePacer pacer(stepper, c);
    pacer.wrote(0, writes, 0);
    pacer.barrier(0);
    Outcome trace;
    trace.segments.resize(1);
    pacer.expected(trace);
    std::vector<std::string> lines;
    for (const auto& f : pacer.run()->conns[0].frames) lines.push_back(f.frame.value("line", ""));
    return lines;
  };
  rooms_listed(one, "alice\nroom den\n");
  const auto lines = rooms_listed(two, "bob\nliro\n");
  EXPECT_NE(std::find(lines.begin(), lines.end(), "den"), lines.end()) << testing::PrintToString(lines);
  // A new stepper (a restarted target) has none.
  ReferenceStepper fresh("psuirc", *find_dialect("psuirc"));
  ReferencePacer pacer(fresh, two);
  pacer.wrote(0, "bob\nliro\n", 0);
  Outcome trace;
  trace.segments.resize(1);
  pacer.expected(trace);
  for (const auto& f : pacer.run()->conns[0].frames) EXPECT_NE(f.frame.value("line", ""), "den");
}

// A client's "OK PM_SESSIONKEY" before login: the reference answers FAIL03, a server that
// answers acknowledgements with nothing (the spec's flows show no answer) is not a deviation;
// leaving out the answer to any other line still is.
TEST(Differential, AnAcknowledgementsAnswerMayBeLeftOut) {
  FuzzCase c;
  c.conns = 1;
  c.sends = {{0, "OK PM_SESSIONKEY\n"}, {0, "IDENT b\n"}, {0, "USERS\n"}};
  Outcome trace;
  Segment seg;
  seg.conn = 0;
  seg.begin = 0;
  seg.end = 3;
  seg.how = Segment::End::silence;
  trace.segments.push_back(seg);
  trace.quiet_at_end.push_back(0);
  const ReferenceRun run = run_reference("saxion", *find_dialect("saxion"), c, trace);
  ASSERT_EQ(run.conns[0].frames.size(), 4u);  // INIT, the ack's FAIL03, IDENT's FAIL02 (too short), USERS' FAIL03
  EXPECT_EQ(run.conns[0].frames[1].drawn_by, "OK PM_SESSIONKEY\n");
  EXPECT_EQ(run.conns[0].frames[2].drawn_by, "IDENT b\n");
  EXPECT_EQ(run.conns[0].frames[0].drawn_by, "");

  const std::string ack_answer = run.conns[0].frames[1].frame.value("cmd", "");
  Outcome target = trace;
  for (std::size_t i : {0, 2, 3}) target.replies.push_back({0, 0, run.conns[0].frames[i].frame});
  const Comparison cmp = compare_with_reference("saxion", *find_dialect("saxion"), hints_for("saxion"), run, target,
                                                {false, Wording::exact});
  EXPECT_FALSE(cmp.deviation) << cmp.deviation->detail();
  ASSERT_EQ(cmp.allowed.size(), 1u);
  EXPECT_EQ(cmp.allowed[0].reply, 2u);
  EXPECT_FALSE(cmp.allowed[0].omitted.is_null());
  EXPECT_EQ(ack_answer, "FAIL03");

  // The written scenario drops such an answer if it comes, and expects IDENT's.
  const std::string yaml = deviation_scenario_yaml(
      {"saxion", "saxion.fuzz.deviation.1", FindingKind::deviation, "d", "test"}, c, target, run, cmp);
  Suite suite;
  ASSERT_NO_THROW(load_text(yaml, "saxion/fuzz-deviation-1.yaml", suite)) << yaml;
  EXPECT_NE(yaml.find("ignore: {on: c0, frames: [{\"cmd\":{\"$regex\":\"FAIL[0-9]{2}\"}}]}"), std::string::npos)
      << yaml;
  EXPECT_NE(yaml.find("ignore: {on: c0, frames: []}"), std::string::npos) << yaml;
  // Every expected reply also takes what the table allows in its place, drawn in this case or
  // not: USERS' FAIL03 with any text, or FAIL00.
  EXPECT_NE(
      yaml.find(
          "{\"$any_of\":[{\"args\":\"Please log in first\",\"cmd\":\"FAIL03\",\"line\":\"FAIL03 Please log in first\"},"
          "{\"cmd\":\"FAIL00\"},{\"cmd\":\"FAIL03\"}]}"),
      std::string::npos)
      << yaml;

  // The answer to IDENT left out instead: a missing reply.
  Outcome silent = trace;
  for (std::size_t i : {0, 1, 3}) silent.replies.push_back({0, 0, run.conns[0].frames[i].frame});
  const Comparison missing = compare_with_reference("saxion", *find_dialect("saxion"), hints_for("saxion"), run, silent,
                                                    {false, Wording::exact});
  ASSERT_TRUE(missing.deviation);
  EXPECT_EQ(missing.deviation->signature, "FAIL02|missing");
}

}  // namespace
}  // namespace relaycheck::harness::netfuzz

namespace relaycheck::harness::netfuzz {
namespace {

// cs594: a value nested past the reference's 32 levels (a decision) draws its error and a close;
// a target that reads on says nothing, and the USER_EXIT the reference then tells the other
// connection is not judged (the servers parted there). With --strict it is a deviation.
TEST(Differential, ALimitTheTargetNeedNotEnforcePartsTheServers) {
  FuzzCase c;
  c.conns = 2;
  c.sends = {{0, "{\"op\":1,\"username\":\"a\"}"},
             {1, "{\"op\":1,\"username\":\"b\"}"},
             {1, std::string(33, '[')},
             {0, "{\"op\":2}"}};
  Outcome trace;
  for (const auto& [conn, begin, end] : {std::tuple{0, 0, 1}, std::tuple{1, 1, 3}, std::tuple{0, 3, 4}}) {
    Segment seg;
    seg.conn = conn;
    seg.begin = static_cast<std::size_t>(begin);
    seg.end = static_cast<std::size_t>(end);
    seg.how = Segment::End::silence;
    trace.segments.push_back(seg);
  }
  trace.quiet_at_end = {0, 1};
  const ReferenceRun run = run_reference("cs594", *find_dialect("cs594"), c, trace);
  ASSERT_EQ(run.conns[0].frames.size(), 3u);  // a's LOGIN, USER_EXIT for b, LIST_ROOMS
  ASSERT_EQ(run.conns[1].frames.size(), 2u);  // b's LOGIN, then the error for the deep value
  EXPECT_EQ(run.conns[0].frames[1].frame.value("op", 0), 7);
  // The target reads on: b stays, so a gets no USER_EXIT, only its LIST_ROOMS.
  Outcome target = trace;
  target.replies.push_back({0, 0, run.conns[0].frames[0].frame});
  target.replies.push_back({1, 1, run.conns[1].frames[0].frame});
  target.replies.push_back({0, 2, run.conns[0].frames[2].frame});
  const Comparison lenient =
      compare_with_reference("cs594", *find_dialect("cs594"), hints_for("cs594"), run, target, {false, Wording::exact});
  EXPECT_FALSE(lenient.deviation) << lenient.deviation->detail();
  const Comparison strict =
      compare_with_reference("cs594", *find_dialect("cs594"), hints_for("cs594"), run, target, {true, Wording::exact});
  ASSERT_TRUE(strict.deviation);
  EXPECT_EQ(strict.deviation->signature, "7|missing");
}

}  // namespace
}  // namespace relaycheck::harness::netfuzz
