// Targets over TCP: an address that is already listening, or the reference server spawned as a
// child process per scenario on a free loopback port.
#include <array>
#include <filesystem>
#include <map>
#include <thread>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include "harness/process.h"
#include "harness/target_impl.h"

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

  void open(const std::string& conn) override {
    auto s = std::make_unique<tcp::socket>(io_);
    bool done = false;
    error_code result;
    asio::async_connect(*s, endpoints_, [&](const error_code& ec, const tcp::endpoint&) {
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

 private:
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

std::vector<tcp::endpoint> resolve(const proto::HostPort& address) {
  asio::io_context io;
  tcp::resolver resolver(io);
  error_code ec;
  auto results = resolver.resolve(address.host, std::to_string(address.port), ec);
  if (ec) throw TargetError("cannot resolve " + proto::format_host_port(address) + ": " + ec.message());
  std::vector<tcp::endpoint> endpoints;
  for (const auto& r : results) endpoints.push_back(r.endpoint());
  return endpoints;
}

class AddressTarget final : public Target {
 public:
  AddressTarget(proto::HostPort address, TargetOptions options) : address_(std::move(address)), options_(std::move(options)) {}

  std::string describe() const override { return proto::format_host_port(address_); }
  void check(const std::string&) override {
    endpoints_ = resolve(address_);
    TcpTransport probe(endpoints_, describe(), options_.connect_timeout);
    probe.open("probe");
    probe.close("probe");
  }
  std::unique_ptr<Transport> connect(const std::string&) override {
    if (endpoints_.empty()) endpoints_ = resolve(address_);
    return std::make_unique<TcpTransport>(endpoints_, describe(), options_.connect_timeout);
  }
  bool isolated() const override { return false; }

 private:
  proto::HostPort address_;
  TargetOptions options_;
  std::vector<tcp::endpoint> endpoints_;
};

// A TCP transport that owns the server process it talks to.
class SpawnedTransport final : public TcpTransport {
 public:
  SpawnedTransport(std::unique_ptr<ChildProcess> child, std::vector<tcp::endpoint> endpoints, std::string label,
                   Millis connect_timeout)
      : TcpTransport(std::move(endpoints), std::move(label), connect_timeout), child_(std::move(child)) {}

  std::optional<std::string> crashed() override {
    // A crash while handling the scenario's last disconnects shows a moment later.
    auto status = child_->exit_status();
    for (int i = 0; i < 10 && !status; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      status = child_->exit_status();
    }
    if (!status) return std::nullopt;
    std::string report = "target " + *status;
    if (auto tail = child_->stderr_tail(); !tail.empty()) report += "; its last stderr lines:\n" + tail;
    return report;
  }

 private:
  std::unique_ptr<ChildProcess> child_;
};

std::string default_server_binary() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "relaycheck-server";
  return (self.parent_path() / "relaycheck-server").string();
}

class SpawnTarget final : public Target {
 public:
  explicit SpawnTarget(TargetOptions options) : options_(std::move(options)) {
    if (options_.server_binary.empty()) options_.server_binary = default_server_binary();
  }

  std::string describe() const override { return "spawn"; }
  void check(const std::string&) override {
    if (::access(options_.server_binary.c_str(), X_OK) != 0)
      throw TargetError("cannot run the reference server '" + options_.server_binary + "'");
  }
  std::unique_ptr<Transport> connect(const std::string& protocol) override {
    std::unique_ptr<ChildProcess> child;
    try {
      child = std::make_unique<ChildProcess>(std::vector<std::string>{
          options_.server_binary, "--protocol", protocol, "--listen", "127.0.0.1:0", "--log-level", "warn"});
    } catch (const std::exception& e) {
      throw TargetError(e.what());
    }
    // The server prints "listening on 127.0.0.1:PORT" once it accepts connections.
    auto line = child->read_line(options_.start_timeout);
    const std::string prefix = "listening on ";
    std::optional<proto::HostPort> address;
    if (line && line->rfind(prefix, 0) == 0) address = proto::parse_host_port(line->substr(prefix.size()));
    if (!address) {
      const auto status = child->exit_status();
      throw TargetError("reference server did not start" + (status ? " (" + *status + ")" : std::string()) + ": " +
                        child->stderr_tail(3));
    }
    return std::make_unique<SpawnedTransport>(std::move(child), resolve(*address), "spawned " + line->substr(prefix.size()),
                                              options_.connect_timeout);
  }
  bool isolated() const override { return true; }

 private:
  TargetOptions options_;
};

}  // namespace

std::unique_ptr<Target> make_address_target(const proto::HostPort& address, const TargetOptions& options) {
  return std::make_unique<AddressTarget>(address, options);
}

std::unique_ptr<Target> make_spawn_target(const TargetOptions& options) {
  return std::make_unique<SpawnTarget>(options);
}

}  // namespace relaycheck::harness
