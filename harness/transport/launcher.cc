#include "harness/transport/launcher.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <thread>

#include "harness/server_access.h"
#include "harness/target.h"
#include "harness/transport/clock_env.h"
#include "harness/transport/command_line.h"
#include "harness/transport/connection.h"
#include "harness/transport/listening.h"

namespace relaycheck::harness::transport {

namespace {

using Clock = std::chrono::steady_clock;

Millis left_until(Clock::time_point deadline) {
  return std::max(Millis{0}, std::chrono::duration_cast<Millis>(deadline - Clock::now()));
}

// Only for `ready: {connect: true}`: the server sees this connection.
bool loopback_accepts(std::uint16_t port) {
  Connection probe;
  return probe.connect("127.0.0.1", port, Millis{1000}).empty();
}

// Whether its stderr says a bind failed (C, Java, Python, Go, Node spell it alike).
bool says_address_in_use(const ChildProcess& child) {
  std::string text = child.stderr_excerpt(20, 20);
  for (auto& ch : text) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return text.find("address already in use") != std::string::npos || text.find("eaddrinuse") != std::string::npos;
}

// The listener on `port` that process group `pgid` holds, if it listens yet.
std::optional<Listener> owned_listener(std::uint16_t port, pid_t pgid) {
  const auto sockets = listeners_on(port);
  if (sockets.empty() || !group_owns_any(pgid, sockets)) return std::nullopt;
  return sockets.front();
}

}  // namespace

bool read_announcement(const std::string& line, std::map<std::string, proto::HostPort>& channels,
                       std::map<std::string, std::string>& attributes) {
  if (line.rfind("attribute ", 0) == 0) {
    const auto sp = line.find(' ', 10);
    if (sp == std::string::npos) return false;
    std::string value;  // "\n" and "\\" escaped
    for (std::size_t i = sp + 1; i < line.size(); ++i) {
      if (line[i] == '\\' && i + 1 < line.size())
        value += line[++i] == 'n' ? '\n' : line[i];
      else
        value += line[i];
    }
    attributes[line.substr(10, sp - 10)] = value;
    return true;
  }
  const std::string marker = " listening on ";
  const auto at = line.find(marker);
  if (at == std::string::npos || at == 0 || line.find(' ') != at) return false;
  auto hp = proto::parse_host_port(line.substr(at + marker.size()));
  if (!hp) return false;
  channels[line.substr(0, at)] = *hp;
  return true;
}

Launched::Launched(const LaunchSpec& spec, const LaunchRequest& request) : label_(request.label) {
  if (spec.command.empty()) throw TargetError(label_ + ": the launch command is empty");
  const bool wants_port = mentions_port(spec.command);
  if (request.port) {
    port_ = *request.port;
  } else if (spec.fixed_port) {
    port_ = *spec.fixed_port;
    port_lock_ = std::make_unique<FixedPortLock>(port_);
    // A previous instance of ours may still be closing its listener; anything else is in the way.
    const auto deadline = Clock::now() + Millis{1000};
    while (!listeners_on(port_).empty()) {
      if (Clock::now() > deadline)
        throw TargetError(
            label_ + ": port " + std::to_string(port_) +
            " (fixed by the profile's port:) is already listening, held by another program; stop it first");
      std::this_thread::sleep_for(Millis{20});
    }
  } else if (wants_port) {
    port_ = pick_free_port();
  }
  const bool port_picked = !request.port && !spec.fixed_port && wants_port;
  if (request.wait_ready && spec.ready_stdout.empty() && port_ == 0)
    throw TargetError(
        label_ +
        ": relaycheck cannot tell where it listens: put {port} in its command, give the "
        "profile a fixed port:, or use ready: {stdout: \"listening on\"} with a 'listening on HOST:PORT' line");
  // A port picked free a moment ago can be taken by another program (a parallel scenario's
  // server) before ours binds it, or the next port it also uses (a control channel): then
  // ours exits, and is started again on another port.
  constexpr int kAttempts = 3;
  for (int attempt = 1;; ++attempt) {
    std::vector<std::string> argv;
    for (const auto& a : spec.command) argv.push_back(substitute(a, port_, request.protocol));
    argv.insert(argv.end(), request.extra_args.begin(), request.extra_args.end());
    for (auto& a : clock_args(spec, request.protocol)) argv.push_back(std::move(a));
    try {
      child_ = std::make_unique<ChildProcess>(argv, spec.cwd, clock_env(spec), request.pipe_stdin);
    } catch (const std::exception& e) {
      throw TargetError(label_ + ": " + e.what());
    }
    address_ = {"127.0.0.1", port_};
    if (!request.wait_ready) return;
    try {
      wait_until_ready(spec, argv.front());
      return;
    } catch (const TargetError&) {
      const bool port_taken = child_->exit_status() && (!listeners_on(port_).empty() || says_address_in_use(*child_));
      if (!port_picked || !port_taken || attempt == kAttempts) throw;
    }
    port_ = pick_free_port();
  }
}

Launched::~Launched() = default;

void Launched::wait_until_ready(const LaunchSpec& spec, const std::string& program) {
  const auto deadline = Clock::now() + spec.start_timeout;
  auto not_started = [&](const std::string& why) {
    const auto status = child_->exit_status();
    const std::string err = child_->stderr_excerpt(10, 10);
    return TargetError(label_ + " (" + program + ") did not start" + (status ? " (" + *status + ")" : std::string()) +
                       ": " + why + (err.empty() ? "" : "; its stderr:\n" + err));
  };
  if (!spec.ready_stdout.empty()) {
    while (true) {
      const Millis left = left_until(deadline);
      auto line = left.count() > 0 ? child_->read_line(left) : std::nullopt;
      if (!line)
        throw not_started("no stdout line containing '" + spec.ready_stdout + "' within " +
                          std::to_string(spec.start_timeout.count()) + " ms");
      if (read_announcement(*line, channels_, attributes_)) continue;
      if (line->find(spec.ready_stdout) == std::string::npos) continue;
      const std::string prefix = "listening on ";
      if (auto at = line->find(prefix); at != std::string::npos) {
        announcing_ = false;
        if (auto hp = proto::parse_host_port(line->substr(at + prefix.size()))) address_ = *hp;
      }
      if (address_.port == 0)
        throw not_started("its ready line '" + *line +
                          "' names no 'listening on HOST:PORT' and its command has no {port}");
      return;
    }
  }
  bool listening_elsewhere = false;
  while (true) {
    if (spec.ready_connect) {
      if (loopback_accepts(port_)) return;
    } else if (auto l = owned_listener(port_, child_->pid())) {
      address_.host = connect_address(*l);
      return;
    } else {
      listening_elsewhere = !listeners_on(port_).empty();
    }
    if (child_->exit_status()) throw not_started("it exited");
    if (Clock::now() > deadline)
      throw not_started(listening_elsewhere
                            ? "port " + std::to_string(port_) + " is listening, but not by the launched program"
                            : "port " + std::to_string(port_) +
                                  (spec.ready_connect ? " never accepted" : " never listened") + " within " +
                                  std::to_string(spec.start_timeout.count()) + " ms");
    std::this_thread::sleep_for(Millis{10});
  }
}

void Launched::read_announcements(Millis wait, const std::function<bool()>& found) {
  const auto deadline = Clock::now() + wait;
  while (announcing_ && !found()) {
    const Millis left = left_until(deadline);
    if (left.count() == 0) return;
    auto line = child_->read_line(left);
    if (!line) {
      if (child_->exit_status()) announcing_ = false;
      return;
    }
    if (!read_announcement(*line, channels_, attributes_) && line->find("listening on ") != std::string::npos)
      announcing_ = false;
  }
}

std::optional<std::string> Launched::attribute(const std::string& name, Millis wait) {
  read_announcements(wait, [&] { return attributes_.count(name) > 0; });
  auto it = attributes_.find(name);
  return it == attributes_.end() ? std::nullopt : std::optional<std::string>(it->second);
}

std::optional<proto::HostPort> Launched::channel(const std::string& name, Millis wait) {
  read_announcements(wait, [&] { return channels_.count(name) > 0; });
  auto it = channels_.find(name);
  return it == channels_.end() ? std::nullopt : std::optional<proto::HostPort>(it->second);
}

std::optional<std::string> Launched::crash_report() {
  auto status = child_->exit_status();
  if (!status) return std::nullopt;
  const std::string err = child_->stderr_excerpt();
  return *status + (err.empty() ? "" : "; its stderr (first and last lines):\n" + err);
}

bool Launched::still_listening() const { return address_.port != 0 && !listeners_on(address_.port).empty(); }

}  // namespace relaycheck::harness::transport
