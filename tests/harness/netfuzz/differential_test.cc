// fuzz --differential's pure parts (issue 28): the reference run of a case, the comparison with
// its allowance table, and the written scenario (it must load).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
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
#include "proto/cop/codec.h"
#include "proto/psuirc/codec.h"

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
    for (const auto& f : ref[c]) p.ref.conns[c].frames.push_back({f, 1, "", 0});
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

namespace relaycheck::harness::netfuzz {
namespace {

// A case run through the reference engine, one segment per send (ended by a silence window), and
// the target's side as the tests make it.
struct CaseRun {
  std::string protocol;
  FuzzCase c;
  Outcome trace;
  ReferenceRun ref;
  Outcome target;
};
CaseRun run_case(const std::string& protocol, int conns, const std::vector<Send>& sends) {
  CaseRun r{protocol, {}, {}, {}, {}};
  r.c.conns = conns;
  r.c.sends = sends;
  for (std::size_t i = 0; i < sends.size(); ++i) {
    Segment seg;
    seg.conn = sends[i].conn;
    seg.begin = i;
    seg.end = i + 1;
    seg.how = Segment::End::silence;
    r.trace.segments.push_back(seg);
  }
  r.ref = run_reference(protocol, *find_dialect(protocol), r.c, r.trace);
  r.target = r.trace;
  return r;
}
// The target answers as the reference did on every connection, except `skip`.
void as_reference(CaseRun& r, const std::set<int>& skip = {}) {
  for (std::size_t ci = 0; ci < r.ref.conns.size(); ++ci) {
    if (skip.count(static_cast<int>(ci))) continue;
    for (const auto& f : r.ref.conns[ci].frames)
      r.target.replies.push_back({static_cast<int>(ci), f.segment == 0 ? 0 : f.segment - 1, f.frame});
  }
}
// The target's reply on `conn`, read in segment `segment` (0-based).
void reply(CaseRun& r, int conn, std::size_t segment, json frame) {
  r.target.replies.push_back({conn, segment, std::move(frame)});
}
void keep_open(CaseRun& r, int conn) { r.target.quiet_at_end.push_back(conn); }
void closed_in(CaseRun& r, std::size_t segment) { r.target.segments[segment].how = Segment::End::closed; }
Comparison judge(const CaseRun& r, bool strict = false) {
  return compare_with_reference(r.protocol, *find_dialect(r.protocol), hints_for(r.protocol), r.ref, r.target,
                                {strict, Wording::exact});
}

std::string cop_bytes(proto::cop::Op op, const std::string& sender, const std::string& receiver = "",
                      const std::string& message = "") {
  proto::cop::Frame f;
  f.op = op;
  f.sender = sender;
  f.receiver = receiver;
  f.message = message;
  return proto::cop::Codec::encode(f);
}
using CopOp = proto::cop::Op;

// cop, refusal-closes: a connection closed right after LOGIN_REFUSED (a decision: the project keeps
// it open for another LOGIN) parts the servers; a close after another reply does not.
TEST(DifferentialCop, ACloseRightAfterARefusalIsADecision) {
  CaseRun r = run_case("cop", 2,
                       {{0, cop_bytes(CopOp::login, "ann")},
                        {1, cop_bytes(CopOp::login, "ann")},
                        {1, cop_bytes(CopOp::login, "bea")},
                        {1, cop_bytes(CopOp::public_msg, "bea", "", "hi")}});
  ASSERT_EQ(r.ref.conns[1].frames.size(), 3u);  // LOGIN_REFUSED, LOGIN_ACCEPTED, PUBLIC_MSG
  ASSERT_EQ(r.ref.conns[0].frames.size(), 2u);  // LOGIN_ACCEPTED, bea's PUBLIC_MSG
  CaseRun closes = r;
  as_reference(closes, {0, 1});
  reply(closes, 0, 0, r.ref.conns[0].frames[0].frame);  // ann: no PUBLIC_MSG (bea never logged in)
  reply(closes, 1, 1, r.ref.conns[1].frames[0].frame);  // the refusal, then the close, seen at the next write
  keep_open(closes, 0);
  closed_in(closes, 2);
  const Comparison lenient = judge(closes);
  EXPECT_FALSE(lenient.deviation) << lenient.deviation->detail();
  const auto strict = judge(closes, true).deviation;
  ASSERT_TRUE(strict);
  EXPECT_EQ(strict->signature, "LOGIN_ACCEPTED|close");

  // Closed after LOGIN_ACCEPTED instead (bea logged in, then the close): a deviation.
  CaseRun after_accept = r;
  as_reference(after_accept, {0, 1});
  reply(after_accept, 0, 0, r.ref.conns[0].frames[0].frame);
  reply(after_accept, 1, 1, r.ref.conns[1].frames[0].frame);
  reply(after_accept, 1, 2, r.ref.conns[1].frames[1].frame);
  keep_open(after_accept, 0);
  closed_in(after_accept, 3);
  const auto d = judge(after_accept).deviation;
  ASSERT_TRUE(d);
  EXPECT_EQ(d->signature, "PUBLIC_MSG|close");
}

// A close seen only after a later write there went unanswered is not one right after the refusal.
TEST(DifferentialCop, ACloseLaterThanTheRefusalIsADeviation) {
  CaseRun r =
      run_case("cop", 1, {{0, cop_bytes(CopOp::login, "")}, {0, std::string(1, '\0')}, {0, std::string(1, '\0')}});
  ASSERT_EQ(r.ref.conns[0].frames.size(), 1u);  // LOGIN_REFUSED; the rest is a LOGIN cut short
  ASSERT_FALSE(r.ref.conns[0].closed);
  CaseRun soon = r;
  as_reference(soon);
  closed_in(soon, 1);
  EXPECT_FALSE(judge(soon).deviation);
  CaseRun late = r;
  as_reference(late);
  closed_in(late, 2);
  const auto d = judge(late).deviation;
  ASSERT_TRUE(d);
  EXPECT_EQ(d->signature, "open|close");
}

// cop, rewrite-sender: a spoofed sender closes the reference's connection (a decision); a target
// that keeps it open and relays under the real nickname parts the servers. A close for another
// reason (an unknown opcode) kept open is a deviation.
TEST(DifferentialCop, ASpoofedSenderMayBeKeptOpenAsADecision) {
  CaseRun r = run_case("cop", 2,
                       {{0, cop_bytes(CopOp::login, "ann")},
                        {1, cop_bytes(CopOp::login, "bea")},
                        {1, cop_bytes(CopOp::public_msg, "ann", "", "I am ann")},
                        {0, cop_bytes(CopOp::public_msg, "ann", "", "hi")}});
  ASSERT_TRUE(r.ref.conns[1].closed);
  EXPECT_EQ(r.ref.conns[1].closed_by, cop_bytes(CopOp::public_msg, "ann", "", "I am ann"));
  json relayed = {{"op", "PUBLIC_MSG"}, {"code", 4}, {"sender", "bea"}, {"message", "I am ann"}};
  CaseRun kept = r;
  as_reference(kept, {0, 1});
  reply(kept, 0, 0, r.ref.conns[0].frames[0].frame);
  reply(kept, 0, 2, relayed);
  for (std::size_t i = 1; i < r.ref.conns[0].frames.size(); ++i) reply(kept, 0, 3, r.ref.conns[0].frames[i].frame);
  reply(kept, 1, 1, r.ref.conns[1].frames[0].frame);
  reply(kept, 1, 2, relayed);
  reply(kept, 1, 3, r.ref.conns[0].frames.back().frame);
  keep_open(kept, 0);
  keep_open(kept, 1);
  const Comparison lenient = judge(kept);
  EXPECT_FALSE(lenient.deviation) << lenient.deviation->detail();
  const auto strict = judge(kept, true).deviation;
  ASSERT_TRUE(strict);
  EXPECT_EQ(strict->signature, "extra|PUBLIC_MSG");

  // Opcode 12 closes the reference's connection too (not a spoof): kept open, a deviation.
  CaseRun unknown = run_case("cop", 1, {{0, cop_bytes(CopOp::login, "ann")}, {0, std::string(1, '\x0c')}});
  ASSERT_TRUE(unknown.ref.conns[0].closed);
  as_reference(unknown);
  keep_open(unknown, 0);
  const auto d = judge(unknown).deviation;
  ASSERT_TRUE(d);
  EXPECT_EQ(d->signature, "close|open");
}

// cop, connect-id-own-view: CONNECT_ID's two names the other way round (a decision), any id; a
// third name is a deviation.
TEST(DifferentialCop, ConnectIdNamesEitherWayRoundAreADecision) {
  const json e = {{"op", "CONNECT_ID"}, {"code", 9}, {"sender", "ann"}, {"receiver", "bea"}, {"id", "17"}};
  json swapped = e;
  swapped["sender"] = "bea";
  swapped["receiver"] = "ann";
  swapped["id"] = "99";
  EXPECT_FALSE(compare("cop", pair({{e}}, {{swapped}})).deviation);
  EXPECT_TRUE(compare("cop", pair({{e}}, {{swapped}}), /*strict=*/true).deviation);
  json other = swapped;
  other["receiver"] = "cat";
  EXPECT_TRUE(compare("cop", pair({{e}}, {{other}})).deviation);
}

json ps(const std::string& line) { return {{"line", line}}; }

// psuirc, the conforming variant's help: several lines (a decision); one line naming every command
// (spec); one line naming some (a decision).
TEST(DifferentialPsuirc, HelpTextMayRunOverSeveralLines) {
  CaseRun r = run_case("psuirc", 1, {{0, "ann\n"}, {0, "help\n"}, {0, "liro\n"}});
  ASSERT_EQ(r.ref.conns[0].frames.size(), 3u);
  auto answer_help = [&](const std::vector<std::string>& lines) {
    CaseRun t = r;
    reply(t, 0, 0, r.ref.conns[0].frames[0].frame);
    for (const auto& l : lines) reply(t, 0, 1, ps(l));
    reply(t, 0, 2, r.ref.conns[0].frames[2].frame);
    keep_open(t, 0);
    return t;
  };
  const CaseRun several = answer_help({"commands:", "  liro  list rooms", "  lime <room>", "  exit"});
  const Comparison c = judge(several);
  EXPECT_FALSE(c.deviation) << c.deviation->detail();
  ASSERT_EQ(c.allowed.size(), 1u);
  EXPECT_EQ(c.allowed[0].spanned, 1u);
  EXPECT_EQ(c.allowed[0].arrived.size(), 4u);
  EXPECT_TRUE(judge(several, true).deviation);
  const CaseRun one = answer_help({"liro, lime, room, join, leve, send, help and exit"});
  EXPECT_FALSE(judge(one, true).deviation);
  EXPECT_TRUE(judge(answer_help({"liro and lime"}), true).deviation);
  EXPECT_FALSE(judge(answer_help({"liro and lime"})).deviation);
  // Help asked twice in one segment: each text ends where the next begins.
  CaseRun twice = run_case("psuirc", 1, {{0, "ann\n"}, {0, "help\n"}, {0, "help\n"}});
  reply(twice, 0, 0, twice.ref.conns[0].frames[0].frame);
  for (int i = 0; i < 2; ++i)
    for (const char* l : {"commands:", "  liro", "  exit"}) reply(twice, 0, 1, ps(l));
  keep_open(twice, 0);
  const Comparison c2 = judge(twice);
  EXPECT_FALSE(c2.deviation) << c2.deviation->detail();
  EXPECT_EQ(c2.allowed.size(), 2u);
  // The list the next command draws is still compared after the help text.
  CaseRun wrong_next = answer_help({"a", "b"});
  wrong_next.target.replies.back().frame = ps("Available rooms");
  EXPECT_TRUE(judge(wrong_next).deviation);
}

// psuirc: exit's blank line first (a decision); a blank line before another reply is a deviation.
TEST(DifferentialPsuirc, ABlankLineBeforeExitSuccessfulIsADecision) {
  CaseRun r = run_case("psuirc", 1, {{0, "ann\n"}, {0, "exit\n"}});
  ASSERT_TRUE(r.ref.conns[0].closed);
  CaseRun t = r;
  reply(t, 0, 0, r.ref.conns[0].frames[0].frame);
  reply(t, 0, 1, ps(""));
  reply(t, 0, 1, ps(" exit successful"));
  closed_in(t, 1);
  EXPECT_FALSE(judge(t).deviation);
  EXPECT_TRUE(judge(t, true).deviation);
  CaseRun other = run_case("psuirc", 1, {{0, "ann\n"}, {0, "liro\n"}});
  reply(other, 0, 0, other.ref.conns[0].frames[0].frame);
  reply(other, 0, 1, ps(""));
  reply(other, 0, 1, other.ref.conns[0].frames[1].frame);
  keep_open(other, 0);
  EXPECT_TRUE(judge(other).deviation);
}

// psuirc: "liro" on a served server lists other rooms too (spec); one of the case's rooms left
// out is a deviation.
TEST(DifferentialPsuirc, TheRoomListMayHoldOtherRooms) {
  CaseRun r = run_case("psuirc", 1, {{0, "ann\n"}, {0, "room den\n"}, {0, "liro\n"}, {0, "liro\n"}});
  ASSERT_EQ(r.ref.conns[0].frames.size(), 6u);  // welcome, new room added, (title, den) twice
  auto lists = [&](const std::vector<std::string>& rooms) {
    CaseRun t = r;
    reply(t, 0, 0, r.ref.conns[0].frames[0].frame);
    reply(t, 0, 1, r.ref.conns[0].frames[1].frame);
    for (std::size_t s : {2, 3}) {
      reply(t, 0, s, ps("Available rooms "));
      for (const auto& room : rooms) reply(t, 0, s, ps(room));
    }
    keep_open(t, 0);
    return t;
  };
  const Comparison c = judge(lists({"old", "den", "older"}), true);
  EXPECT_FALSE(c.deviation) << c.deviation->detail();
  EXPECT_TRUE(judge(lists({"old", "older"})).deviation);
  EXPECT_TRUE(judge(lists({"den", "two words"})).deviation);
  // "Sorry, no rooms" from the reference (no room made in the case): the target's list of others.
  CaseRun none = run_case("psuirc", 1, {{0, "ann\n"}, {0, "liro\n"}});
  reply(none, 0, 0, none.ref.conns[0].frames[0].frame);
  reply(none, 0, 1, ps("Available rooms"));
  reply(none, 0, 1, ps("old"));
  keep_open(none, 0);
  EXPECT_FALSE(judge(none, true).deviation);
  // A write of two lines, "liro" and an empty one: the list, then the other line's answer.
  CaseRun two = run_case("psuirc", 1, {{0, "ann\n"}, {0, "liro\n\n"}});
  ASSERT_EQ(two.ref.conns[0].frames.size(), 3u);
  reply(two, 0, 0, two.ref.conns[0].frames[0].frame);
  reply(two, 0, 1, ps("Available rooms"));
  reply(two, 0, 1, ps("old"));
  reply(two, 0, 1, two.ref.conns[0].frames[2].frame);
  keep_open(two, 0);
  EXPECT_FALSE(judge(two, true).deviation);
  two.target.replies.back().frame = ps("you are not member");
  EXPECT_TRUE(judge(two).deviation);
}

// psuirc, echo-to-sender: the sender's own copy after the confirmation (a decision); a copy of
// another text is a deviation. The delivered wording (a decision) to the other member.
TEST(DifferentialPsuirc, TheSendersCopyAndTheDeliveredWordingAreDecisions) {
  CaseRun r = run_case("psuirc", 2,
                       {{0, "ann\n"},
                        {1, "bea\n"},
                        {0, "room den\n"},
                        {0, "join den\n"},
                        {1, "join den\n"},
                        {0, "send den hello there\n"}});
  ASSERT_EQ(r.ref.conns[1].frames.back().frame, ps("den ann hello there"));
  auto with = [&](const std::string& copy, const std::string& delivered) {
    CaseRun t = r;
    as_reference(t);
    for (auto& rep : t.target.replies)
      if (rep.conn == 1 && rep.frame == ps("den ann hello there")) rep.frame = ps(delivered);
    if (!copy.empty()) reply(t, 0, 5, ps(copy));
    keep_open(t, 0);
    keep_open(t, 1);
    return t;
  };
  EXPECT_FALSE(judge(with("[den] ann: hello there", "[den] ann: hello there")).deviation);
  EXPECT_TRUE(judge(with("[den] ann: hello there", "den ann hello there"), true).deviation);
  EXPECT_TRUE(judge(with("", "[den] ann: hello there"), true).deviation);
  EXPECT_FALSE(judge(with("", "den ann hello there"), true).deviation);
  EXPECT_TRUE(judge(with("[den] ann: goodbye", "den ann hello there")).deviation);
  EXPECT_TRUE(judge(with("", "[den] ann: hello")).deviation);
}

// psuirc: an invisible character (U+202E) in a message or a room name may be refused (a decision,
// the servers part there); refusing a plain or accented one is a deviation.
TEST(DifferentialPsuirc, AnInvisibleCharacterMayBeRefused) {
  auto refused = [](const std::string& line, const std::string& refusal, bool strict = false) {
    CaseRun r = run_case("psuirc", 1, {{0, "ann\n"}, {0, line}, {0, "liro\n"}});
    CaseRun t = r;
    reply(t, 0, 0, r.ref.conns[0].frames[0].frame);
    reply(t, 0, 1, ps(refusal));
    reply(t, 0, 2, ps("Sorry, no rooms"));
    keep_open(t, 0);
    return judge(t, strict).deviation.has_value();
  };
  EXPECT_FALSE(refused("send den x\xe2\x80\xaey\n", "invalid message format"));
  EXPECT_TRUE(refused("send den x\xe2\x80\xaey\n", "invalid message format", true));
  EXPECT_FALSE(refused("room d\xe2\x80\xaen\n", "invalid room name"));
  EXPECT_TRUE(refused("send den hello\n", "invalid message format"));
  EXPECT_TRUE(refused("room d\xc3\xa9n\n", "invalid room name"));
}

// psuirc: a line past the reference's limit: its "input invalid" and close may be left out (a
// decision); "input invalid" for another line may not.
TEST(DifferentialPsuirc, TheLineLimitIsADecision) {
  const std::string long_line = "send " + std::string(proto::psuirc::kMaxLineBytes, 'a') + "\n";
  CaseRun r = run_case("psuirc", 1, {{0, "ann\n"}, {0, long_line}});
  ASSERT_TRUE(r.ref.conns[0].closed);
  CaseRun t = r;
  reply(t, 0, 0, r.ref.conns[0].frames[0].frame);
  reply(t, 0, 1, ps("invalid message format"));
  keep_open(t, 0);
  EXPECT_FALSE(judge(t).deviation);
  EXPECT_TRUE(judge(t, true).deviation);
  // The line begun in the login's write: the write that crosses the limit holds no line end.
  CaseRun split =
      run_case("psuirc", 1, {{0, "ann\nsend " + std::string(150'000, 'a')}, {0, std::string(60'000, 'a')}, {0, "\n"}});
  ASSERT_TRUE(split.ref.conns[0].closed);
  ASSERT_EQ(split.ref.conns[0].frames.size(), 2u);
  reply(split, 0, 0, split.ref.conns[0].frames[0].frame);
  reply(split, 0, 2, ps("invalid message format"));
  keep_open(split, 0);
  EXPECT_FALSE(judge(split).deviation);
}

}  // namespace
}  // namespace relaycheck::harness::netfuzz

namespace relaycheck::harness::netfuzz {
namespace {

// cop: a spoofed answer (7 from bea naming another receiver) written in two pieces: the reference
// closes at the second; a target that takes it under bea's name tells ann (PRIVATE_ACCEPT, CONNECT_ID).
TEST(DifferentialCop, ASpoofedAnswerInTwoWritesMayBeTakenAsADecision) {
  const std::string answer = cop_bytes(CopOp::private_accept, "ann", "he bridge");
  CaseRun r = run_case("cop", 2,
                       {{0, cop_bytes(CopOp::login, "ann")},
                        {1, cop_bytes(CopOp::login, "bea")},
                        {0, cop_bytes(CopOp::private_request, "ann", "bea")},
                        {1, answer.substr(0, answer.size() - 9)},
                        {1, answer.substr(answer.size() - 9) + std::string(1, '\0')}});
  ASSERT_TRUE(r.ref.conns[1].closed);
  ASSERT_EQ(r.ref.conns[1].closed_at, 5u);
  CaseRun t = r;
  as_reference(t);
  reply(t, 0, 4, {{"op", "PRIVATE_ACCEPT"}, {"code", 7}, {"sender", "ann"}, {"receiver", "bea"}});
  reply(t, 0, 4, {{"op", "CONNECT_ID"}, {"code", 9}, {"sender", "ann"}, {"receiver", "bea"}, {"id", "5"}});
  reply(t, 1, 4, {{"op", "CONNECT_ID"}, {"code", 9}, {"sender", "ann"}, {"receiver", "bea"}, {"id", "5"}});
  keep_open(t, 0);
  keep_open(t, 1);
  const Comparison c = judge(t);
  EXPECT_FALSE(c.deviation) << c.deviation->detail();
  EXPECT_TRUE(judge(t, true).deviation);
  // The case ended inside a frame on bea's connection (our end-of-file there): the same.
  CaseRun eof = t;
  eof.target.quiet_at_end = {0};
  eof.target.half_closed = {1};
  const Comparison at_eof = judge(eof);
  EXPECT_FALSE(at_eof.deviation) << at_eof.deviation->detail();
}

}  // namespace
}  // namespace relaycheck::harness::netfuzz

namespace relaycheck::harness::netfuzz {
namespace {

// psuirc: a written scenario takes a reply in another letter case and spacing (the wording entry's
// alternative), and only that.
TEST(DifferentialPsuirc, TheWrittenScenarioReadsWordingLoosely) {
  const auto alts = allowed_alternatives("psuirc", ps("Sorry, no rooms"), true);
  ASSERT_EQ(alts.size(), 1u);
  EXPECT_TRUE(match(alts[0], ps("sorry,  NO rooms "), {}).ok);
  EXPECT_TRUE(match(alts[0], ps("Sorry, no rooms"), {}).ok);
  EXPECT_FALSE(match(alts[0], ps("Sorry, no room"), {}).ok);
  const auto odd = allowed_alternatives("psuirc", ps("[a.b] x+y ${z} (1)"), true);
  ASSERT_EQ(odd.size(), 1u);
  EXPECT_TRUE(match(odd[0], ps("[A.B] x+y ${z} (1)"), {}).ok);
  EXPECT_FALSE(match(odd[0], ps("[aXb] x+y ${z} (1)"), {}).ok);
}

}  // namespace
}  // namespace relaycheck::harness::netfuzz

namespace relaycheck::harness::netfuzz {
namespace {

// A written scenario with an answer over several frames (psuirc's help text) before the deviation:
// it loads, takes the target's first line in place of the reference's, and drops the rest.
TEST(DifferentialPsuirc, TheWrittenScenarioTakesAnAnswerOverSeveralFrames) {
  CaseRun r = run_case("psuirc", 1, {{0, "ann\n"}, {0, "help\n"}, {0, "room den\n"}});
  reply(r, 0, 0, r.ref.conns[0].frames[0].frame);
  for (const char* l : {"commands:", "  liro", "  exit"}) reply(r, 0, 1, ps(l));
  reply(r, 0, 2, ps("invalid room name"));  // the deviation: "new room added"
  keep_open(r, 0);
  const Comparison cmp = judge(r);
  ASSERT_TRUE(cmp.deviation);
  EXPECT_EQ(cmp.deviation->reply, 3u);
  const std::string yaml = deviation_scenario_yaml(
      {"psuirc", "psuirc.fuzz.deviation.1", FindingKind::deviation, "d", "test"}, r.c, r.target, r.ref, cmp);
  Suite suite;
  ASSERT_NO_THROW(load_text(yaml, "psuirc/fuzz-deviation-1.yaml", suite)) << yaml;
  EXPECT_NE(yaml.find("{\"line\":\"commands:\"}"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("ignore: {on: c0, frames: [{\"line\":\"  liro\"},{\"line\":\"  exit\"}]}"), std::string::npos)
      << yaml;
  EXPECT_GT(deviation_step_line(yaml), 0u) << yaml;
}

}  // namespace
}  // namespace relaycheck::harness::netfuzz
