#pragma once
// The reference server (or any program that prints "listening on HOST:PORT" like it) started
// as a child process for a load run, with its memory read from /proc while it runs.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

#include "harness/process.h"
#include "proto/common/address.h"

namespace relaycheck::harness::load {

// A "Vm..." field of /proc/<pid>/status in KiB ("VmRSS": resident now, "VmHWM": peak resident).
std::optional<std::uint64_t> proc_status_kib(pid_t pid, const std::string& field);

class SpawnedServer {
 public:
  // Runs `argv` and waits for its "listening on" line; throws TargetError when it does not start.
  SpawnedServer(const std::vector<std::string>& argv, std::chrono::milliseconds start_timeout);
  const proto::HostPort& address() const { return address_; }
  pid_t pid() const { return child_->pid(); }
  std::optional<std::uint64_t> rss_kib() const { return proc_status_kib(pid(), "VmRSS"); }
  std::optional<std::uint64_t> peak_rss_kib() const { return proc_status_kib(pid(), "VmHWM"); }
  // Nothing while it runs; else how it ended and its last stderr lines.
  std::optional<std::string> ended();
  std::string stderr_tail(std::size_t lines = 5) const { return child_->stderr_tail(lines); }

 private:
  std::unique_ptr<ChildProcess> child_;
  proto::HostPort address_;
};

}  // namespace relaycheck::harness::load
