// Targets launched per scenario through the one launcher (transport/launcher.h): the reference
// server ("spawn") or any program a profile names, each transport owning its server process.
#include <unistd.h>
#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "harness/server_access.h"
#include "harness/target_impl.h"
#include "harness/target_tcp.h"
#include "harness/transport/command_line.h"
#include "harness/transport/launcher.h"
#include "proto/registry.h"

namespace relaycheck::harness {

namespace {

// A TCP transport that owns the server process it talks to.
class SpawnedTransport final : public TcpTransport {
 public:
  SpawnedTransport(std::unique_ptr<transport::Launched> server, std::string label, const TargetOptions& options)
      : TcpTransport(resolve_endpoints(server->address()), std::move(label), options.connect_timeout),
        server_(std::move(server)),
        given_(options.attributes) {}

  void open_channel(const std::string& conn, const std::string& channel) override {
    auto address = server_->channel(channel);
    if (!address)
      throw TargetError(label_ + " has no '" + channel + "' channel (no '" + channel + " listening on' line)");
    open_to(conn, resolve_endpoints(*address));
  }

  std::optional<std::string> attribute(const std::string& name) override {
    if (auto it = given_.find(name); it != given_.end()) return it->second;
    return server_->attribute(name);
  }

  std::optional<std::string> crashed() override {
    // A crash while handling the scenario's last disconnects shows a moment later.
    auto report = server_->crash_report();
    for (int i = 0; i < 10 && !report; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      report = server_->crash_report();
    }
    if (!report) return std::nullopt;
    return "target " + *report;
  }

 private:
  std::unique_ptr<transport::Launched> server_;
  std::map<std::string, std::string> given_;  // the profile's attributes
};

// Launches a program per scenario through the one launcher (transport/launcher.h): "{port}",
// "{protocol}" and "{bin}" (the directory of relaycheck itself) in its arguments are filled in;
// ready as its LaunchSpec says (by default: its port listens, seen without connecting).
class LaunchTarget final : public Target {
 public:
  LaunchTarget(LaunchSpec spec, std::string label, TargetOptions options)
      : spec_(std::move(spec)), label_(std::move(label)), options_(std::move(options)) {}
  ~LaunchTarget() override {
    std::error_code ec;
    if (!scratch_.empty()) std::filesystem::remove_all(scratch_, ec);
  }

  std::string describe() const override { return label_; }
  void check(const std::string&) override {
    const std::string program = transport::substitute(spec_.command.front(), 0, "");
    if (program.find('/') != std::string::npos) {
      std::filesystem::path p = program;
      if (p.is_relative() && !spec_.cwd.empty()) p = std::filesystem::path(spec_.cwd) / p;
      if (::access(p.c_str(), X_OK) != 0) throw TargetError("cannot run '" + p.string() + "'");
    }
  }
  std::unique_ptr<Transport> connect(const std::string& protocol) override {
    transport::LaunchRequest request;
    request.protocol = protocol;
    request.label = label_;
    if (spec_.reference_server) {
      for (const auto& [name, value] : reference_options(protocol, options_))
        request.extra_args.insert(request.extra_args.end(), {"--" + name, value});
      for (const auto& [name, value] : spawn_options(protocol))
        request.extra_args.insert(request.extra_args.end(), {"--" + name, value});
    }
    auto server = std::make_unique<transport::Launched>(spec_, request);
    const std::string where = label_ + " at " + proto::format_host_port(server->address());
    return std::make_unique<SpawnedTransport>(std::move(server), where, options_);
  }
  bool isolated() const override { return true; }

 private:
  // The protocol's ProtocolInfo::spawn_options, made once per run (scenarios run in parallel).
  proto::OptionValues spawn_options(const std::string& protocol) {
    const proto::ProtocolInfo* info = proto::find_protocol(protocol);
    if (!info || !info->spawn_options) return {};
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = spawn_options_.find(protocol);
    if (it != spawn_options_.end()) return it->second;
    if (scratch_.empty()) {
      static std::atomic<int> serial{0};
      scratch_ = std::filesystem::temp_directory_path() /
                 ("relaycheck-" + std::to_string(::getpid()) + "-" + std::to_string(serial++));
      std::filesystem::create_directories(scratch_);
    }
    try {
      return spawn_options_[protocol] = info->spawn_options(scratch_.string());
    } catch (const std::exception& e) {
      throw TargetError("cannot prepare the " + protocol + " server: " + e.what());
    }
  }

  LaunchSpec spec_;
  std::string label_;
  TargetOptions options_;
  std::mutex mutex_;
  std::map<std::string, proto::OptionValues> spawn_options_;
  std::filesystem::path scratch_;
};

}  // namespace

std::unique_ptr<Target> make_spawn_target(const TargetOptions& options) {
  LaunchSpec spec;
  const std::string server = options.server_binary.empty() ? default_server_binary() : options.server_binary;
  // Port 0: the server picks a free port and names it in its "listening on" line.
  spec.command = {server, "--protocol", "{protocol}", "--listen", "127.0.0.1:0", "--log-level", "warn"};
  spec.ready_stdout = "listening on ";
  spec.start_timeout = options.start_timeout;
  spec.reference_server = true;
  spec.clock = options.clock;
  return std::make_unique<LaunchTarget>(std::move(spec), "spawn", options);
}

std::unique_ptr<Target> make_launch_target(const LaunchSpec& spec, const std::string& label,
                                           const TargetOptions& options) {
  return std::make_unique<LaunchTarget>(spec, label, options);
}

}  // namespace relaycheck::harness
