#include "harness/target_tcp.h"

#include <thread>

namespace relaycheck::harness {

TcpTransport::TcpTransport(std::vector<boost::asio::ip::tcp::endpoint> endpoints, std::string label,
                           Millis connect_timeout)
    : endpoints_(std::move(endpoints)),
      label_(std::move(label)),
      connect_timeout_(connect_timeout),
      start_(std::chrono::steady_clock::now()) {}

void TcpTransport::open_to(const std::string& conn, const std::vector<boost::asio::ip::tcp::endpoint>& endpoints) {
  transport::Connection c;
  if (auto why = c.connect(endpoints, connect_timeout_); !why.empty())
    throw TargetError("connect to " + label_ + ": " + why);
  connections_.insert_or_assign(conn, std::move(c));
}

std::string TcpTransport::write(const std::string& conn, std::string_view bytes) { return get(conn).write(bytes); }

void TcpTransport::close(const std::string& conn) {
  transport::Connection& c = get(conn);
  c.shutdown_both();
  c.close();
}

ReadResult TcpTransport::read(const std::string& conn, Millis within) {
  ReadResult out;
  const auto r = get(conn).read_some(out.bytes, within);
  using Kind = transport::Connection::Read::Kind;
  out.kind = r.kind == Kind::data     ? ReadResult::Kind::data
             : r.kind == Kind::closed ? ReadResult::Kind::closed
                                      : ReadResult::Kind::timeout;
  out.detail = r.detail;
  return out;
}

void TcpTransport::advance(Millis d) { std::this_thread::sleep_for(d); }

long long TcpTransport::now_ms() const {
  return std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - start_).count();
}

transport::Connection& TcpTransport::get(const std::string& conn) {
  auto it = connections_.find(conn);
  if (it == connections_.end()) throw TargetError("no connection named '" + conn + "'");
  return it->second;
}

}  // namespace relaycheck::harness
