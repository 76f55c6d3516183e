// Targets over TCP: an address that is already listening, a server launched per scenario
// through the one launcher (transport/launcher.h), or a client under test that connects to us.
#include <array>
#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include "harness/profile.h"
#include "harness/server_access.h"
#include "harness/target_impl.h"
#include "harness/transport/command_line.h"
#include "harness/transport/launcher.h"
#include "proto/registry.h"

namespace relaycheck::harness {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

// Runs the one pending operation on the private io_context for at most `limit`, then cancels
// it if it is still pending. The operation's handler has always run on return: a timeout shows
// as operation_aborted, and an operation that completed just as time ran out keeps its result.
void run_with_timeout(asio::io_context& io, tcp::socket& s, Millis limit, const bool& done) {
  io.restart();
  io.run_for(limit);
  if (done) return;
  error_code ec;
  s.cancel(ec);
  io.restart();
  io.run();
}

class TcpTransport : public Transport {
 public:
  TcpTransport(std::vector<tcp::endpoint> endpoints, std::string label, Millis connect_timeout)
      : endpoints_(std::move(endpoints)), label_(std::move(label)), connect_timeout_(connect_timeout),
        start_(std::chrono::steady_clock::now()) {}

  void open(const std::string& conn) override { open_to(conn, endpoints_); }

  void open_to(const std::string& conn, const std::vector<tcp::endpoint>& endpoints) {
    auto s = std::make_unique<tcp::socket>(io_);
    bool done = false;
    error_code result;
    asio::async_connect(*s, endpoints, [&](const error_code& ec, const tcp::endpoint&) {
      done = true;
      result = ec;
    });
    run_with_timeout(io_, *s, connect_timeout_, done);
    if (result == asio::error::operation_aborted)
      throw TargetError("connect to " + label_ + ": timed out after " + std::to_string(connect_timeout_.count()) + " ms");
    if (result) throw TargetError("connect to " + label_ + ": " + result.message());
    error_code ec;
    s->set_option(tcp::no_delay(true), ec);
    sockets_[conn] = std::move(s);
  }

  std::string write(const std::string& conn, std::string_view bytes) override {
    error_code ec;
    asio::write(get(conn), asio::buffer(bytes.data(), bytes.size()), ec);
    return ec ? ec.message() : std::string();
  }

  void close(const std::string& conn) override {
    error_code ec;
    get(conn).shutdown(tcp::socket::shutdown_both, ec);
    get(conn).close(ec);
  }

  ReadResult read(const std::string& conn, Millis within) override {
    tcp::socket& s = get(conn);
    if (!s.is_open()) return {ReadResult::Kind::closed, {}, "closed"};
    std::array<char, 64 * 1024> buffer;
    bool done = false;
    error_code result;
    std::size_t got = 0;
    s.async_read_some(asio::buffer(buffer), [&](const error_code& ec, std::size_t n) {
      done = true;
      result = ec;
      got = n;
    });
    run_with_timeout(io_, s, within, done);
    if (result == asio::error::operation_aborted) return {};
    if (!result) return {ReadResult::Kind::data, std::string(buffer.data(), got), {}};
    if (result == asio::error::eof) return {ReadResult::Kind::closed, {}, "closed"};
    return {ReadResult::Kind::closed, {}, result.message()};
  }

  void advance(Millis d) override { std::this_thread::sleep_for(d); }

  long long now_ms() const override {
    return std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - start_).count();
  }
  bool exact_quiet() const override { return false; }

 protected:
  tcp::socket& get(const std::string& conn) {
    auto it = sockets_.find(conn);
    if (it == sockets_.end()) throw TargetError("no connection named '" + conn + "'");
    return *it->second;
  }

  asio::io_context io_;
  std::vector<tcp::endpoint> endpoints_;
  std::string label_;
  Millis connect_timeout_;
  std::chrono::steady_clock::time_point start_;
  std::map<std::string, std::unique_ptr<tcp::socket>> sockets_;
};


// A server at an address: its other channels and attributes are what the profile (or the
// command line) says, since nothing announces them.
class AddressTransport final : public TcpTransport {
 public:
  AddressTransport(std::vector<tcp::endpoint> endpoints, std::string label, const TargetOptions& options)
      : TcpTransport(std::move(endpoints), std::move(label), options.connect_timeout), options_(options) {}

  void open_channel(const std::string& conn, const std::string& channel) override {
    auto it = options_.channels.find(channel);
    if (it == options_.channels.end())
      throw TargetError(label_ + " has no '" + channel + "' channel (a profile's channels: names it)");
    open_to(conn, resolve_endpoints(it->second));
  }

  std::optional<std::string> attribute(const std::string& name) override {
    auto it = options_.attributes.find(name);
    return it == options_.attributes.end() ? std::nullopt : std::optional<std::string>(it->second);
  }

 private:
  TargetOptions options_;
};

class AddressTarget final : public Target {
 public:
  AddressTarget(proto::HostPort address, TargetOptions options) : address_(std::move(address)), options_(std::move(options)) {}

  std::string describe() const override { return proto::format_host_port(address_); }
  void check(const std::string&) override {
    endpoints_ = resolve_endpoints(address_);
    TcpTransport probe(endpoints_, describe(), options_.connect_timeout);
    probe.open("probe");
    probe.close("probe");
  }
  std::unique_ptr<Transport> connect(const std::string&) override {
    if (endpoints_.empty()) endpoints_ = resolve_endpoints(address_);
    return std::make_unique<AddressTransport>(endpoints_, describe(), options_);
  }
  bool isolated() const override { return false; }
  std::optional<bool> has_channel(const std::string& name) const override { return options_.channels.count(name) > 0; }

 private:
  proto::HostPort address_;
  TargetOptions options_;
  std::vector<tcp::endpoint> endpoints_;
};

// A TCP transport that owns the server process it talks to.
class SpawnedTransport final : public TcpTransport {
 public:
  SpawnedTransport(std::unique_ptr<transport::Launched> server, std::string label, const TargetOptions& options)
      : TcpTransport(resolve_endpoints(server->address()), std::move(label), options.connect_timeout),
        server_(std::move(server)), given_(options.attributes) {}

  void open_channel(const std::string& conn, const std::string& channel) override {
    auto address = server_->channel(channel);
    if (!address) throw TargetError(label_ + " has no '" + channel + "' channel (no '" + channel + " listening on' line)");
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
      for (const auto& [name, value] : reference_options(protocol, options_)) request.extra_args.insert(request.extra_args.end(), {"--" + name, value});
      for (const auto& [name, value] : spawn_options(protocol)) request.extra_args.insert(request.extra_args.end(), {"--" + name, value});
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

// relaycheck plays the server: it listens on a free loopback port, launches the client under
// test with {port}, and accepts the client's connections when a scenario asks for them.
class ClientTransport final : public TcpTransport {
 public:
  ClientTransport(const LaunchSpec& spec, const std::string& protocol, const std::map<std::string, std::string>& attributes)
      : TcpTransport({}, "client", Millis{0}), attributes_(attributes) {
    acceptor_ = std::make_unique<tcp::acceptor>(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    transport::LaunchRequest request;
    request.protocol = protocol;
    request.label = "the client";
    request.port = acceptor_->local_endpoint().port();
    request.wait_ready = false;  // a client listens on nothing: it connects to relaycheck
    request.pipe_stdin = true;
    client_ = std::make_unique<transport::Launched>(spec, request);
  }

  void accept(const std::string& conn, Millis within) override {
    auto s = std::make_unique<tcp::socket>(io_);
    bool done = false;
    error_code result;
    acceptor_->async_accept(*s, [&](const error_code& ec) {
      done = true;
      result = ec;
    });
    io_.restart();
    io_.run_for(within);
    if (!done) {
      error_code ignored;
      acceptor_->cancel(ignored);
      io_.restart();
      io_.run();
    }
    if (result == asio::error::operation_aborted)
      throw TargetError("the client did not connect within " + std::to_string(within.count()) + "ms");
    if (result) throw TargetError("accept: " + result.message());
    error_code ec;
    s->set_option(tcp::no_delay(true), ec);
    sockets_[conn] = std::move(s);
  }

  std::string input(const std::string& text) override {
    return client_->process().write_stdin(text) ? std::string() : "the client does not read its input any more";
  }

  std::optional<std::string> attribute(const std::string& name) override {
    auto it = attributes_.find(name);
    return it == attributes_.end() ? std::nullopt : std::optional<std::string>(it->second);
  }

  std::optional<std::string> crashed() override {
    // A client may end on its own (after QUIT); only a signal or a failure exit is a crash.
    auto status = client_->ended();
    if (!status || *status == "exited with code 0") return std::nullopt;
    return "client " + client_->crash_report().value_or(*status);
  }

 private:
  std::unique_ptr<transport::Launched> client_;
  std::unique_ptr<tcp::acceptor> acceptor_;
  std::map<std::string, std::string> attributes_;
};

class ClientTarget final : public Target {
 public:
  ClientTarget(LaunchSpec spec, std::string label, std::map<std::string, std::string> attributes)
      : spec_(std::move(spec)), label_(std::move(label)), attributes_(std::move(attributes)) {}

  std::string describe() const override { return label_; }
  void check(const std::string&) override {}
  std::unique_ptr<Transport> connect(const std::string& protocol) override {
    return std::make_unique<ClientTransport>(spec_, protocol, attributes_);
  }
  bool isolated() const override { return true; }
  bool plays_server() const override { return true; }

 private:
  LaunchSpec spec_;
  std::string label_;
  std::map<std::string, std::string> attributes_;
};

}  // namespace

std::vector<tcp::endpoint> resolve_endpoints(const proto::HostPort& address) {
  asio::io_context io;
  tcp::resolver resolver(io);
  error_code ec;
  auto results = resolver.resolve(address.host, std::to_string(address.port), ec);
  if (ec || results.empty())
    throw TargetError("cannot resolve " + proto::format_host_port(address) + ": " + (ec ? ec.message() : "no address"));
  std::vector<tcp::endpoint> endpoints;
  for (const auto& r : results) endpoints.push_back(r.endpoint());
  return endpoints;
}

std::string default_server_binary() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "relaycheck-server";
  return (self.parent_path() / "relaycheck-server").string();
}

std::uint16_t pick_free_port() {
  asio::io_context io;
  tcp::acceptor a(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return a.local_endpoint().port();
}

std::unique_ptr<Target> make_address_target(const proto::HostPort& address, const TargetOptions& options) {
  return std::make_unique<AddressTarget>(address, options);
}

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

std::unique_ptr<Target> make_launch_target(const LaunchSpec& spec, const std::string& label, const TargetOptions& options) {
  return std::make_unique<LaunchTarget>(spec, label, options);
}

std::unique_ptr<Target> make_client_target(const LaunchSpec& spec, const std::string& label,
                                           std::map<std::string, std::string> attributes) {
  return std::make_unique<ClientTarget>(spec, label, std::move(attributes));
}

}  // namespace relaycheck::harness
