// Named spec timers (harness/timers.h): the expression form, the scale per protocol, the floors
// and the reference server's flags.
#include "harness/timers.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <variant>

#include "harness/loader.h"
#include "harness/profile.h"

namespace relaycheck::harness {
namespace {

using namespace std::chrono_literals;

TEST(Timers, PlainDurationsAreRoundTripAllowances) {
  const auto d = parse_duration_expression("1500ms", "saxion");
  EXPECT_EQ(d.spec, 1500ms);
  EXPECT_FALSE(d.scaled);
}

TEST(Timers, NamedExpressionsAreSpecTime) {
  EXPECT_EQ(parse_duration_expression("${cop.inactivity} + 20s", "cop").spec, 320s);
  EXPECT_EQ(parse_duration_expression("${cop.inactivity} - 10s", "cop").spec, 290s);
  EXPECT_EQ(parse_duration_expression("0.5 * ${saxion.ping_interval}", "saxion").spec, 5s);
  EXPECT_EQ(parse_duration_expression("${moose.probe_after} - ${moose.probe_timeout}", "moose").spec, 4s);
  EXPECT_EQ(parse_duration_expression("${scaled:900ms}", "moose").spec, 900ms);
  EXPECT_TRUE(parse_duration_expression("${scaled:900ms}", "moose").scaled);
  EXPECT_TRUE(parse_duration_expression("${cs594.heartbeat_interval}", "cs594").scaled);
}

TEST(Timers, BadExpressionsSayWhatIsWrong) {
  auto message = [](const char* text, const char* protocol) {
    try {
      parse_duration_expression(text, protocol);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("${cop.inactivty}", "cop").find("unknown timer '${cop.inactivty}' (cop timers: ${cop.inactivity})"),
            std::string::npos);
  EXPECT_NE(message("${saxion.ping_interval}", "cop").find("unknown timer"), std::string::npos);  // another protocol's
  EXPECT_NE(message("${cop.inactivity} - 400s", "cop").find("negative"), std::string::npos);
  EXPECT_NE(message("1s + 2s", "cop").find("arithmetic is for named timers"), std::string::npos);
  EXPECT_NE(message("${cop.inactivity", "cop").find("closing"), std::string::npos);
  EXPECT_NE(message("x * ${cop.inactivity}", "cop").find("not a number"), std::string::npos);
  EXPECT_NE(message("${cop.inactivity} +", "cop").find("unexpected ' +' after '${cop.inactivity}'"), std::string::npos);
  EXPECT_NE(message("${cop.inactivity} + 2 s", "cop").find("not a duration: '2 s'"), std::string::npos);
}

TEST(Timers, ScaleIsCappedByTheShortestTimerForTheReferenceServer) {
  const Clock scaled{Clock::Mode::scaled, 60};
  EXPECT_EQ(protocol_scale(scaled, "cop"), 60);     // 5 min / 500 ms allows 600
  EXPECT_EQ(protocol_scale(scaled, "saxion"), 6);   // pong timeout 3 s
  EXPECT_EQ(protocol_scale(scaled, "cs594"), 2);    // heartbeat 1 s
  EXPECT_EQ(protocol_scale(scaled, "psuirc"), 60);  // no timers: nothing to cap
  // Under faketime the whole process runs fast: one factor for every timer.
  EXPECT_EQ(protocol_scale({Clock::Mode::faketime, 10}, "cs594"), 10);
  EXPECT_EQ(protocol_scale({}, "cop"), 1);
}

TEST(Timers, DeadlinesKeepAFloorNotBeforeWaitsDoNot) {
  EXPECT_EQ(real_time(300s, 60, true), 5s);
  EXPECT_EQ(real_time(900ms, 20, true), 100ms);  // 45 ms would be a loopback round trip
  EXPECT_EQ(real_time(900ms, 20, false), 45ms);  // an advance or a quiet cap: exactly scaled
  EXPECT_EQ(real_time(50ms, 20, true), 50ms);    // never longer than the spec value itself
  EXPECT_EQ(real_time(1500ms, 1, true), 1500ms);
}

TEST(Timers, ReferenceServerFlags) {
  EXPECT_EQ(scaled_server_flags("cop", 60), (std::vector<std::string>{"--inactivity-timeout", "5000ms"}));
  EXPECT_EQ(scaled_server_flags("moose", 6), (std::vector<std::string>{"--probe-after", "1167ms", "--probe-timeout",
                                                                       "500ms", "--ring-timeout", "10000ms"}));
  EXPECT_TRUE(scaled_server_flags("cop", 1).empty());
  EXPECT_TRUE(scaled_server_flags("psuirc", 20).empty());
}

TEST(Timers, TheSuiteNamesItsTimers) {
  // Every timer wait of the suite is named: the cop inactivity scenarios scale.
  const Suite suite = load_suite(RELAYCHECK_SCENARIO_DIR, {"cop"});
  int scaled = 0;
  for (const auto& s : suite.scenarios)
    if (s.id.rfind("cop.inactivity.", 0) == 0)
      for (const auto& step : s.steps)
        scaled += std::visit(
            [](const auto& b) {
              if constexpr (requires { b.within; }) return b.within && b.within->scaled;
              if constexpr (requires { b.by; }) return b.by.scaled;
              return false;
            },
            step.body);
  EXPECT_GE(scaled, 8);
}

// A profile's clock: written to a scratch file and loaded; the error message, or "" when it loads.
std::string profile_clock(const std::string& command, const std::string& clock, Clock* loaded = nullptr) {
  const auto path = std::filesystem::temp_directory_path() / ("timers_test_" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << "name: t\nlaunch:\n  command: [" << command << ", \"--port\", \"{port}\"]\nclock: " << clock
                      << "\n";
  std::string error;
  try {
    const Profile p = load_profile(path.string(), RELAYCHECK_SCENARIO_DIR);
    if (loaded) *loaded = p.launch->clock;
  } catch (const std::exception& e) {
    error = e.what();
  }
  std::filesystem::remove(path);
  return error;
}

TEST(Timers, ProfileClock) {
  Clock c;
  EXPECT_EQ(profile_clock("\"python3\"", "{faketime: 10}", &c), "");
  EXPECT_EQ(c.mode, Clock::Mode::faketime);
  EXPECT_EQ(c.factor, 10);
  EXPECT_EQ(profile_clock("\"{bin}/relaycheck-server\"", "{scale: 20}", &c), "");
  EXPECT_EQ(c.mode, Clock::Mode::scaled);
  // scale: only the reference server takes its timers as flags.
  EXPECT_NE(profile_clock("\"python3\"", "{scale: 20}").find("for another program use {faketime: N}"),
            std::string::npos);
  EXPECT_NE(profile_clock("\"python3\"", "{faketime: 0.5}").find("clock.faketime must be a number from 1 to 10000"),
            std::string::npos);
  EXPECT_NE(profile_clock("\"python3\"", "{faketime: 10, scale: 2}").find("clock must be {scale: N} or {faketime: N}"),
            std::string::npos);
  EXPECT_NE(profile_clock("\"python3\"", "{speed: 10}").find("unknown key 'speed' in clock"), std::string::npos);
}

}  // namespace
}  // namespace relaycheck::harness
