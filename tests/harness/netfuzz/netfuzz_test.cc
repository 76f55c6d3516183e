// The network fuzzer's pure parts: the minimiser, the mutator's determinism, the state map and
// the scenario writer (whose output must load as a scenario).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "harness/loader.h"
#include "harness/netfuzz/finding_book.h"
#include "harness/netfuzz/minimiser.h"
#include "harness/netfuzz/mutator.h"
#include "harness/netfuzz/scenario_writer.h"
#include "harness/netfuzz/state_map.h"
#include "harness/protocols/dialect.h"

namespace relaycheck::harness::netfuzz {
namespace {

FuzzCase saxion_case() {
  FuzzCase c;
  c.conns = 2;
  c.sends = {{0, "IDENT alice\n"}, {1, "IDENT bob\n"}, {0, "BCST hi\n"}, {1, "PM alice yo\n"}, {0, "USERS\n"}};
  c.prefix = 2;
  c.origin = "saxion.test";
  return c;
}

bool contains(const FuzzCase& c, int conn, const std::string& text) {
  for (const auto& s : c.sends)
    if (s.conn == conn && s.bytes.find(text) != std::string::npos) return true;
  return false;
}

TEST(Minimiser, KeepsOnlyTheFramesAndBytesTheFindingNeeds) {
  // The "bug": connection 1 sends something with "PM" after connection 0 sent anything with "ID".
  auto reproduces = [](const FuzzCase& c) {
    bool first = false;
    for (const auto& s : c.sends) {
      if (s.conn == 0 && s.bytes.find("ID") != std::string::npos) first = true;
      if (first && s.conn == 1 && s.bytes.find("PM") != std::string::npos) return true;
    }
    return false;
  };
  std::size_t checks = 0;
  const FuzzCase small = minimise(saxion_case(), reproduces, {}, &checks);
  ASSERT_EQ(small.sends.size(), 2u);
  EXPECT_EQ(small.sends[0].bytes, "ID");
  EXPECT_EQ(small.sends[1].bytes, "PM");
  EXPECT_EQ(small.conns, 2);
  EXPECT_TRUE(reproduces(small));
  EXPECT_GT(checks, 0u);
}

TEST(Minimiser, DropsConnectionsThatDoNotMatter) {
  auto reproduces = [](const FuzzCase& c) { return contains(c, c.conns - 1, "USERS"); };
  const FuzzCase small = minimise(saxion_case(), reproduces);
  EXPECT_EQ(small.conns, 1);
  ASSERT_EQ(small.sends.size(), 1u);
  EXPECT_EQ(small.sends[0].conn, 0);
}

TEST(Minimiser, StopsAtItsCheckLimit) {
  std::size_t calls = 0;
  auto reproduces = [&](const FuzzCase&) { return ++calls, false; };
  std::size_t checks = 0;
  const FuzzCase same = minimise(saxion_case(), reproduces, {.max_checks = 5}, &checks);
  EXPECT_EQ(checks, 5u);
  EXPECT_EQ(calls, 5u);
  EXPECT_EQ(same.sends.size(), saxion_case().sends.size());
}

TEST(Minimiser, StopsAtItsTimeBudget) {
  // Every candidate reproduces, slowly (a hang takes seconds to confirm).
  std::size_t calls = 0;
  auto reproduces = [&](const FuzzCase&) {
    ++calls;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return true;
  };
  const auto start = std::chrono::steady_clock::now();
  const FuzzCase some =
      minimise(saxion_case(), reproduces, {.max_checks = 400, .max_time = std::chrono::milliseconds(100)});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1000));
  EXPECT_GE(calls, 2u);
  EXPECT_LE(calls, 8u);
  EXPECT_LT(some.bytes(), saxion_case().bytes());  // what it got to in time is kept
}

std::vector<FuzzCase> run_mutator(std::uint64_t seed, int count) {
  const Dialect& saxion = *find_dialect("saxion");
  const std::vector<FuzzCase> pool = {saxion_case()};
  Mutator m(saxion, seed, Mutator::dictionary_from(pool, saxion));
  std::vector<FuzzCase> out;
  FuzzCase c = saxion_case();
  for (int i = 0; i < count; ++i) {
    c = m.mutate(i % 10 == 0 ? saxion_case() : c, pool);
    out.push_back(c);
  }
  return out;
}

bool same_cases(const std::vector<FuzzCase>& a, const std::vector<FuzzCase>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].conns != b[i].conns || a[i].sends.size() != b[i].sends.size()) return false;
    for (std::size_t j = 0; j < a[i].sends.size(); ++j)
      if (a[i].sends[j].conn != b[i].sends[j].conn || a[i].sends[j].bytes != b[i].sends[j].bytes) return false;
  }
  return true;
}

TEST(Mutator, TheSameSeedGivesTheSameCases) {
  EXPECT_TRUE(same_cases(run_mutator(42, 500), run_mutator(42, 500)));
  EXPECT_FALSE(same_cases(run_mutator(42, 500), run_mutator(43, 500)));
}

TEST(Mutator, KeepsTheLoginPrefixAndChangesTheRest) {
  int changed = 0;
  for (const auto& c : run_mutator(7, 300)) {
    ASSERT_GE(c.sends.size(), 2u);
    EXPECT_EQ(c.sends[0].bytes, "IDENT alice\n");
    EXPECT_EQ(c.sends[1].bytes, "IDENT bob\n");
    EXPECT_LE(c.conns, kMaxConns);
    for (const auto& s : c.sends) EXPECT_LT(s.conn, c.conns);
    changed += !same_cases({c}, {saxion_case()});
  }
  EXPECT_GT(changed, 250);
}

TEST(Mutator, TriesBoundaryLengthsOfFields) {
  // A payload of exactly 255 bytes (the planted one-frame bug) comes out of field mutations.
  int found = 0;
  for (const auto& c : run_mutator(1, 5000))
    for (const auto& s : c.sends) {
      const auto space = s.bytes.find(' ');
      found += space != std::string::npos && s.bytes.back() == '\n' && s.bytes.size() - space - 2 == 255;
    }
  EXPECT_GT(found, 0);
}

// Every chopped write of the cases `seed` gives: runs of consecutive chopped sends.
std::vector<std::vector<Send>> chopped_writes(std::uint64_t seed) {
  std::vector<std::vector<Send>> found;
  for (const auto& c : run_mutator(seed, 3000))
    for (std::size_t i = 0; i < c.sends.size(); ++i) {
      if (!c.sends[i].chopped) continue;
      std::vector<Send> run = {c.sends[i]};
      while (i + 1 < c.sends.size() && c.sends[i + 1].chopped && c.sends[i + 1].conn == run.front().conn)
        run.push_back(c.sends[++i]);
      found.push_back(run);
    }
  return found;
}

TEST(Mutator, ChopsAWriteIntoSmallerWritesCutAnywhere) {
  const auto chops = chopped_writes(5);
  ASSERT_GT(chops.size(), 20u);
  int inside_a_line = 0, whole_original = 0, several = 0;
  for (const auto& run : chops) {
    several += run.size() >= 2;  // (a later mutation may have dropped or moved a piece)
    std::string joined;
    for (const auto& piece : run) {
      joined += piece.bytes;
      inside_a_line += !piece.bytes.empty() && piece.bytes.back() != '\n' && &piece != &run.back();
    }
    // Unmutated since the chop: the pieces make up one of the case's original writes.
    for (const auto& s : saxion_case().sends) whole_original += joined == s.bytes;
  }
  EXPECT_GT(several, 20);
  EXPECT_GT(inside_a_line, 10);  // cuts fall inside frames, not only between them
  EXPECT_GT(whole_original, 5);
  // Deterministic per seed: the same pieces again, other ones for another seed.
  auto same = chopped_writes(5), other = chopped_writes(6);
  ASSERT_EQ(same.size(), chops.size());
  for (std::size_t i = 0; i < chops.size(); ++i) {
    ASSERT_EQ(same[i].size(), chops[i].size());
    for (std::size_t j = 0; j < chops[i].size(); ++j) EXPECT_EQ(same[i][j].bytes, chops[i][j].bytes);
  }
  bool differs = other.size() != chops.size();
  for (std::size_t i = 0; !differs && i < chops.size(); ++i)
    differs = other[i].size() != chops[i].size() || other[i].front().bytes != chops[i].front().bytes;
  EXPECT_TRUE(differs);
}

TEST(Writes, JoinsNeighboursButWritesChoppedPiecesAlone) {
  const std::vector<Send> sends = {{0, "IDENT a\n"}, {0, "BC"}, {0, "ST "}, {0, "hi\n"}, {0, "USERS\n"}, {0, "PING\n"}};
  Writes plain = writes_of(sends, 0, sends.size());
  EXPECT_EQ(plain.bytes, "IDENT a\nBCST hi\nUSERS\nPING\n");
  EXPECT_TRUE(plain.starts.empty());  // one write
  std::vector<Send> chopped = sends;
  for (std::size_t i : {1, 2, 3}) chopped[i].chopped = true;
  Writes w = writes_of(chopped, 0, chopped.size());
  EXPECT_EQ(w.bytes, plain.bytes);
  // "IDENT a\n" | "BC" | "ST " | "hi\n" | "USERS\nPING\n"
  EXPECT_EQ(w.starts, (std::vector<std::size_t>{8, 10, 13, 16}));
  EXPECT_EQ(writes_of(chopped, 2, 4).starts, (std::vector<std::size_t>{3}));
}

TEST(ScenarioWriter, WritesEachPieceOfAChoppedWriteAsItsOwnSend) {
  const Dialect& saxion = *find_dialect("saxion");
  FuzzCase c;
  c.sends = {{0, "IDENT a\n"}, {0, "BC", true}, {0, "ST hi\n", true}};
  Outcome trace;
  trace.finding = FindingKind::crash;
  trace.segments = {{0, 0, 3, Segment::End::closed}};
  FindingText what{"saxion", "saxion.fuzz.crash.1", FindingKind::crash, "died", "a test"};
  const std::string yaml = scenario_yaml(what, c, trace, saxion.barrier());
  EXPECT_NE(yaml.find("hex: \"42 43\"}  # a piece of a chopped write"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("hex: \"53 54 20 68 69 0a\"}  # a piece of a chopped write"), std::string::npos) << yaml;
  Suite suite;
  ASSERT_NO_THROW(load_text(yaml, "saxion/fuzz-crash-1.yaml", suite)) << yaml;
}

// A dialect's probe may follow the connection's state; saxion's is the one static probe in every state.
TEST(BarrierTracker, SaxionProbesTheSameInEveryState) {
  auto s = find_dialect("saxion")->barrier_tracker();
  s->on_sent(json{{"cmd", "IDENT"}, {"args", "a"}});
  EXPECT_EQ(s->probe()->bytes, find_dialect("saxion")->barrier()->bytes);
  EXPECT_FALSE(s->pending());
}

TEST(StateMap, CountsDistinctReplySequences) {
  StateMap m;
  EXPECT_TRUE(m.add({"0:OK", "1:JOINED"}));
  EXPECT_FALSE(m.add({"0:OK", "1:JOINED"}));
  EXPECT_TRUE(m.add({"0:OK"}));
  EXPECT_TRUE(m.add({"0:OKJOINED"}));  // kinds are separated, not concatenated
  EXPECT_EQ(m.size(), 3u);
}

TEST(StateMap, IgnoresHowConnectionsInterleave) {
  StateMap m;
  EXPECT_TRUE(m.add({"0:OK", "1:JOINED", "0:BCST"}));
  EXPECT_FALSE(m.add({"1:JOINED", "0:OK", "0:BCST"}));  // the same per connection
  EXPECT_TRUE(m.add({"0:BCST", "0:OK", "1:JOINED"}));   // a connection's own order counts
}

TEST(ScenarioWriter, WritesAScenarioTheLoaderAccepts) {
  const Dialect& saxion = *find_dialect("saxion");
  FuzzCase c = saxion_case();
  Outcome trace;
  trace.finding = FindingKind::crash;
  using End = Segment::End;
  trace.segments = {
      {0, 0, 1, End::answered}, {1, 1, 2, End::unprobed}, {0, 2, 3, End::answered}, {1, 3, 4, End::closed}};
  trace.final_probes = {{0, *saxion.barrier()}};
  FindingText what{"saxion", "saxion.fuzz.crash.1", FindingKind::crash, "the target killed by signal 6\nline two",
                   "a test"};
  const std::string yaml = scenario_yaml(what, c, trace, saxion.barrier());
  Suite suite;
  ASSERT_NO_THROW(load_text(yaml, "saxion/fuzz-crash-1.yaml", suite)) << yaml;
  ASSERT_EQ(suite.scenarios.size(), 1u);
  const Scenario& s = suite.scenarios[0];
  EXPECT_EQ(s.id, "saxion.fuzz.crash.1");
  int sends = 0, expects = 0;
  for (const auto& step : s.steps) {
    sends += step.kind() == Step::Kind::send;
    expects += step.kind() == Step::Kind::expect;
  }
  // 4 segments' writes (the 5th send came after c1 closed), a probe after each answered one,
  // the final probe of c0 (c1 is closed), and a fresh connection's probe. A crash needs no
  // probe where it showed: the fresh connection is the check.
  EXPECT_EQ(sends, 4 + 2 + 1 + 1);
  EXPECT_EQ(expects, 2 + 1 + 1);
  EXPECT_NE(yaml.find("# the target killed by signal 6"), std::string::npos);
}

// The one-byte crash: a write that ends inside a frame got no probe, so the scenario
// used to end right after it and pass on replay. Now it ends with the check that caught it.
TEST(ScenarioWriter, EndsAOneByteCrashWithTheChecksThatCaughtIt) {
  const Dialect& saxion = *find_dialect("saxion");
  FuzzCase c;
  c.sends = {{0, "\xff"}};
  Outcome trace;
  trace.finding = FindingKind::crash;
  trace.segments = {{0, 0, 1, Segment::End::unprobed}};
  trace.half_closed = {0};
  FindingText what{"saxion", "saxion.fuzz.crash.1", FindingKind::crash, "the target exited with code 1", "a test"};
  const std::string yaml = scenario_yaml(what, c, trace, saxion.barrier());
  Suite suite;
  ASSERT_NO_THROW(load_text(yaml, "saxion/fuzz-crash-1.yaml", suite)) << yaml;
  const auto& steps = suite.scenarios.at(0).steps;
  ASSERT_GE(steps.size(), 6u) << yaml;
  // ... send ff; close c0 (end-of-file, as the fuzzer did); a grace to die; a fresh connection
  // that must be answered.
  const auto at = [&](std::size_t from_end) { return steps[steps.size() - from_end]; };
  EXPECT_EQ(at(1).kind(), Step::Kind::expect) << yaml;
  ASSERT_NE(at(1).as<ExpectStep>(), nullptr);
  EXPECT_EQ(at(1).as<ExpectStep>()->on, "fresh") << yaml;
  EXPECT_EQ(at(2).kind(), Step::Kind::send);
  EXPECT_EQ(at(3).kind(), Step::Kind::ignore);
  EXPECT_EQ(at(4).kind(), Step::Kind::connect);
  EXPECT_EQ(at(5).kind(), Step::Kind::advance);
  EXPECT_EQ(at(6).kind(), Step::Kind::close);
  EXPECT_NE(yaml.find("hex: \"ff\""), std::string::npos) << yaml;
}

// Where no probe fits (its kind was switched to silence), the scenario waits a silence window,
// sends an unanswered probe as the fuzzer did without awaiting it, and checks with `quiet` (a
// window for a dialect with no static probe) that connections stay open.
TEST(ScenarioWriter, WritesSilenceWindowsWhereNoProbeFits) {
  FuzzCase c;
  c.conns = 2;
  c.sends = {{0, std::string("\x01\x00\x00\x00\x01a", 6)}, {1, "x"}};
  Outcome trace;
  trace.finding = FindingKind::crash;
  BarrierProbe unanswered{"p", json{{"op", "X"}}};
  trace.segments = {{0, 0, 1, Segment::End::silence}, {1, 1, 2, Segment::End::unanswered, 0, 0, unanswered}};
  trace.quiet_at_end = {0, 1};
  FindingText what{"cop", "cop.fuzz.crash.1", FindingKind::crash, "died", "a test"};
  ScenarioTiming timing;
  timing.silence = Millis{70};
  const std::string yaml = scenario_yaml(what, c, trace, std::nullopt, timing);
  Suite suite;
  ASSERT_NO_THROW(load_text(yaml, "cop/fuzz-crash-1.yaml", suite)) << yaml;
  EXPECT_NE(yaml.find("- advance: 70ms  # a silence window"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("hex: \"70\"}  # barrier probe, unanswered"), std::string::npos) << yaml;
  EXPECT_EQ(yaml.find("expect"), std::string::npos) << "no probe fits: nothing to expect\n" << yaml;
  EXPECT_NE(yaml.find("- quiet: [c1]"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("- quiet: [fresh]"), std::string::npos) << yaml;
}

// Two findings are one when their minimised writes are the same, whatever their signature.
TEST(FindingBook, SameMinimisedWritesAreOneFinding) {
  FindingBook book;
  FuzzCase a;
  a.sends = {{0, "\xff"}};
  a.origin = "saxion.one";
  FuzzCase b = a;
  b.origin = "saxion.two";  // another seed, the same writes
  b.prefix = 3;
  book.file("crash:the target exited: A", a, 0);
  EXPECT_EQ(book.by_writes(b), std::optional<std::size_t>(0));
  EXPECT_FALSE(book.by_signature("crash:the target exited: B"));
  book.alias("crash:the target exited: B", 0);
  EXPECT_EQ(book.by_signature("crash:the target exited: B"), std::optional<std::size_t>(0));
  // A shrink whose retry flaked can leave a chopped piece, an idle connection or a split
  // write behind: the bytes each connection sends are the same, so it is the same finding.
  FuzzCase chopped = a;
  chopped.sends[0].chopped = true;
  EXPECT_EQ(book.by_writes(chopped), std::optional<std::size_t>(0));
  FuzzCase other_conn = a;
  other_conn.conns = 2;
  other_conn.sends[0].conn = 1;
  EXPECT_EQ(book.by_writes(other_conn), std::optional<std::size_t>(0));
  FuzzCase split = a;
  split.sends = {{0, "\xff"}, {0, ""}};
  EXPECT_EQ(book.by_writes(split), std::optional<std::size_t>(0));
  // Other bytes, another order across connections, or bytes that only look alike when joined.
  FuzzCase two_conns;
  two_conns.conns = 2;
  two_conns.sends = {{0, "a"}, {1, "b"}};
  book.file("crash:C", two_conns, 1);
  FuzzCase swapped = two_conns;
  swapped.sends = {{1, "a"}, {0, "b"}};
  EXPECT_EQ(book.by_writes(swapped), std::optional<std::size_t>(1));  // the same, renumbered
  FuzzCase one_conn = two_conns;
  one_conn.sends = {{0, "a"}, {0, "b"}};
  EXPECT_FALSE(book.by_writes(one_conn));
  FuzzCase lookalike;
  lookalike.sends = {{0, "a1,1:b"}};
  EXPECT_FALSE(book.by_writes(lookalike));
  FuzzCase other_byte = a;
  other_byte.sends[0].bytes = "\xfe";
  EXPECT_FALSE(book.by_writes(other_byte));
}

}  // namespace
}  // namespace relaycheck::harness::netfuzz

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "harness/netfuzz/replay.h"
#include "harness/target.h"

namespace relaycheck::harness::netfuzz {
namespace {

// `fuzz --profile` with an address profile: a finding's replay gets the profile's attributes and
// channels (moose: the server's key and the control channel), as `run --profile` does.
TEST(Replay, AnAddressProfileGivesItsAttributesAndChannels) {
  const auto dir = std::filesystem::temp_directory_path() / ("replay-profile-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "p.yaml")
      << "address: 127.0.0.1:5222\nattributes:\n  public-key-pem: a key\nchannels:\n  control: 127.0.0.1:5223\n";
  auto target = make_replay_target("profile:" + (dir / "p.yaml").string(), 1);
  auto transport = target->connect("moose");
  EXPECT_EQ(transport->attribute("public-key-pem"), std::optional<std::string>("a key"));
  EXPECT_EQ(target->has_channel("control"), std::optional<bool>(true));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace relaycheck::harness::netfuzz
