#pragma once
// The server of a load run started through the one launcher (transport/launcher.h): the
// reference server (or any program that prints "listening on HOST:PORT" like it), or what a
// profile launches; its memory is read from /proc while it runs.
#include <sys/types.h>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/transport/launcher.h"
#include "proto/common/address.h"

namespace relaycheck::harness::load {

// A "Vm..." field of /proc/<pid>/status in KiB ("VmRSS": resident now, "VmHWM": peak resident).
std::optional<std::uint64_t> proc_status_kib(pid_t pid, const std::string& field);

// A relaycheck-server for `protocol` on a loopback port it picks, quiet but for errors; `extra`
// after (a pattern's server_args, --server-arg).
std::vector<std::string> reference_server_argv(const std::string& server_bin, const std::string& protocol,
                                               const std::vector<std::string>& extra = {});

class SpawnedServer {
 public:
  // Runs `argv` and waits for its "listening on" line; throws TargetError when it does not start.
  SpawnedServer(const std::vector<std::string>& argv, std::chrono::milliseconds start_timeout);
  // Launches what a profile describes (ready as its profile says); throws TargetError.
  SpawnedServer(const LaunchSpec& spec, const transport::LaunchRequest& request);
  const proto::HostPort& address() const { return server_->address(); }
  pid_t pid() const { return server_->pid(); }
  // What it announced: "attribute NAME VALUE", "NAME listening on HOST:PORT" (a key, a control channel).
  std::optional<std::string> attribute(const std::string& name) { return server_->attribute(name); }
  std::optional<proto::HostPort> channel(const std::string& name) { return server_->channel(name); }
  std::optional<std::uint64_t> rss_kib() const { return proc_status_kib(pid(), "VmRSS"); }
  std::optional<std::uint64_t> peak_rss_kib() const { return proc_status_kib(pid(), "VmHWM"); }
  // Nothing while it runs; else how it ended and the first and last lines of its stderr.
  std::optional<std::string> ended() { return server_->crash_report(); }
  std::string stderr_tail(std::size_t lines = 5) const { return server_->process().stderr_tail(lines); }

 private:
  std::unique_ptr<transport::Launched> server_;
};

}  // namespace relaycheck::harness::load
