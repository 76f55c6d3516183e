#include "harness/transport/connection.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <cerrno>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace relaycheck::harness::transport {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

asio::io_context& blocking_io() {
  static asio::io_context io;  // never run: blocking calls only register their sockets with it
  return io;
}

// poll() on one descriptor for `events`, retried on EINTR: >0 ready, 0 timed out, <0 error.
int wait_for(int fd, short events, Millis timeout) {
  pollfd p{fd, events, 0};
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now());
    const int rc = ::poll(&p, 1, static_cast<int>(std::max<Millis::rep>(left.count(), 0)));
    if (rc >= 0 || errno != EINTR) return rc;
  }
}

std::string message_of(int err) { return error_code(err, boost::system::system_category()).message(); }

// A socket the processes relaycheck launches do not inherit: a child holding a copy would keep
// the connection open after our close, and the server under test would not see it end.
error_code open_close_on_exec(tcp::socket& socket, const tcp& protocol) {
  error_code ec;
  const int fd = ::socket(protocol.family(), SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return error_code(errno, boost::system::system_category());
  socket.assign(protocol, fd, ec);
  return ec;
}

}  // namespace

Connection::Connection() : socket_(blocking_io()) {}

Connection::Connection(asio::io_context& io) : socket_(io) {}

void Connection::set_no_delay() {
  error_code ec;
  socket_.set_option(tcp::no_delay(true), ec);
}

std::string Connection::connect(const std::vector<tcp::endpoint>& endpoints, Millis timeout) {
  std::string why = "no address to connect to";
  for (const auto& to : endpoints) {
    why = connect_one(to, timeout);
    if (why.empty()) return why;
  }
  return why;
}

std::string Connection::connect(const std::string& host, std::uint16_t port, Millis timeout) {
  error_code ec;
  // A literal address needs no resolver (the fuzzer connects thousands of times a second).
  const auto address = asio::ip::make_address(host, ec);
  if (!ec) return connect(std::vector<tcp::endpoint>{{address, port}}, timeout);
  tcp::resolver resolver(blocking_io());
  const auto results = resolver.resolve(host, std::to_string(port), ec);
  if (ec) return "cannot resolve " + host + ": " + ec.message();
  std::vector<tcp::endpoint> endpoints;
  for (const auto& r : results) endpoints.push_back(r.endpoint());
  return connect(endpoints, timeout);
}

std::string Connection::accept(tcp::acceptor& listener, Millis within) {
  close();
  const int rc = wait_for(listener.native_handle(), POLLIN, within);
  if (rc == 0) return "timed out after " + std::to_string(within.count()) + " ms";
  if (rc < 0) return message_of(errno);
  error_code ec;
  listener.non_blocking(true, ec);  // a client that gave up since poll() leaves nothing to wait for
  listener.accept(socket_, ec);
  if (ec) return ec.message();
  ::fcntl(socket_.native_handle(), F_SETFD, FD_CLOEXEC);  // as open_close_on_exec
  set_no_delay();
  return {};
}

std::string Connection::connect_one(const tcp::endpoint& to, Millis timeout) {
  close();
  if (auto ec = open_close_on_exec(socket_, to.protocol())) return ec.message();
  const int fd = socket_.native_handle();
  // Non-blocking for the connect alone, so it can be bounded; blocking again afterwards.
  error_code ec;
  socket_.non_blocking(true, ec);
  int rc = ::connect(fd, to.data(), static_cast<socklen_t>(to.size()));
  int err = rc == 0 ? 0 : errno;
  if (rc != 0 && err == EINPROGRESS) {
    rc = wait_for(fd, POLLOUT, timeout);
    if (rc == 0) {
      close();
      return "timed out after " + std::to_string(timeout.count()) + " ms";
    }
    socklen_t len = sizeof err;
    if (rc < 0)
      err = errno;
    else if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
      err = errno;
  }
  if (err != 0) {
    close();
    return message_of(err);
  }
  socket_.non_blocking(false, ec);
  set_no_delay();
  return {};
}

std::string Connection::write(std::string_view bytes) {
  if (!socket_.is_open()) return "the connection is closed";
  error_code ec;
  asio::write(socket_, asio::buffer(bytes.data(), bytes.size()), ec);  // MSG_NOSIGNAL on Linux
  return ec ? ec.message() : std::string();
}

Connection::Read Connection::read_some(std::string& into, Millis within) {
  if (!socket_.is_open()) return {Read::Kind::closed, "closed"};
  const int rc = wait_for(socket_.native_handle(), POLLIN, within);
  if (rc == 0) return {};
  if (rc < 0) return {Read::Kind::closed, message_of(errno)};
  char buffer[64 * 1024];
  error_code ec;
  const std::size_t n = socket_.read_some(asio::buffer(buffer), ec);
  if (ec == asio::error::eof) return {Read::Kind::closed, "closed"};
  if (ec) return {Read::Kind::closed, ec.message()};
  into.append(buffer, n);
  return {Read::Kind::data, {}};
}

void Connection::shutdown_write() {
  error_code ec;
  socket_.shutdown(tcp::socket::shutdown_send, ec);
}

void Connection::shutdown_both() {
  error_code ec;
  socket_.shutdown(tcp::socket::shutdown_both, ec);
}

void Connection::close() {
  error_code ec;
  socket_.close(ec);
}

asio::awaitable<error_code> Connection::async_connect(tcp::endpoint to) {
  close();
  if (auto ec = open_close_on_exec(socket_, to.protocol())) co_return ec;
  error_code ec;
  co_await socket_.async_connect(to, asio::redirect_error(asio::use_awaitable, ec));
  if (!ec) set_no_delay();
  co_return ec;
}

asio::awaitable<error_code> Connection::async_write(std::string_view bytes) {
  error_code ec;
  co_await asio::async_write(socket_, asio::buffer(bytes.data(), bytes.size()),
                             asio::redirect_error(asio::use_awaitable, ec));
  co_return ec;
}

asio::awaitable<error_code> Connection::async_read_some(std::span<char> buffer, std::size_t& got) {
  error_code ec;
  got = co_await socket_.async_read_some(asio::buffer(buffer.data(), buffer.size()),
                                         asio::redirect_error(asio::use_awaitable, ec));
  co_return ec;
}

}  // namespace relaycheck::harness::transport
