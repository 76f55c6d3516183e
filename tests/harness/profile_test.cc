// Target profiles: a launched implementation with a deliberate deviation gives xfail for the
// listed ids, fail for an unlisted deviation, xpass when the deviation is gone, and "target
// crashed" when the target dies mid-scenario.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "harness/loader.h"
#include "harness/profile.h"
#include "harness/runner.h"
#include "harness/target_impl.h"
#include "harness/transport/launcher.h"
#include "harness/verdict.h"

namespace relaycheck::harness {
namespace {

namespace fs = std::filesystem;
using reports::ScenarioResult;
using reports::Status;

class ProfileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("relaycheck-profile-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    suite_ = load_suite(RELAYCHECK_SCENARIO_DIR, {"saxion"});
  }
  void TearDown() override { fs::remove_all(dir_); }

  Profile write_profile(const std::string& yaml) {
    const fs::path p = dir_ / "p.yaml";
    std::ofstream(p) << yaml;
    return load_profile(p.string(), RELAYCHECK_SCENARIO_DIR);
  }

  std::vector<ScenarioResult> run(const Profile& profile, const std::vector<std::string>& ids) {
    std::vector<const Scenario*> list;
    for (const auto& id : ids)  // results come in the order of `ids`
      for (const auto& s : suite_.scenarios)
        if (s.id == id) list.push_back(&s);
    EXPECT_EQ(list.size(), ids.size());
    auto target = make_launch_target(*profile.launch, profile.name, {});
    target->check("saxion");
    RunOptions options;
    options.jobs = 4;
    auto results = run_scenarios(list, suite_, *target, options);
    apply_known_failures(results, profile);
    return results;
  }

  // On a port the server picks itself, ready when it says where it listens: a {port} picked free
  // beforehand can be taken by another test's server first (and then "accepts" for it).
  static std::string server(const std::string& extra) {
    return "launch:\n  command: [\"" RELAYCHECK_BIN_DIR
           "/relaycheck-server\", \"--protocol\", \"saxion\", "
           "\"--listen\", \"127.0.0.1:0\"" +
           extra + "]\n  ready: {stdout: \"listening on\"}\n";
  }

  fs::path dir_;
  Suite suite_;
};

TEST_F(ProfileTest, ListedDeviationIsXfailAndTheRestStillPasses) {
  const auto profile =
      write_profile(server(", \"--greeting\", \"Hi there\"") +
                    "known_failures:\n  - {id: saxion.connect.init-text, reason: greets differently}\n");
  const auto r = run(profile, {"saxion.connect.init-text", "saxion.connect.init-greeting", "saxion.ident.name-taken"});
  EXPECT_EQ(r[0].status, Status::xfail) << r[0].message;
  EXPECT_NE(r[0].message.find("greets differently"), std::string::npos) << r[0].message;
  EXPECT_EQ(r[1].status, Status::pass) << r[1].message;
  EXPECT_EQ(r[2].status, Status::pass) << r[2].message;
}

TEST_F(ProfileTest, UnlistedDeviationFails) {
  const auto profile = write_profile(server(", \"--greeting\", \"Hi there\"") +
                                     "known_failures:\n  - {id: 'saxion.ident.*', reason: unrelated}\n");
  const auto r = run(profile, {"saxion.connect.init-text"});
  EXPECT_EQ(r[0].status, Status::fail);
}

TEST_F(ProfileTest, ListedScenarioThatPassesIsXpass) {
  const auto profile =
      write_profile(server("") + "known_failures:\n  - {id: 'saxion.connect.init-*', reason: was wrong}\n");
  const auto r = run(profile, {"saxion.connect.init-text"});
  EXPECT_EQ(r[0].status, Status::xpass) << r[0].message;
  EXPECT_TRUE(reports::unexpected(r[0].status));
}

TEST_F(ProfileTest, TargetKilledMidScenarioIsReportedAsCrashed) {
  const auto profile = write_profile("launch:\n  command: [\"" RELAYCHECK_TEST_BIN_DIR
                                     "/faulty-saxion-server\", \"--fault\", \"crash\", \"--port\", \"{port}\"]\n");
  const auto r = run(profile, {"saxion.broadcast.three-clients", "saxion.ident.name-taken"});
  EXPECT_EQ(r[0].status, Status::fail);
  EXPECT_NE(r[0].message.find("target crashed"), std::string::npos) << r[0].message;
  EXPECT_NE(r[0].message.find("signal 6"), std::string::npos) << r[0].message;
  // The target is started afresh for the next scenario.
  EXPECT_EQ(r[1].status, Status::pass) << r[1].message;
}

TEST_F(ProfileTest, BadProfilesNameFileLineAndColumn) {
  EXPECT_THROW(write_profile("name: x\n"), ScenarioError);  // neither launch nor address
  try {
    write_profile("address: 127.0.0.1:1\nknown_failures:\n  - {id: x}\n");
    FAIL() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("p.yaml:3:5"), std::string::npos) << e.what();
  }
}

// `protocol:` names what the target speaks: one name or a list, each a known protocol.
TEST_F(ProfileTest, ProtocolIsOneNameOrAListOfKnownOnes) {
  EXPECT_EQ(write_profile("address: 127.0.0.1:9\nprotocol: cop\n").protocols, (std::vector<std::string>{"cop"}));
  EXPECT_EQ(write_profile("address: 127.0.0.1:9\nprotocol: [saxion, psuirc]\n").protocols,
            (std::vector<std::string>{"saxion", "psuirc"}));
  EXPECT_TRUE(write_profile("address: 127.0.0.1:9\n").protocols.empty());
  try {
    write_profile("address: 127.0.0.1:9\nprotocol: [saxion, irc]\n");
    FAIL() << "an unknown protocol was accepted";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("p.yaml:2:20"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("unknown protocol 'irc'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(write_profile("address: 127.0.0.1:9\nprotocol: []\n"), ScenarioError);
}

// Client testing: relaycheck plays the server against the small test client.
std::vector<ScenarioResult> run_client_scenarios(const std::string& client_flags) {
  const Suite suite = load_suite(RELAYCHECK_SCENARIO_DIR, {"saxion"});
  std::vector<const Scenario*> list;
  for (const auto& s : suite.scenarios)
    if (s.role == "server") list.push_back(&s);
  EXPECT_GE(list.size(), 5u);
  LaunchSpec spec;
  spec.command = {RELAYCHECK_TEST_BIN_DIR "/saxion-test-client", "--port", "{port}", "--name", "tester"};
  if (!client_flags.empty()) spec.command.push_back(client_flags);
  auto target = make_client_target(spec, "test client");
  EXPECT_TRUE(target->plays_server());
  RunOptions options;
  options.jobs = 4;
  options.vars = {{"say_input", "${said}"}, {"quit_input", "/quit"}};
  return run_scenarios(list, suite, *target, options);
}

TEST(ClientTesting, ConformingClientPassesEveryClientScenario) {
  for (const auto& r : run_client_scenarios(""))
    EXPECT_EQ(r.status, Status::pass) << r.id << ": " << r.message << "\n" << r.actual;
}

TEST(ClientTesting, ClientThatNeverAnswersPingFails) {
  const auto results = run_client_scenarios("--no-pong");
  int failed = 0;
  for (const auto& r : results) {
    if (r.id == "saxion.client.answers-ping" || r.id == "saxion.client.answers-every-ping") {
      EXPECT_EQ(r.status, Status::fail) << r.id;
      EXPECT_NE(r.expected.find("PONG"), std::string::npos) << r.expected;
      ++failed;
    } else {
      EXPECT_EQ(r.status, Status::pass) << r.id << ": " << r.message;
    }
  }
  EXPECT_EQ(failed, 2);
}

TEST_F(ProfileTest, WordingAndCapabilitiesAreRead) {
  const auto p = write_profile("address: 127.0.0.1:9\nwording: loose\ncapabilities: [user-list]\n");
  EXPECT_EQ(p.wording, Wording::loose);
  ASSERT_TRUE(p.capabilities.has_value());
  EXPECT_EQ(*p.capabilities, std::vector<std::string>{"user-list"});
  EXPECT_THROW(write_profile("address: 127.0.0.1:9\nwording: sloppy\n"), ScenarioError);
}

TEST_F(ProfileTest, UndeclaredOptionalFeatureIsSkippedAndADeclaredOneRuns) {
  std::vector<const Scenario*> list;
  for (const auto& s : suite_.scenarios)
    if (s.id == "saxion.users.two" || s.id == "saxion.encryption.pubkey-relay") list.push_back(&s);
  ASSERT_EQ(list.size(), 2u);
  auto target = make_target("inprocess", {});
  RunOptions options;
  options.capabilities = std::vector<std::string>{"user-list"};
  const auto r = run_scenarios(list, suite_, *target, options);
  for (const auto& one : r) {
    if (one.id == "saxion.users.two") {
      EXPECT_EQ(one.status, Status::pass) << one.message;
    } else {
      EXPECT_EQ(one.status, Status::skip);
      EXPECT_NE(one.message.find("encryption"), std::string::npos) << one.message;
    }
  }
}

TEST_F(ProfileTest, ReadinessFormsAndFixedPortsAreRead) {
  const std::string cmd = "launch:\n  command: [srv, --port, \"{port}\"]\n";
  const auto plain = write_profile(cmd);
  EXPECT_TRUE(plain.launch->ready_stdout.empty());
  EXPECT_FALSE(plain.launch->ready_connect);  // the default: the port listens, seen without connecting
  EXPECT_FALSE(plain.launch->fixed_port);
  EXPECT_FALSE(write_profile(cmd + "  ready: {port: true}\n").launch->ready_connect);
  EXPECT_TRUE(write_profile(cmd + "  ready: {connect: true}\n").launch->ready_connect);
  EXPECT_EQ(write_profile(cmd + "  ready: {stdout: started}\n").launch->ready_stdout, "started");
  EXPECT_EQ(write_profile(cmd + "  port: 4000\n").launch->fixed_port, std::uint16_t{4000});
  EXPECT_EQ(write_profile("port: 4001\nlaunch:\n  command: [srv]\n").launch->fixed_port, std::uint16_t{4001});
}

TEST_F(ProfileTest, BadReadinessAndPortSettingsNameWhereAndWhy) {
  auto error = [&](const std::string& yaml) -> std::string {
    try {
      write_profile(yaml);
    } catch (const ScenarioError& e) {
      return e.what();
    }
    return "no error";
  };
  const std::string cmd = "launch:\n  command: [srv, \"{port}\"]\n";
  EXPECT_NE(error(cmd + "  ready: {port: true, stdout: x}\n").find("p.yaml:3:10: launch.ready must be one of"),
            std::string::npos)
      << error(cmd + "  ready: {port: true, stdout: x}\n");
  EXPECT_NE(error(cmd + "  ready: {port: false}\n").find("launch.ready.port must be true"), std::string::npos);
  EXPECT_NE(error(cmd + "  ready: {socket: true}\n").find("unknown key 'socket' in launch.ready"), std::string::npos);
  EXPECT_NE(error(cmd + "  port: 70000\n").find("p.yaml:3:9: launch.port must be a port number"), std::string::npos)
      << error(cmd + "  port: 70000\n");
  EXPECT_NE(error("port: 4000\n" + cmd + "  port: 4001\n").find("give port: once"), std::string::npos);
  EXPECT_NE(error("port: 4000\naddress: 127.0.0.1:4000\n").find("an address already names its port"),
            std::string::npos);
  // Nothing says where it listens: no {port}, no port:, no stdout line to read it from.
  EXPECT_NE(error("launch:\n  command: [srv]\n").find("cannot tell where the server listens"), std::string::npos);
}

TEST_F(ProfileTest, TheReferenceProfileIsWatchedNotConnectedTo) {
  // scenarios/profiles/reference.yaml names no readiness: its port is watched through /proc.
  // (Runs of it go through relaycheck itself, whose {bin} holds relaycheck-server: launcher_cli.sh.)
  const Profile p = load_profile("reference", RELAYCHECK_SCENARIO_DIR);
  ASSERT_TRUE(p.launch);
  EXPECT_TRUE(p.launch->ready_stdout.empty());
  EXPECT_FALSE(p.launch->ready_connect);
}

TEST_F(ProfileTest, AddressAttributesAndChannelsAreRead) {
  std::ofstream(dir_ / "server.pub.pem") << "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
  const Profile p = write_profile(
      "address: 127.0.0.1:5222\n"
      "attributes:\n  public-key-pem: {file: server.pub.pem}\n  motto: as given\n"
      "channels:\n  control: 127.0.0.1:5223\n");
  EXPECT_EQ(p.attributes.at("public-key-pem"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
  EXPECT_EQ(p.attributes.at("motto"), "as given");
  ASSERT_EQ(p.channels.size(), 1u);
  EXPECT_EQ(proto::format_host_port(p.channels.at("control")), "127.0.0.1:5223");
  // Stated as none, or not stated: no channels either way.
  EXPECT_TRUE(write_profile("address: 127.0.0.1:5222\nchannels: {}\n").channels.empty());
  EXPECT_TRUE(write_profile("address: 127.0.0.1:5222\n").channels.empty());
}

TEST_F(ProfileTest, BadAttributesAndChannelsNameWhereAndWhy) {
  auto error = [&](const std::string& yaml) -> std::string {
    try {
      write_profile(yaml);
    } catch (const ScenarioError& e) {
      return e.what();
    }
    return "no error";
  };
  const std::string at = "address: 127.0.0.1:5222\n";
  const std::string missing = error(at + "attributes:\n  public-key-pem: {file: nowhere.pem}\n");
  EXPECT_NE(missing.find("p.yaml:3:26: attribute 'public-key-pem': cannot read"), std::string::npos) << missing;
  EXPECT_NE(missing.find("nowhere.pem"), std::string::npos) << missing;
  EXPECT_NE(error(at + "attributes:\n  k: {path: x}\n").find("unknown key 'path' in attribute 'k'"), std::string::npos);
  EXPECT_NE(error(at + "attributes: [a]\n").find("attributes must be a map"), std::string::npos);
  const std::string bad_channel = error(at + "channels:\n  control: nowhere\n");
  EXPECT_NE(bad_channel.find("p.yaml:3:12: channel 'control' must be HOST:PORT"), std::string::npos) << bad_channel;
  EXPECT_NE(error("launch:\n  command: [srv, \"{port}\"]\nchannels: {control: 127.0.0.1:1}\n")
                .find("a launched server announces"),
            std::string::npos);
}

// A moose reference server left running, reached as an address: the profile gives its key and,
// or not, its control channel.
class MooseAtAnAddress : public ProfileTest {
 protected:
  void SetUp() override {
    ProfileTest::SetUp();
    suite_ = load_suite(RELAYCHECK_SCENARIO_DIR, {"moose"});
    LaunchSpec spec;
    spec.command = {
        RELAYCHECK_BIN_DIR "/relaycheck-server", "--protocol", "moose", "--listen", "127.0.0.1:0", "--public-key-out",
        (dir_ / "server.pub.pem").string()};
    spec.ready_stdout = "listening on";
    spec.start_timeout = Millis{30000};  // it makes an RSA key first
    transport::LaunchRequest request;
    request.protocol = "moose";
    request.label = "the moose reference server";
    server_ = std::make_unique<transport::Launched>(spec, request);
  }
  void TearDown() override {
    server_.reset();
    ProfileTest::TearDown();
  }

  std::string profile_text(bool with_control) {
    std::string yaml = "address: " + proto::format_host_port(server_->address()) +
                       "\nattributes:\n  public-key-pem: {file: server.pub.pem}\n";
    if (with_control) yaml += "channels:\n  control: " + proto::format_host_port(*server_->channel("control")) + "\n";
    return yaml;
  }

  std::vector<ScenarioResult> run_at_address(const Profile& p, const std::vector<std::string>& ids) {
    std::vector<const Scenario*> list;
    for (const auto& id : ids)
      for (const auto& s : suite_.scenarios)
        if (s.id == id) list.push_back(&s);
    EXPECT_EQ(list.size(), ids.size());
    TargetOptions options;
    options.attributes = p.attributes;
    options.channels = p.channels;
    auto target = make_target(p.address, options);
    target->check("moose");
    return run_scenarios(list, suite_, *target, RunOptions{});
  }

  std::unique_ptr<transport::Launched> server_;
};

TEST_F(MooseAtAnAddress, WithoutAControlChannelItsScenariosAreSkippedWithTheReason) {
  // joins-pool opens the control channel through a fragment; rekey-gets-status opens none.
  const auto r =
      run_at_address(write_profile(profile_text(false)), {"moose.key.joins-pool", "moose.key.rekey-gets-status"});
  EXPECT_EQ(r[0].status, Status::skip) << r[0].message;
  EXPECT_EQ(r[0].message, "the target has no 'control' channel");
  EXPECT_EQ(r[1].status, Status::pass) << r[1].message;  // the key came from the profile's file
}

TEST_F(MooseAtAnAddress, WithTheControlChannelTheSameScenariosRun) {
  const auto r =
      run_at_address(write_profile(profile_text(true)), {"moose.key.joins-pool", "moose.key.rekey-gets-status"});
  EXPECT_EQ(r[0].status, Status::pass) << r[0].message;
  EXPECT_EQ(r[1].status, Status::pass) << r[1].message;
}

TEST_F(MooseAtAnAddress, WithoutTheKeyTheErrorSaysWhichAttributeIsMissing) {
  const auto r = run_at_address(write_profile("address: " + proto::format_host_port(server_->address()) + "\n"),
                                {"moose.key.rekey-gets-status"});
  EXPECT_EQ(r[0].status, Status::error);
  EXPECT_NE(r[0].message.find("public-key-pem"), std::string::npos) << r[0].message;
}

TEST(Baseline, WritesAKnownFailuresFileThatLoadsBack) {
  const std::string yaml = baseline_yaml({{"saxion.a.b", "expect at x: wrong\nmore"}, {"saxion.c.*", "oops"}});
  const fs::path dir = fs::temp_directory_path() / ("relaycheck-baseline-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "known.yaml") << yaml;
  std::ofstream(dir / "p.yaml") << "address: 127.0.0.1:9\nknown_failures_file: known.yaml\n";
  const Profile p = load_profile((dir / "p.yaml").string(), ".");
  fs::remove_all(dir);
  ASSERT_EQ(p.known_failures.size(), 2u);
  EXPECT_EQ(p.known_failures[0].pattern, "saxion.a.b");
  EXPECT_EQ(p.known_failures[0].reason, "baseline: expect at x: wrong");
  EXPECT_NE(p.known_failure("saxion.c.d"), nullptr);
}

}  // namespace
}  // namespace relaycheck::harness
