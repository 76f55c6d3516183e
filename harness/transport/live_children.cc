#include "harness/transport/live_children.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace relaycheck::harness::transport {

namespace {

struct Registry {
  std::mutex mutex;
  std::map<pid_t, std::string> groups;  // group id -> its scratch file
  bool closed = false;
};

Registry& registry() {
  static Registry* r = new Registry;  // never destroyed: a signal thread may use it during exit
  return *r;
}

// Whether the group leader (our child) has ended, without reaping it: its owner reaps it.
bool leader_gone(pid_t pid) {
  siginfo_t info{};
  if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) return true;  // reaped
  return info.si_pid == pid;
}

}  // namespace

pid_t spawn_registered(const std::function<pid_t()>& spawn, const std::string& scratch_file) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  if (r.closed) throw std::runtime_error("interrupted: relaycheck is ending its launched processes");
  const pid_t pid = spawn();
  if (pid > 0) r.groups[pid] = scratch_file;
  return pid;
}

void forget_child(pid_t pgid) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.groups.erase(pgid);
}

void end_all_children(int grace_ms) {
  Registry& r = registry();
  std::map<pid_t, std::string> groups;
  {
    std::lock_guard<std::mutex> lock(r.mutex);
    r.closed = true;
    groups = r.groups;
  }
  for (const auto& [g, file] : groups) ::kill(-g, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(grace_ms);
  for (bool all_gone = false; !all_gone && std::chrono::steady_clock::now() < deadline;) {
    all_gone = true;
    for (const auto& [g, file] : groups) all_gone = all_gone && leader_gone(g);
    if (!all_gone) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // Whatever is left in each group (a leader that ignored SIGTERM, its own children).
  for (const auto& [g, file] : groups) {
    ::kill(-g, SIGKILL);
    if (!file.empty()) ::unlink(file.c_str());
  }
}

int live_children() {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  return static_cast<int>(r.groups.size());
}

}  // namespace relaycheck::harness::transport
