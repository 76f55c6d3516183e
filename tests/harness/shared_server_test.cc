// Scenarios independent of server state (issue 22): ${uniq}, the fresh-server tag, $contains,
// and how run_scenarios shares one non-isolated server between scenarios.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <regex>
#include <set>
#include <thread>

#include "harness/loader.h"
#include "harness/match.h"
#include "harness/runner.h"
#include "harness/target_impl.h"
#include "harness/uniq.h"

namespace relaycheck::harness {
namespace {

using reports::Status;

TEST(UniqueName, FixedLengthLowerCaseAndDistinct) {
  std::set<std::string> full, short2;
  const std::regex shape("^[a-z0-9]{6}$");
  for (int i = 0; i < 20000; ++i) {
    const UniqueName u = next_unique_name();
    ASSERT_TRUE(std::regex_match(u.full, shape)) << u.full;
    EXPECT_EQ(u.short2, u.full.substr(4));
    EXPECT_TRUE(full.insert(u.full).second) << "repeated " << u.full << " after " << i;
    if (i < 1296) EXPECT_TRUE(short2.insert(u.short2).second) << "repeated " << u.short2 << " after " << i;
  }
}

// The suite's name shapes fit every protocol's name rules.
TEST(UniqueName, FitsEveryProtocolsNameRules) {
  const UniqueName u = next_unique_name();
  const std::regex saxion("^[A-Za-z0-9_]{3,14}$");
  for (const std::string name :
       {"alice" + u.full, "mallory" + u.full, "a" + u.short2, "Abcd" + u.full + "_123", "_9Z" + u.full})
    EXPECT_TRUE(std::regex_match(name, saxion)) << name;
  EXPECT_EQ(("a" + u.short2).size(), 3u);
  EXPECT_EQ(("Abcd" + u.full + "_123").size(), 14u);
  EXPECT_EQ(("abcdefghijabcdefghijabcdef" + u.full).size(), 32u);  // cop's and cs594's longest
  EXPECT_EQ(u.full.find_first_of(" ."), std::string::npos);        // cop: no spaces; cs594: no '.'
}

Suite suite_of(const std::string& yaml) {
  Suite suite;
  load_text(yaml, "test.yaml", suite);
  return suite;
}

// The name a run logged in with, read back from its transcript.
std::string sent_ident(const reports::ScenarioResult& r) {
  for (const auto& e : r.transcript)
    if (e.kind == reports::TranscriptEntry::Kind::sent && e.text.rfind("IDENT ", 0) == 0) return e.text.substr(6);
  return "";
}

const char* kLogin = R"(protocol: saxion
scenarios:
  - id: saxion.t.login
    spec: "t"
    requirement: t
    level: must
    steps:
      - connect: a
      - expect: {on: a, frame: {cmd: INIT}}
      - send: {on: a, frame: "IDENT alice${uniq}"}
      - expect: {on: a, frame: "OK IDENT alice${uniq}"}
)";

TEST(UniqueName, DiffersBetweenTwoRunsOfOneScenario) {
  const Suite suite = suite_of(kLogin);
  auto target = make_inprocess_target();
  const auto first = run_scenario(suite.scenarios.at(0), suite, *target, {});
  const auto second = run_scenario(suite.scenarios.at(0), suite, *target, {});
  ASSERT_EQ(first.status, Status::pass) << first.message;
  ASSERT_EQ(second.status, Status::pass) << second.message;
  const std::string a = sent_ident(first), b = sent_ident(second);
  EXPECT_TRUE(std::regex_match(a, std::regex("^alice[a-z0-9]{6}\\\\n$|^alice[a-z0-9]{6}$"))) << a;
  EXPECT_NE(a, b);
}

// An in-process target whose transports share nothing, but which says it is not isolated, and
// counts how many scenarios run at once.
class SharedLookingTarget final : public Target {
 public:
  std::string describe() const override { return "shared-looking"; }
  void check(const std::string&) override {}
  std::unique_ptr<Transport> connect(const std::string& protocol) override {
    const int now = ++live_;
    int seen = most_;
    while (now > seen && !most_.compare_exchange_weak(seen, now)) {
    }
    // Long enough that parallel workers overlap.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto t = inner_->connect(protocol);
    --live_;
    return t;
  }
  bool isolated() const override { return false; }
  int most() const { return most_; }

 private:
  std::unique_ptr<Target> inner_ = make_inprocess_target();
  std::atomic<int> live_{0}, most_{0};
};

TEST(FreshServer, SkippedOnlyAgainstASharedServer) {
  const Suite suite = suite_of(std::string(kLogin).replace(std::string(kLogin).find("    level: must\n"), 16,
                                                           "    level: must\n    tags: [fresh-server]\n"));
  SharedLookingTarget shared;
  const auto skipped = run_scenario(suite.scenarios.at(0), suite, shared, {});
  EXPECT_EQ(skipped.status, Status::skip);
  EXPECT_EQ(skipped.message, "needs a fresh server (tagged fresh-server)");
  auto inprocess = make_inprocess_target();
  EXPECT_EQ(run_scenario(suite.scenarios.at(0), suite, *inprocess, {}).status, Status::pass);
}

TEST(SharedServer, BroadcastingProtocolsRunOneAtATimeOthersInParallel) {
  const Suite suite = load_suite(RELAYCHECK_SCENARIO_DIR, {"saxion", "psuirc"});
  std::vector<const Scenario*> saxion, psuirc;
  for (const auto& s : suite.scenarios) {
    if (s.role != "client") continue;
    bool slow = false;
    for (const auto& t : s.tags) slow = slow || t == "slow" || t == "heartbeat" || t == "fresh-server";
    if (slow) continue;
    (s.protocol == "saxion" ? saxion : psuirc).push_back(&s);
  }
  ASSERT_GE(saxion.size(), 8u);
  ASSERT_GE(psuirc.size(), 8u);
  saxion.resize(8);
  psuirc.resize(8);
  std::vector<std::string> notices;
  RunOptions options;
  options.jobs = 4;
  options.on_notice = [&](const std::string& text) { notices.push_back(text); };
  {
    SharedLookingTarget target;
    run_scenarios(saxion, suite, target, options);
    EXPECT_EQ(target.most(), 1) << "saxion broadcasts to every logged-in user: one scenario at a time";
  }
  {
    SharedLookingTarget target;
    run_scenarios(psuirc, suite, target, options);
    EXPECT_GT(target.most(), 1) << "psuirc's frames are room-scoped: scenarios may run in parallel";
  }
  ASSERT_EQ(notices.size(), 2u);
  EXPECT_EQ(notices[0],
            "saxion: one scenario at a time against a shared server: its broadcasts reach every logged-in user");
  EXPECT_NE(notices[1].find("psuirc: up to 4 scenarios at a time"), std::string::npos) << notices[1];
}

TEST(Contains, ListHoldingTheseAmongOthers) {
  const json rooms = json::array({"x", "lobby1", "den1"});
  EXPECT_TRUE(match(json{{"$contains", {"den${u}", "lobby${u}"}}}, rooms, {{"u", "1"}}).ok);
  EXPECT_TRUE(match(json{{"$contains", json::array()}}, json::array(), {}).ok);
  EXPECT_FALSE(match(json{{"$contains", {"lobby1", "lobby1"}}}, rooms, {}).ok);  // each item once
  EXPECT_FALSE(match(json{{"$contains", {"nope"}}}, rooms, {}).ok);
  EXPECT_FALSE(match(json{{"$contains", {"x"}}}, json("x"), {}).ok);
  EXPECT_TRUE(match(json{{"$not", {{"$contains", {"gone"}}}}}, rooms, {}).ok);
  EXPECT_THROW(match(json{{"$contains", "x"}}, rooms, {}), PatternError);
}

}  // namespace
}  // namespace relaycheck::harness
