// The one launcher (harness/transport/): readiness seen through /proc without connecting, shell-
// like command splitting, crash evidence with the first and last stderr lines, fixed ports, and
// the registry that ends every launched process group on an interrupt.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness/loader.h"
#include "harness/profile.h"
#include "harness/runner.h"
#include "harness/target_impl.h"
#include "harness/transport/command_line.h"
#include "harness/transport/fixed_port.h"
#include "harness/transport/launcher.h"
#include "harness/transport/listening.h"
#include "harness/transport/live_children.h"

namespace relaycheck::harness {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using reports::Status;

// A socket of this process on an ephemeral loopback port: listening, or only bound.
struct LocalSocket {
  int fd = -1;
  std::uint16_t port = 0;
  explicit LocalSocket(bool listen) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    if (listen) {
      EXPECT_EQ(::listen(fd, 4), 0);
    }
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
  }
  ~LocalSocket() { close(); }
  void close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

// The processes of group `pgid` that still run (a zombie has ended; some inits reap them late).
int running_members(pid_t pgid) {
  int n = 0;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(e.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 1));
    std::string state;
    long ppid = 0, pgrp = 0;
    if (rest >> state >> ppid >> pgrp && pgrp == pgid && state != "Z") ++n;
  }
  return n;
}

TEST(ProcListening, ParsesListenersOfBothFamilies) {
  const std::string v4 =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
      "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0 100 0 0 10 "
      "0\n"
      "   1: 0100007F:A000 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 4343 1 0 100 0 0 10 "
      "0\n";
  const auto l4 = transport::parse_proc_net_tcp(v4, false);
  ASSERT_EQ(l4.size(), 1u);  // the established connection (st 01) is not a listener
  EXPECT_EQ(l4[0].port, 8080);
  EXPECT_EQ(l4[0].address, "127.0.0.1");
  EXPECT_EQ(l4[0].inode, 4242u);
  EXPECT_EQ(transport::connect_address(l4[0]), "127.0.0.1");
  const std::string v6 =
      "  sl  local_address                         remote_address                        st tx_queue rx_queue tr "
      "tm->when retrnsmt   uid  timeout inode\n"
      "   0: 00000000000000000000000000000000:0FA0 00000000000000000000000000000000:0000 0A 00000000:00000000 "
      "00:00000000 00000000  1000        0 77 1 0 100 0 0 10 0\n"
      "   1: 00000000000000000000000001000000:0FA1 00000000000000000000000000000000:0000 0A 00000000:00000000 "
      "00:00000000 00000000  1000        0 78 1 0 100 0 0 10 0\n";
  const auto l6 = transport::parse_proc_net_tcp(v6, true);
  ASSERT_EQ(l6.size(), 2u);
  EXPECT_EQ(l6[0].port, 4000);
  EXPECT_EQ(l6[0].address, "::");
  EXPECT_EQ(l6[1].address, "::1");
}

TEST(ProcListening, SeesAListeningPortOfThisProcessAndNotAClosedOrUnlistenedOne) {
  LocalSocket listening(true);
  const auto found = transport::listeners_on(listening.port);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].address, "127.0.0.1");
  EXPECT_TRUE(transport::group_owns_any(::getpgrp(), found));
  LocalSocket bound_only(false);  // bound, never listening: not ready
  EXPECT_TRUE(transport::listeners_on(bound_only.port).empty());
  listening.close();
  EXPECT_TRUE(transport::listeners_on(listening.port).empty());
}

TEST(CommandLine, SplitsLikeAShell) {
  using V = std::vector<std::string>;
  EXPECT_EQ(transport::split_command("  server --port {port}  "), (V{"server", "--port", "{port}"}));
  EXPECT_EQ(transport::split_command("java -jar 'my server.jar' --name \"a b\""),
            (V{"java", "-jar", "my server.jar", "--name", "a b"}));
  EXPECT_EQ(transport::split_command(R"(say "x \"y\" \\ \n" it\ is '')"), (V{"say", "x \"y\" \\ \\n", "it is", ""}));
  EXPECT_EQ(transport::split_command("a'b'\"c\""), (V{"abc"}));
  try {
    transport::split_command("run 'oops");
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("column 5"), std::string::npos) << e.what();
  }
}

TEST(ChildProcessTest, StderrExcerptKeepsTheFirstAndLastLines) {
  ChildProcess child({"sh", "-c", "i=1; while [ $i -le 100 ]; do echo \"line $i\" >&2; i=$((i+1)); done"});
  while (!child.exit_status()) std::this_thread::sleep_for(5ms);
  const std::string e = child.stderr_excerpt(20, 20);
  EXPECT_EQ(e.rfind("line 1\n", 0), 0u) << e;
  EXPECT_NE(e.find("line 20\n... 60 lines omitted ...\nline 81\n"), std::string::npos) << e;
  EXPECT_NE(e.find("line 100\n"), std::string::npos) << e;
  EXPECT_EQ(e.find("line 21\n"), std::string::npos) << e;
  ChildProcess few({"sh", "-c", "echo one >&2; echo two >&2"});
  while (!few.exit_status()) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(few.stderr_excerpt(20, 20), "one\ntwo\n");
}

TEST(LiveChildren, ALaunchedGroupIsRecordedUntilItEnds) {
  const int before = transport::live_children();
  {
    ChildProcess child({"sleep", "30"});
    EXPECT_EQ(transport::live_children(), before + 1);
  }
  EXPECT_EQ(transport::live_children(), before);
}

// In a forked copy of the test (end_all_children refuses new children for the rest of the process).
TEST(LiveChildrenDeathTest, EndAllEndsEveryGroupAndItsChildrenAndRefusesNewOnes) {
  EXPECT_EXIT(
      {
        ChildProcess a({"sh", "-c", "sleep 30 & sleep 30; wait"});
        ChildProcess b({"sh", "-c", "trap '' TERM; sleep 30"});  // ignores SIGTERM: SIGKILL after the grace
        std::this_thread::sleep_for(200ms);
        const bool were_running = running_members(a.pid()) >= 2 && running_members(b.pid()) >= 1;
        transport::end_all_children(300);
        bool gone = false;
        for (int i = 0; i < 100 && !gone; ++i, std::this_thread::sleep_for(10ms))
          gone = running_members(a.pid()) == 0 && running_members(b.pid()) == 0;
        bool refused = false;
        try {
          ChildProcess c({"sleep", "30"});
        } catch (const std::runtime_error& e) {
          refused = std::string(e.what()).find("interrupted") != std::string::npos;
        }
        if (!were_running) std::fprintf(stderr, "the groups were not running\n");
        if (!gone)
          std::fprintf(stderr, "still running: %d in a's group, %d in b's\n", running_members(a.pid()),
                       running_members(b.pid()));
        if (!refused) std::fprintf(stderr, "a new child was not refused\n");
        std::exit(were_running && gone && refused ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(FixedPort, OneHolderAtATimeAcrossThreads) {
  std::atomic<int> inside{0}, most{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      transport::FixedPortLock lock(4555);
      most = std::max(most.load(), ++inside);
      std::this_thread::sleep_for(20ms);
      --inside;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(most.load(), 1);
}

class LauncherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("relaycheck-launcher-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string server(const std::string& flags) {
    return "[\"python3\", \"" RELAYCHECK_TEST_SERVERS_DIR "/counting_server.py\", \"--port\", \"{port}\"" + flags + "]";
  }
  Profile profile(const std::string& yaml) {
    std::ofstream(dir_ / "p.yaml") << yaml;
    return load_profile((dir_ / "p.yaml").string(), RELAYCHECK_SCENARIO_DIR);
  }
  // The launcher's own scenarios (servers/scenarios/saxion/launcher.yaml), apart from the suite.
  static Suite suite() { return load_suite(RELAYCHECK_TEST_SERVERS_DIR "/scenarios", {"saxion"}); }

  std::vector<reports::ScenarioResult> run(const Profile& p, const std::string& id) {
    const Suite suite = LauncherTest::suite();
    std::vector<const Scenario*> list;
    for (const auto& s : suite.scenarios)
      if (s.id == id) list.push_back(&s);
    EXPECT_EQ(list.size(), 1u);
    auto target = make_launch_target(*p.launch, p.name, {});
    target->check("saxion");
    return run_scenarios(list, suite, *target, {});
  }
  std::string count() const {
    std::ifstream in(dir_ / "count");
    std::string n;
    in >> n;
    return n;
  }

  fs::path dir_;
};

TEST_F(LauncherTest, ReadinessByDefaultOpensNoConnection) {
  // The server listens only after 300 ms: readiness must wait, and must not connect.
  const auto p = profile(
      "launch:\n  command: " +
      server(", \"--listen-after-ms\", \"300\", \"--count-file\", \"" + (dir_ / "count").string() + "\"") + "\n");
  const auto r = run(p, "saxion.launcher.one-connection");
  EXPECT_EQ(r[0].status, Status::pass) << r[0].message;
  EXPECT_EQ(count(), "1");  // the scenario's one connection, and nothing else
}

TEST_F(LauncherTest, ReadinessByConnectingIsSeenByTheServer) {
  // The explicit choice: the server counts the readiness connection too (the test can tell).
  const auto p = profile("launch:\n  command: " + server(", \"--count-file\", \"" + (dir_ / "count").string() + "\"") +
                         "\n  ready: {connect: true}\n");
  const auto r = run(p, "saxion.launcher.one-connection");
  EXPECT_EQ(r[0].status, Status::pass) << r[0].message;
  EXPECT_EQ(count(), "2");
}

TEST_F(LauncherTest, CrashEvidenceKeepsTheFirstAndTheLastStderrLines) {
  const auto p = profile("launch:\n  command: " + server(", \"--crash-on-connect\", \"100\"") + "\n");
  const auto r = run(p, "saxion.launcher.one-connection");
  EXPECT_EQ(r[0].status, Status::fail);
  const std::string& m = r[0].message;
  EXPECT_NE(m.find("target crashed"), std::string::npos) << m;
  EXPECT_NE(m.find("signal 6"), std::string::npos) << m;
  EXPECT_NE(m.find("stderr line 1 of 100\n"), std::string::npos) << m;
  EXPECT_NE(m.find("... 60 lines omitted ..."), std::string::npos) << m;
  EXPECT_NE(m.find("stderr line 100 of 100"), std::string::npos) << m;
}

TEST_F(LauncherTest, AFixedPortHeldByAnotherProgramIsAClearError) {
  LocalSocket squatter(true);
  const auto p = profile("port: " + std::to_string(squatter.port) + "\nlaunch:\n  command: " + server("") + "\n");
  ASSERT_TRUE(p.launch->fixed_port);
  auto target = make_launch_target(*p.launch, "profile p", {});
  try {
    target->connect("saxion");
    FAIL() << "no error";
  } catch (const TargetError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("port " + std::to_string(squatter.port)), std::string::npos) << m;
    EXPECT_NE(m.find("already listening"), std::string::npos) << m;
  }
}

TEST_F(LauncherTest, AFixedPortIsTheServersPortAndRunsOneAtATime) {
  // Four scenarios at once on one hard-coded port: the launcher runs them one after another.
  std::uint16_t port;
  {
    LocalSocket probe(true);
    port = probe.port;
  }
  const auto p = profile("launch:\n  command: " + server("") + "\n  port: " + std::to_string(port) + "\n");
  const Suite suite = LauncherTest::suite();
  std::vector<const Scenario*> list;
  for (const auto& s : suite.scenarios) list.push_back(&s);
  ASSERT_EQ(list.size(), 3u);
  auto target = make_launch_target(*p.launch, p.name, {});
  RunOptions options;
  options.jobs = 4;
  for (const auto& r : run_scenarios(list, suite, *target, options))
    EXPECT_EQ(r.status, Status::pass) << r.id << ": " << r.message;
}

TEST_F(LauncherTest, AServerThatNeverListensIsNotReadyAndSaysWhy) {
  const auto p = profile(
      "launch:\n  command: [\"sh\", \"-c\", \"echo about to fail >&2; sleep 5\", \"{port}\"]\n"
      "  start_timeout: 300ms\n");
  auto target = make_launch_target(*p.launch, "profile p", {});
  try {
    target->connect("saxion");
    FAIL() << "no error";
  } catch (const TargetError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("never listened within 300 ms"), std::string::npos) << m;
    EXPECT_NE(m.find("about to fail"), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace relaycheck::harness
