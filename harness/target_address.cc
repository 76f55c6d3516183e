// A server that is already listening at HOST:PORT, shared by all scenarios. Its other channels
// and attributes are what the profile (or the command line) says, since nothing announces them.
#include "harness/server_access.h"
#include "harness/target_impl.h"
#include "harness/target_tcp.h"

namespace relaycheck::harness {

namespace {

using boost::asio::ip::tcp;

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
  AddressTarget(proto::HostPort address, TargetOptions options)
      : address_(std::move(address)), options_(std::move(options)) {}

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

}  // namespace

std::unique_ptr<Target> make_address_target(const proto::HostPort& address, const TargetOptions& options) {
  return std::make_unique<AddressTarget>(address, options);
}

}  // namespace relaycheck::harness
