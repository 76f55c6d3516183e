// A client under test: relaycheck plays the server, launches the client per scenario with
// {port} pointing at itself, and accepts the client's connections when a scenario asks.
#include <fcntl.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "harness/target_impl.h"
#include "harness/target_tcp.h"
#include "harness/transport/launcher.h"

namespace relaycheck::harness {

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

// relaycheck plays the server: it listens on a free loopback port, launches the client under
// test with {port}, and accepts the client's connections when a scenario asks for them.
class ClientTransport final : public TcpTransport {
 public:
  ClientTransport(const LaunchSpec& spec, const std::string& protocol,
                  const std::map<std::string, std::string>& attributes)
      : TcpTransport({}, "client", Millis{0}), attributes_(attributes) {
    acceptor_ = std::make_unique<tcp::acceptor>(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    ::fcntl(acceptor_->native_handle(), F_SETFD, FD_CLOEXEC);  // the client must not inherit our listener
    transport::LaunchRequest request;
    request.protocol = protocol;
    request.label = "the client";
    request.port = acceptor_->local_endpoint().port();
    request.wait_ready = false;  // a client listens on nothing: it connects to relaycheck
    request.pipe_stdin = true;
    client_ = std::make_unique<transport::Launched>(spec, request);
  }

  void accept(const std::string& conn, Millis within) override {
    transport::Connection c;
    if (auto why = c.accept(*acceptor_, within); !why.empty()) {
      if (why.starts_with("timed out"))
        throw TargetError("the client did not connect within " + std::to_string(within.count()) + "ms");
      throw TargetError("accept: " + why);
    }
    connections_.insert_or_assign(conn, std::move(c));
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
  asio::io_context io_;  // never run: the acceptor is polled (Connection::accept)
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

std::unique_ptr<Target> make_client_target(const LaunchSpec& spec, const std::string& label,
                                           std::map<std::string, std::string> attributes) {
  return std::make_unique<ClientTarget>(spec, label, std::move(attributes));
}

}  // namespace relaycheck::harness
