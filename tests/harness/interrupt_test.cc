// SIGINT/SIGTERM while a command works: the partial report is written from the command's scope
// even when the signal's effects (its target ended) make the work throw out of that scope.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "harness/transport/interrupt.h"
#include "harness/transport/live_children.h"

namespace relaycheck::harness::transport {
namespace {

// The child (a death test) signals itself, then leaves the scope by an exception, as `fuzz` did
// when the ended target made it throw: it must still exit 143 with the report written.
void signal_then_throw(const std::string& path) {
  watch_interrupts();
  // A launched child that ignores SIGTERM: ending it takes the signal thread its grace period,
  // time enough for this thread to see the signal, throw and leave the scope first.
  spawn_registered([] {
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::setpgid(0, 0);
      ::signal(SIGTERM, SIG_IGN);
      for (int fd = 0; fd < 1024; ++fd) ::close(fd);  // gtest's pipes see their end with the test's child
      ::sleep(5);                                     // gone by itself should nothing end it
      ::_exit(0);
    }
    ::setpgid(pid, pid);
    return pid;
  });
  int finished = 0;
  try {
    const InterruptScope scope(
        [&](int sig) { std::ofstream(path) << "partial after signal " << sig << ", finished " << finished; });
    finished = 3;
    ::kill(::getpid(), SIGTERM);
    while (!interrupted()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    throw std::runtime_error("the target the signal ended is gone");
  } catch (const std::exception&) {
  }
  std::exit(0);  // reached only if leaving the scope did not wait for the signal thread
}

TEST(InterruptDeathTest, LeavingTheScopeAfterASignalStillWritesThePartialReport) {
  const auto path =
      std::filesystem::temp_directory_path() / ("relaycheck-interrupt-" + std::to_string(::getpid()) + ".txt");
  std::filesystem::remove(path);
  EXPECT_EXIT(signal_then_throw(path.string()), ::testing::ExitedWithCode(143),
              "SIGTERM: ending the launched processes");
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "partial after signal 15, finished 3");
  std::filesystem::remove(path);
}

// A signal after the scope was left finds no handler: nothing refers to the gone scope.
void leave_then_signal(const std::string& path) {
  watch_interrupts();
  {
    const InterruptScope scope([&](int) { std::ofstream(path) << "written by a gone scope"; });
  }
  ::kill(::getpid(), SIGTERM);
  await_interrupt_exit();
}

TEST(InterruptDeathTest, ASignalAfterTheScopeWritesNothing) {
  const auto path =
      std::filesystem::temp_directory_path() / ("relaycheck-interrupt-gone-" + std::to_string(::getpid()) + ".txt");
  std::filesystem::remove(path);
  EXPECT_EXIT(leave_then_signal(path.string()), ::testing::ExitedWithCode(143), "SIGTERM");
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace relaycheck::harness::transport
