// The network fuzzer's pure parts: the minimiser, the mutator's determinism, the state map and
// the scenario writer (whose output must load as a scenario).
#include <gtest/gtest.h>

#include "harness/dialects/dialect.h"
#include "harness/loader.h"
#include "harness/netfuzz/minimiser.h"
#include "harness/netfuzz/mutator.h"
#include "harness/netfuzz/scenario_writer.h"
#include "harness/netfuzz/state_map.h"

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
  trace.segments = {{0, 0, 1, End::answered}, {1, 1, 2, End::unprobed}, {0, 2, 3, End::answered}, {1, 3, 4, End::closed}};
  trace.final_probes = {0};
  FindingText what{"saxion", "saxion.fuzz.crash.1", FindingKind::crash, "the target killed by signal 6\nline two", "a test"};
  const std::string yaml = scenario_yaml(what, c, trace, saxion.barrier());
  Suite suite;
  ASSERT_NO_THROW(load_text(yaml, "saxion/fuzz-crash-1.yaml", suite)) << yaml;
  ASSERT_EQ(suite.scenarios.size(), 1u);
  const Scenario& s = suite.scenarios[0];
  EXPECT_EQ(s.id, "saxion.fuzz.crash.1");
  int sends = 0, expects = 0;
  for (const auto& step : s.steps) {
    sends += step.kind == Step::Kind::send;
    expects += step.kind == Step::Kind::expect;
  }
  // 4 segments' writes (the 5th send came after c1 closed), a probe after each but the
  // unprobed one, and the final probe of c0 (c1 is closed).
  EXPECT_EQ(sends, 4 + 3 + 1);
  EXPECT_EQ(expects, 3 + 1);
  EXPECT_NE(yaml.find("# the target killed by signal 6"), std::string::npos);
}

}  // namespace
}  // namespace relaycheck::harness::netfuzz
