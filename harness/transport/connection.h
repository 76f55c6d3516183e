#pragma once
// The one TCP client connection of run, load and fuzz: an Asio socket used blocking-style
// (connect with a timeout, write, read with a deadline, half-close) or from coroutines.
// Blocking calls wait in poll() on the socket alone, never by running an io_context, so one
// connection costs no timer and no event loop, and an io_context that coroutines run is never
// run from a second place.
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace relaycheck::harness::transport {

using Millis = std::chrono::milliseconds;

class Connection {
 public:
  // For blocking use: the socket lives on a process-wide io_context that nobody runs.
  Connection();
  // For coroutines (the async_ calls) on `io`; blocking calls work too.
  explicit Connection(boost::asio::io_context& io);
  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() = default;  // closes (no linger: a close never blocks)

  // Tries each endpoint in turn. Empty on success, else why the last one failed
  // ("Connection refused", "timed out after 2000 ms").
  std::string connect(const std::vector<boost::asio::ip::tcp::endpoint>& endpoints, Millis timeout);
  // The same after resolving host (a name or an address); empty on success, else why.
  std::string connect(const std::string& host, std::uint16_t port, Millis timeout);
  // Where relaycheck plays the server: the next connection `listener` takes within `within`.
  // Empty on success, else why ("timed out after 500 ms").
  std::string accept(boost::asio::ip::tcp::acceptor& listener, Millis within);

  // Writes all of `bytes` (blocking while the kernel's buffer is full). Empty on success, else
  // why (the peer may have gone); never raises SIGPIPE.
  std::string write(std::string_view bytes);

  struct Read {
    enum class Kind { data, closed, timeout };
    Kind kind = Kind::timeout;
    std::string detail;  // closed: "closed" for the peer's end-of-file, else the error
  };
  // Appends what arrives within `within` (one read, up to 64 KiB) to `into`: data, the peer's
  // close, or nothing (timeout). A closed connection reads as closed at once.
  Read read_some(std::string& into, Millis within);

  // Ends our sending (the peer reads end-of-file); reading stays possible.
  void shutdown_write();
  // Ends both directions before a close: the peer sees end-of-file even if the socket lingers.
  void shutdown_both();
  void close();
  bool is_open() const { return socket_.is_open(); }

  // Coroutine forms on the io_context given at construction; errors as codes, never thrown.
  boost::asio::awaitable<boost::system::error_code> async_connect(boost::asio::ip::tcp::endpoint to);
  boost::asio::awaitable<boost::system::error_code> async_write(std::string_view bytes);
  // Sets `got` to the bytes read into `buffer`; eof when the peer has closed.
  boost::asio::awaitable<boost::system::error_code> async_read_some(std::span<char> buffer, std::size_t& got);

 private:
  std::string connect_one(const boost::asio::ip::tcp::endpoint& to, Millis timeout);
  void set_no_delay();

  boost::asio::ip::tcp::socket socket_;
};

}  // namespace relaycheck::harness::transport
