#include "harness/server_access.h"

#include <filesystem>

#include <boost/asio/io_context.hpp>

#include "harness/target.h"

namespace relaycheck::harness {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

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

}  // namespace relaycheck::harness
