#include "harness/transport/interrupt.h"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <mutex>
#include <thread>

#include "harness/transport/live_children.h"

namespace relaycheck::harness::transport {

namespace {

std::mutex& handler_mutex() {
  static std::mutex* m = new std::mutex;  // outlives static destruction: the thread may still run
  return *m;
}

std::function<void(int)>& handler() {
  static auto* h = new std::function<void(int)>;
  return *h;
}

std::atomic<bool> signalled{false};

}  // namespace

int interrupt_exit_code(int sig) { return 128 + sig; }

bool interrupted() { return signalled.load(); }

void await_interrupt_exit() {
  while (true) std::this_thread::sleep_for(std::chrono::seconds(1));
}

void on_interrupt(std::function<void(int)> write_partial) {
  std::lock_guard<std::mutex> lock(handler_mutex());
  handler() = std::move(write_partial);
}

InterruptScope::~InterruptScope() {
  if (interrupted()) await_interrupt_exit();
  on_interrupt({});
}

void watch_interrupts() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set] {
    int sig = 0;
    while (::sigwait(&set, &sig) != 0) {
    }
    signalled = true;
    std::cerr << "\nrelaycheck: " << (sig == SIGINT ? "SIGINT" : "SIGTERM")
              << ": ending the launched processes and writing an incomplete report\n";
    end_all_children();
    {
      std::lock_guard<std::mutex> lock(handler_mutex());
      try {
        if (handler()) handler()(sig);
      } catch (const std::exception& e) {
        std::cerr << "relaycheck: writing the incomplete report: " << e.what() << '\n';
      }
    }
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
    // The other threads may be mid-scenario; nothing they would still do is wanted.
    std::_Exit(interrupt_exit_code(sig));
  }).detach();
}

}  // namespace relaycheck::harness::transport
