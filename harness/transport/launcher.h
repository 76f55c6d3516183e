#pragma once
// The one launcher: starts a program under test from a LaunchSpec, knows when it is ready,
// watches it and stops it. `run` (target_tcp.cc), `load` and `fuzz` all launch through it.
#include <sys/types.h>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/transport/fixed_port.h"
#include "harness/transport/launch_spec.h"
#include "harness/transport/process.h"
#include "proto/common/address.h"
#include "proto/common/time.h"

namespace relaycheck::harness::transport {

using proto::Millis;

struct LaunchRequest {
  std::string protocol;                 // for {protocol}
  std::string label;                    // names the program in errors, e.g. "profile acme"
  std::vector<std::string> extra_args;  // appended as given (the reference server's own flags)
  std::optional<std::uint16_t> port;    // the {port}: relaycheck's own listener for a client under test
  bool wait_ready = true;               // false: a client under test, which listens on nothing
  bool pipe_stdin = false;              // for Launched::process().write_stdin
};

class Launched {
 public:
  // Starts the program and waits until it is ready (LaunchSpec's ready_* settings); throws
  // TargetError naming the label, why, and the first and last lines of its stderr.
  Launched(const LaunchSpec& spec, const LaunchRequest& request);
  ~Launched();  // stops it (its whole process group)
  Launched(const Launched&) = delete;
  Launched& operator=(const Launched&) = delete;

  // Where clients reach it: the "listening on HOST:PORT" it printed, else its listener's address.
  const proto::HostPort& address() const { return address_; }
  std::uint16_t port() const { return port_; }  // the {port} it was given; 0 when none
  pid_t pid() const { return child_->pid(); }
  ChildProcess& process() { return *child_; }

  // What it announced on stdout before "listening on": "attribute NAME VALUE" and "NAME
  // listening on HOST:PORT". An unknown name reads on for up to `wait` while it may still come.
  std::optional<std::string> attribute(const std::string& name, Millis wait = Millis{1000});
  std::optional<proto::HostPort> channel(const std::string& name, Millis wait = Millis{1000});

  // Nothing while it runs; else how it ended ("exited with code 3", "killed by signal 11 (...)").
  std::optional<std::string> ended() { return child_->exit_status(); }
  // How it ended followed by the first and last lines of its stderr; nothing while it runs.
  std::optional<std::string> crash_report();
  // Whether its port still listens (seen in /proc, no connection); false when it has no port.
  bool still_listening() const;
  void stop(Millis grace = Millis{1000}) { child_->terminate(grace); }

 private:
  void wait_until_ready(const LaunchSpec& spec, const std::string& ready_what);
  // Reads stdout lines as announcements until `found` holds, "listening on", EOF or `wait`.
  void read_announcements(Millis wait, const std::function<bool()>& found);

  std::string label_;
  std::unique_ptr<FixedPortLock> port_lock_;  // before child_: released after the child has ended
  std::unique_ptr<ChildProcess> child_;
  std::uint16_t port_ = 0;
  proto::HostPort address_;
  std::map<std::string, proto::HostPort> channels_;
  std::map<std::string, std::string> attributes_;
  bool announcing_ = true;  // until its "listening on" line or the end of its stdout
};

// Reads one stdout line as an announcement into the maps; false for any other line.
bool read_announcement(const std::string& line, std::map<std::string, proto::HostPort>& channels,
                       std::map<std::string, std::string>& attributes);

}  // namespace relaycheck::harness::transport
