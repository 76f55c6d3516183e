#include "harness/netfuzz/fuzz_target.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <thread>

#include "harness/target.h"
#include "harness/server_access.h"
#include "harness/target_impl.h"
#include "proto/common/address.h"

namespace relaycheck::harness::netfuzz {

namespace {

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
  return text;
}

}  // namespace

bool has_sanitizer_report(const std::string& text) {
  for (const char* marker : {"ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer", "WARNING: ThreadSanitizer"})
    if (text.find(marker) != std::string::npos) return true;
  return false;
}

FuzzTarget::FuzzTarget(const std::string& spec, const std::string& protocol, std::uint64_t seed)
    : spec_(spec), protocol_(protocol), seed_(seed) {
  if (spec == "spawn" || spec.rfind("spawn:", 0) == 0) {
    std::istringstream words(spec == "spawn" ? default_server_binary() : spec.substr(6));
    for (std::string w; words >> w;) command_.push_back(w);
    if (command_.empty()) throw TargetError("--target spawn:CMD: the command is empty");
    for (const auto& a : command_) port_placeholder_ = port_placeholder_ || a.find("{port}") != std::string::npos;
    if (command_.size() == 1) {
      // A lone program: a relaycheck-server (or one that takes the same flags).
      command_.insert(command_.end(), {"--protocol", "{protocol}", "--listen", "127.0.0.1:0", "--log-level", "error"});
      TargetOptions options;
      options.seed = seed;
      for (const auto& [name, value] : reference_options(protocol, options)) command_.insert(command_.end(), {"--" + name, value});
    }
    return;
  }
  auto hp = proto::parse_host_port(spec);
  if (!hp) throw TargetError("unknown target '" + spec + "' (expected HOST:PORT, spawn or spawn:CMD)");
  host_ = hp->host;
  port_ = hp->port;
}

FuzzTarget::~FuzzTarget() = default;

void FuzzTarget::start() {
  ++starts_;
  if (!spawned()) {
    Socket s;
    if (auto err = s.connect(host_, port_, Millis{3000}); !err.empty())
      throw TargetError("cannot connect to " + spec_ + ": " + err);
    return;
  }
  child_.reset();
  sanitizer_lines_seen_ = 0;
  std::uint16_t port = 0;
  if (port_placeholder_) {
    port = pick_free_port();
  }
  std::vector<std::string> argv;
  for (const auto& a : command_) argv.push_back(replace_all(replace_all(a, "{port}", std::to_string(port)), "{protocol}", protocol_));
  try {
    child_ = std::make_unique<ChildProcess>(argv);
  } catch (const std::exception& e) {
    throw TargetError(e.what());
  }
  const auto deadline = std::chrono::steady_clock::now() + Millis{5000};
  auto failed = [&](const std::string& why) {
    auto status = child_->exit_status();
    return TargetError("'" + argv.front() + "' did not start" + (status ? " (" + *status + ")" : "") + ": " + why +
                       (child_->stderr_tail(3).empty() ? "" : "; stderr: " + child_->stderr_tail(3)));
  };
  if (!port_placeholder_) {
    // It names its address on stdout: "listening on HOST:PORT".
    while (true) {
      const auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now());
      auto line = left.count() > 0 ? child_->read_line(left) : std::nullopt;
      if (!line) throw failed("no 'listening on HOST:PORT' line on its stdout");
      const auto at = line->find("listening on ");
      if (at == std::string::npos) continue;
      auto hp = proto::parse_host_port(line->substr(at + 13));
      if (!hp) continue;
      host_ = hp->host;
      port_ = hp->port;
      return;
    }
  }
  host_ = "127.0.0.1";
  port_ = port;
  while (true) {
    Socket s;
    if (s.connect(host_, port_, Millis{200}).empty()) return;
    if (child_->exit_status()) throw failed("it exited");
    if (std::chrono::steady_clock::now() > deadline) throw failed("port " + std::to_string(port_) + " never accepted");
    std::this_thread::sleep_for(Millis{10});
  }
}

void FuzzTarget::restart() {
  if (child_) child_->terminate(Millis{500});
  start();
}

std::optional<std::string> FuzzTarget::death(Millis grace) {
  // A listener that still accepts is alive; a dead process's listener refuses at once.
  auto refused = [&]() -> std::optional<std::string> {
    Socket s;
    auto err = s.connect(host_, port_, Millis{1000});
    if (err.empty()) return std::nullopt;
    return err;
  };
  if (!spawned()) {
    if (auto err = refused()) return "the target refuses connections: " + *err;
    return std::nullopt;
  }
  if (!child_) return "the target is not running";
  auto status = child_->exit_status();
  if (!status) {
    auto err = refused();
    if (!err) return std::nullopt;
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (!status && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(Millis{2});
      status = child_->exit_status();
    }
    if (!status) return "the target refuses connections: " + *err;
  }
  return exited();
}

std::optional<std::string> FuzzTarget::exited() {
  if (!child_) return std::nullopt;
  auto status = child_->exit_status();
  if (!status) return std::nullopt;
  std::string report = "the target " + *status;
  if (auto tail = child_->stderr_tail(8); !tail.empty()) report += "; its last stderr lines:\n" + tail;
  return report;
}

std::optional<std::string> FuzzTarget::sanitizer_report() {
  if (!child_) return std::nullopt;
  std::istringstream tail(child_->stderr_tail(100000));
  std::size_t count = 0;
  std::string first_new;
  for (std::string line; std::getline(tail, line);) {
    if (!has_sanitizer_report(line)) continue;
    if (++count > sanitizer_lines_seen_ && first_new.empty()) first_new = line;
  }
  if (count <= sanitizer_lines_seen_) return std::nullopt;
  sanitizer_lines_seen_ = count;
  return first_new;
}

}  // namespace relaycheck::harness::netfuzz
