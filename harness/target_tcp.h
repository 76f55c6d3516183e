#pragma once
// What every target over TCP shares (target_address.cc, target_launch.cc, target_client.cc):
// named connections of the one connection type (transport/connection.h), real time.
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "harness/target.h"
#include "harness/transport/connection.h"

namespace relaycheck::harness {

class TcpTransport : public Transport {
 public:
  TcpTransport(std::vector<boost::asio::ip::tcp::endpoint> endpoints, std::string label, Millis connect_timeout);

  void open(const std::string& conn) override { open_to(conn, endpoints_); }
  // Opens `conn` to other endpoints than the target's own (a second channel); throws TargetError.
  void open_to(const std::string& conn, const std::vector<boost::asio::ip::tcp::endpoint>& endpoints);
  std::string write(const std::string& conn, std::string_view bytes) override;
  void close(const std::string& conn) override;
  ReadResult read(const std::string& conn, Millis within) override;
  void advance(Millis d) override;
  long long now_ms() const override;
  bool exact_quiet() const override { return false; }

 protected:
  transport::Connection& get(const std::string& conn);

  std::vector<boost::asio::ip::tcp::endpoint> endpoints_;
  std::string label_;
  Millis connect_timeout_;
  std::chrono::steady_clock::time_point start_;
  std::map<std::string, transport::Connection> connections_;
};

}  // namespace relaycheck::harness
