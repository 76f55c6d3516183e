// Barriers that change nothing and heartbeats answered (issue 22): the calibrated silence window,
// each dialect's probe and heartbeat answer, and the runner against reference servers behind a
// proxy that adds one twist each (tests/harness/servers/twist_proxy.py), on loopback.
#include <gtest/gtest.h>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>

#include "harness/barrier.h"
#include "harness/loader.h"
#include "harness/match.h"
#include "harness/profile.h"
#include "harness/protocols/dialect.h"
#include "harness/runner.h"
#include "harness/target.h"
#include "reports/writers.h"

namespace relaycheck::harness {
namespace {

using reports::ScenarioResult;
using reports::Status;

// ---------------------------------------------------------------------------------------------
// The silence window and the run's book.

TEST(SilenceWindow, IsFactorTimesLargestRoundTripWithinFloorAndCeiling) {
  SilenceWindow w({Millis{100}, Millis{1000}, Millis{300}, 8});
  EXPECT_EQ(w.window(), Millis{300});  // nothing measured yet
  w.observe(Millis{2});
  EXPECT_EQ(w.window(), Millis{100});  // 16 ms is below the floor
  w.observe(Millis{30});
  w.observe(Millis{5});  // the largest counts, not the last
  EXPECT_EQ(w.window(), Millis{240});
  w.observe(Millis{400});
  EXPECT_EQ(w.window(), Millis{1000});  // the ceiling
  EXPECT_NE(w.explain().find("8 x largest round trip 400ms"), std::string::npos) << w.explain();
}

TEST(BarrierBook, NamesEachSwitchOnceAndSummarisesTheWindows) {
  BarrierBook book;
  EXPECT_FALSE(book.probes_disabled("saxion"));
  EXPECT_TRUE(book.disable_probes("saxion", "the probe drew a close"));
  EXPECT_FALSE(book.disable_probes("saxion", "again"));
  EXPECT_TRUE(book.probes_disabled("saxion"));
  EXPECT_FALSE(book.probes_disabled("cop"));
  book.observe_round_trip("cop", Millis{20});
  EXPECT_EQ(book.silence_window("cop").first, Millis{160});
  book.silence_window("cop");
  const auto notes = book.notes();
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_NE(notes[0].find("cop: 2 silence windows of 160ms"), std::string::npos) << notes[0];
  EXPECT_NE(notes[1].find("saxion: barrier probes switched to silence"), std::string::npos) << notes[1];
  EXPECT_NE(notes[1].find("the probe drew a close"), std::string::npos) << notes[1];
  EXPECT_EQ(notes[1].find("again"), std::string::npos);
}

TEST(BarrierMode, ParsesProbeAndSilenceOnly) {
  EXPECT_EQ(barrier_mode_from("probe"), BarrierMode::probe);
  EXPECT_EQ(barrier_mode_from("silence"), BarrierMode::silence);
  EXPECT_FALSE(barrier_mode_from("Probe"));
  EXPECT_FALSE(barrier_mode_from(""));
}

// ---------------------------------------------------------------------------------------------
// Each dialect's probe: never one a conforming server may take as an error or a state change.

TEST(DialectBarrier, CopHasNoProbeInAnyState) {
  const Dialect& cop = *find_dialect("cop");
  EXPECT_FALSE(cop.barrier());
  auto t = cop.barrier_tracker();
  EXPECT_FALSE(t->probe());  // before login a LOGIN "" may be accepted
  t->on_sent(json{{"op", "LOGIN"}, {"nickname", "alice"}});
  t->on_received(json{{"op", "LOGIN_ACCEPTED"}, {"nickname", "alice"}});
  EXPECT_FALSE(t->probe());  // after it, a PRIVATE_MSG reaches whoever has the nickname
}

TEST(DialectBarrier, Cs594ProbesWithListRoomsOnlyOnceLoggedIn) {
  const Dialect& cs594 = *find_dialect("cs594");
  EXPECT_FALSE(cs594.barrier());  // no unknown op: a server may drop the client for it
  auto t = cs594.barrier_tracker();
  EXPECT_FALSE(t->probe());
  t->on_received(json{{"op", 11}});  // an error is no login
  EXPECT_FALSE(t->probe());
  t->on_received(json{{"op", 1}, {"username", "alice"}});
  ASSERT_TRUE(t->probe());
  EXPECT_EQ(json::parse(t->probe()->bytes), (json{{"op", 2}}));
  Vars vars;
  EXPECT_TRUE(match(t->probe()->reply_pattern, json{{"op", 2}, {"rooms", json::array()}}, vars).ok);
  EXPECT_FALSE(match(t->probe()->reply_pattern, json{{"op", 11}}, vars).ok);
}

TEST(DialectBarrier, SaxionProbeAcceptsTheSpecsAnswersOnly) {
  const auto probe = find_dialect("saxion")->barrier();
  ASSERT_TRUE(probe);
  Vars vars;
  auto answers = [&](const char* cmd) {
    return match(probe->reply_pattern, json{{"cmd", cmd}, {"args", "x"}, {"line", "x"}}, vars).ok;
  };
  EXPECT_TRUE(answers("FAIL00"));
  EXPECT_TRUE(answers("FAIL03"));  // a server that checks the login first
  EXPECT_FALSE(answers("OK"));
  EXPECT_FALSE(answers("DSCN"));
}

TEST(DialectHeartbeat, EachProtocolAnswersAsAConformingClient) {
  const Dialect& saxion = *find_dialect("saxion");
  auto ping = saxion.heartbeat_answer(json{{"cmd", "PING"}, {"args", ""}, {"line", "PING"}});
  ASSERT_TRUE(ping);
  EXPECT_EQ(saxion.encode(ping->frame), "PONG\n");
  EXPECT_FALSE(saxion.heartbeat_answer(json{{"cmd", "PONG"}, {"args", ""}, {"line", "PONG"}}));

  const Dialect& cs594 = *find_dialect("cs594");
  auto beat = cs594.heartbeat_answer(json{{"op", 8}});
  ASSERT_TRUE(beat);
  EXPECT_EQ(json::parse(cs594.encode(beat->frame)), (json{{"op", 8}}));
  EXPECT_FALSE(cs594.heartbeat_answer(json{{"op", 7}, {"user", "x"}}));

  const Dialect& moose = *find_dialect("moose");
  auto probe = moose.heartbeat_answer(json{{"type", "probe"}, {"UUID", "alice-7"}});
  ASSERT_TRUE(probe);
  EXPECT_EQ(probe->frame, (json{{"type", "probeACK"}, {"UUID", "alice-7"}}));
  EXPECT_FALSE(moose.heartbeat_answer(json{{"line", "probe"}}));  // a control line is no probe

  EXPECT_FALSE(find_dialect("psuirc")->heartbeat_answer(json{{"line", "PING"}}));
  EXPECT_FALSE(find_dialect("cop")->heartbeat_answer(json{{"op", "PUBLIC_MSG"}}));
}

// ---------------------------------------------------------------------------------------------
// Over the network: the reference server behind a twist proxy, one per test, left running.

// The proxy as a child in its own process group, ended (with the reference server under it)
// when this goes.
class TwistServer {
 public:
  TwistServer(const std::string& protocol, const std::string& twist) {
    int out[2];
    if (::pipe(out) != 0) throw TargetError("pipe failed");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setpgid(0, 0);
      ::dup2(out[1], STDOUT_FILENO);
      ::close(out[0]);
      ::close(out[1]);
      const std::string script = RELAYCHECK_TEST_SOURCE_DIR "/servers/twist_proxy.py";
      const std::string bin = RELAYCHECK_BIN_DIR "/relaycheck-server";
      ::execlp("python3", "python3", script.c_str(), "--server-bin", bin.c_str(), "--protocol", protocol.c_str(),
               "--twist", twist.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::setpgid(pid_, pid_);
    ::close(out[1]);
    std::string line;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < until) {
      pollfd p{out[0], POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char c;
      if (::read(out[0], &c, 1) != 1) break;
      line += c;
    }
    ::close(out[0]);
    const auto colon = line.rfind(':');
    if (line.rfind("listening on ", 0) != 0 || colon == std::string::npos) {
      stop();
      throw TargetError("twist_proxy.py did not start: '" + line + "'");
    }
    address_ = "127.0.0.1:" + line.substr(colon + 1, line.find('\n') - colon - 1);
  }
  ~TwistServer() { stop(); }
  const std::string& address() const { return address_; }

 private:
  // The whole group at once (the proxy and the reference server under it): nothing to keep.
  void stop() {
    if (pid_ <= 0) return;
    ::kill(-pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  pid_t pid_ = -1;
  std::string address_;
};

bool tagged(const Scenario& s, const char* tag) { return std::find(s.tags.begin(), s.tags.end(), tag) != s.tags.end(); }

bool transcript_has(const ScenarioResult& r, const std::string& text) {
  for (const auto& e : r.transcript)
    if (e.text.find(text) != std::string::npos) return true;
  return false;
}

std::string why(const ScenarioResult& r) {
  std::ostringstream o;
  o << r.id << ": " << r.message << "\n";
  for (const auto& e : r.transcript) o << "  " << reports::format_transcript_entry(e) << "\n";
  return o.str();
}

// The client scenarios of one protocol, leaving out those tagged with any of `without`, or in files
// starting with any of `not_in`.
std::vector<const Scenario*> pick(const Suite& suite, std::vector<const char*> without,
                                  std::vector<std::string> not_in = {}) {
  std::vector<const Scenario*> list;
  for (const auto& s : suite.scenarios) {
    if (s.role != "client") continue;
    bool keep = true;
    for (const char* t : without) keep = keep && !tagged(s, t);
    for (const auto& f : not_in) keep = keep && s.at.file.rfind(f, 0) != 0;
    if (keep) list.push_back(&s);
  }
  return list;
}

// A saxion server that PINGs right after INIT and every 200 ms, before login too: every
// scenario that does not test heartbeats passes; the transcript shows the answers.
TEST(TwistedServers, SaxionPingsBeforeLoginAndTheSuitePasses) {
  const Suite suite = load_suite(RELAYCHECK_SCENARIO_DIR, {"saxion"});
  const auto list = pick(suite, {"heartbeat", "slow"});
  ASSERT_GE(list.size(), 40u);
  TwistServer server("saxion", "saxion-ping-early");  // one, left running: the suite's shared-server mode
  auto target = make_target(server.address(), {});
  RunOptions options;
  const auto results = run_scenarios(list, suite, *target, options);
  int answered = 0, passed = 0;
  for (const auto& r : results) {
    EXPECT_TRUE(r.status == Status::pass || r.status == Status::skip) << why(r);  // skip: fresh-server ones
    answered += transcript_has(r, "PING (heartbeat, answered PONG)");
    passed += r.status == Status::pass;
  }
  EXPECT_GE(passed, 40) << "of " << results.size();
  EXPECT_GE(answered, passed / 2);
}

// A cs594 server that closes the connection on an unknown op: the barrier never sends one
// (LIST_ROOMS once logged in, silence before), so the scenarios that use quiet pass.
TEST(TwistedServers, Cs594ClosingOnUnknownOpPassesQuietScenarios) {
  const Suite suite = load_suite(RELAYCHECK_SCENARIO_DIR, {"cs594"});
  // errors.yaml sends unknown ops itself and expects ERR_ILLEGAL_OP, the project's decision.
  const auto list = pick(suite, {"heartbeat", "slow"}, {"cs594/errors"});
  ASSERT_GE(list.size(), 30u);
  TwistServer server("cs594", "cs594-unknown-op-close");  // one, left running
  auto target = make_target(server.address(), {});
  RunOptions options;
  const auto results = run_scenarios(list, suite, *target, options);
  int probed = 0, passed = 0;
  for (const auto& r : results) {
    passed += r.status == Status::pass;
    EXPECT_TRUE(r.status == Status::pass || r.status == Status::skip) << why(r);
    EXPECT_TRUE(r.notes.empty()) << r.id << ": " << r.notes.front();
    probed += transcript_has(r, "(barrier probe)");
  }
  EXPECT_GE(passed, 30) << "of " << results.size();
  EXPECT_GT(probed, 0);  // LIST_ROOMS was used as the probe, not only silence
  for (const auto& n : options.barriers->notes()) EXPECT_EQ(n.find("switched"), std::string::npos) << n;
}

// A cop server that accepts the empty nickname: quiet is a silence window, so a scenario with
// quiet takes well under any timeout (the old LOGIN "" probe waited out 2 s at every quiet).
TEST(TwistedServers, CopAcceptingEmptyNicknameQuietIsFast) {
  const Suite suite = load_suite(RELAYCHECK_SCENARIO_DIR, {"cop"});
  std::vector<const Scenario*> list;
  for (const char* id : {"cop.login.accepted", "cop.public.broadcast", "cop.private-message.delivered"})
    for (const auto& s : suite.scenarios)
      if (s.id == id) list.push_back(&s);
  if (list.empty()) {  // the ids moved: any three cop scenarios of public.yaml
    for (const auto& s : suite.scenarios)
      if (s.at.file == "cop/public.yaml" && list.size() < 3) list.push_back(&s);
  }
  ASSERT_FALSE(list.empty());
  TwistServer server("cop", "cop-empty-nickname");  // one for all: times without start-ups
  auto target = make_target(server.address(), {});
  RunOptions options;
  const auto start = std::chrono::steady_clock::now();
  const auto results = run_scenarios(list, suite, *target, options);
  const double total_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  for (const auto& r : results) {
    EXPECT_EQ(r.status, Status::pass) << why(r);
    EXPECT_LT(r.duration_ms, 2000.0) << r.id;
    EXPECT_FALSE(transcript_has(r, "(barrier probe)")) << why(r);
  }
  EXPECT_LT(total_ms, 2000.0 * static_cast<double>(results.size()));
}

std::vector<const Scenario*> saxion_quiet_scenarios(const Suite& suite) {
  std::vector<const Scenario*> list;
  for (const char* id : {"saxion.ident.joined-to-others", "saxion.ident.name-too-short", "saxion.ident.name-taken"})
    for (const auto& s : suite.scenarios)
      if (s.id == id) list.push_back(&s);
  return list;
}

int count_containing(const std::vector<std::string>& lines, const std::string& text) {
  int n = 0;
  for (const auto& l : lines) n += l.find(text) != std::string::npos;
  return n;
}

// A probe answered by a close: the scenario is run again with silence and passes, its result
// says so; the switch is named once in the run's notes, and later scenarios send no probe.
TEST(ProbeSwitch, AProbeThatDrawsACloseSwitchesTheRunToSilenceOnce) {
  const Suite suite = load_suite(RELAYCHECK_SCENARIO_DIR, {"saxion"});
  const auto list = saxion_quiet_scenarios(suite);
  ASSERT_EQ(list.size(), 3u);
  TwistServer server("saxion", "saxion-unknown-close");
  auto target = make_target(server.address(), {});
  RunOptions options;  // jobs 1: in order
  const auto results = run_scenarios(list, suite, *target, options);
  ASSERT_EQ(results.size(), 3u);
  for (const auto& r : results) EXPECT_EQ(r.status, Status::pass) << why(r);
  ASSERT_EQ(results[0].notes.size(), 1u);
  EXPECT_NE(results[0].notes[0].find("drew the connection closed"), std::string::npos) << results[0].notes[0];
  EXPECT_NE(results[0].notes[0].find("harness problem, not the server's"), std::string::npos) << results[0].notes[0];
  for (std::size_t i = 1; i < results.size(); ++i) {
    EXPECT_TRUE(results[i].notes.empty()) << results[i].id;
    EXPECT_FALSE(transcript_has(results[i], "(barrier probe)")) << why(results[i]);
    EXPECT_TRUE(transcript_has(results[i], "probes switched off for this run")) << why(results[i]);
  }
  const auto notes = options.barriers->notes();
  EXPECT_EQ(count_containing(notes, "switched to silence"), 1) << notes.size();

  // The report shows both: the run-level note once, the scenario's note with it.
  reports::RunResult run;
  run.results = results;
  run.notes = notes;
  std::ostringstream text, json_out;
  reports::write_text(run, text, false);
  reports::write_json(run, json_out);
  EXPECT_NE(text.str().find("note: saxion: barrier probes switched to silence"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("      note: the barrier probe"), std::string::npos) << text.str();
  const json doc = json::parse(json_out.str());
  EXPECT_EQ(count_containing(doc.at("notes").get<std::vector<std::string>>(), "switched to silence"), 1);
  EXPECT_EQ(doc.at("results").at(0).at("notes").size(), 1u);
}

// A probe that gets no reply at all: that quiet holds (nothing came), the run switches once, so
// only the first probe costs its wait and the rest of the run is fast.
TEST(ProbeSwitch, AnUnansweredProbeCostsOneWaitPerRun) {
  const Suite suite = load_suite(RELAYCHECK_SCENARIO_DIR, {"saxion"});
  const auto list = saxion_quiet_scenarios(suite);
  ASSERT_EQ(list.size(), 3u);
  TwistServer server("saxion", "saxion-unknown-silent");  // one for all: times without start-ups
  auto target = make_target(server.address(), {});
  RunOptions options;
  options.default_within = Millis{1000};
  const auto start = std::chrono::steady_clock::now();
  const auto results = run_scenarios(list, suite, *target, options);
  const double total_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  for (const auto& r : results) EXPECT_EQ(r.status, Status::pass) << why(r);
  EXPECT_TRUE(transcript_has(results[0], "got no reply within 1000ms")) << why(results[0]);
  EXPECT_EQ(count_containing(options.barriers->notes(), "switched to silence"), 1);
  // One 1 s wait, then silence windows (100 ms each here, seven more quiets): far from the
  // eight 1 s waits that probing on would cost.
  EXPECT_LT(total_ms, 3000.0) << total_ms;
  for (std::size_t i = 1; i < results.size(); ++i)
    EXPECT_FALSE(transcript_has(results[i], "(barrier probe)")) << why(results[i]);
}

// barrier: silence sends no probe at all, and shows each window in the transcript.
TEST(ProbeSwitch, SilenceModeSendsNoProbe) {
  const Suite suite = load_suite(RELAYCHECK_SCENARIO_DIR, {"saxion"});
  const auto list = saxion_quiet_scenarios(suite);
  TwistServer server("saxion", "saxion-unknown-close");
  auto target = make_target(server.address(), {});
  RunOptions options;
  options.barrier = BarrierMode::silence;
  const auto results = run_scenarios(list, suite, *target, options);
  for (const auto& r : results) {
    EXPECT_EQ(r.status, Status::pass) << why(r);
    EXPECT_FALSE(transcript_has(r, "(barrier probe)")) << why(r);
    EXPECT_TRUE(transcript_has(r, "quiet: silence window")) << why(r);
    EXPECT_TRUE(r.notes.empty());
  }
  EXPECT_EQ(count_containing(options.barriers->notes(), "switched"), 0);
  EXPECT_EQ(count_containing(options.barriers->notes(), "saxion: "), 1);  // the windows' summary
}

// ---------------------------------------------------------------------------------------------
// The profile's `barrier:` key.

TEST(ProfileBarrier, ReadsProbeOrSilenceAndRejectsAnythingElse) {
  const auto dir = std::filesystem::temp_directory_path() / ("relaycheck-barrier-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  };
  const Profile p = load_profile(write("s.yaml", "address: 127.0.0.1:1\nbarrier: silence\n"), dir.string());
  EXPECT_EQ(p.barrier, BarrierMode::silence);
  EXPECT_FALSE(load_profile(write("n.yaml", "address: 127.0.0.1:1\n"), dir.string()).barrier);
  try {
    load_profile(write("bad.yaml", "address: 127.0.0.1:1\nbarrier: sometimes\n"), dir.string());
    ADD_FAILURE() << "a bad barrier value loaded";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.yaml:2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("barrier must be probe or silence"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace relaycheck::harness
