#pragma once
// The one connection shell every protocol plugs into: it accepts TCP connections, feeds their
// bytes to the protocol's Engine, writes what the engine answers through one writer per
// connection with a bounded queue, and runs the engine's timers. All on one thread (the
// engine is not thread-safe and needs no locks that way).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "net/log.h"
#include "proto/common/engine.h"

namespace relaycheck::net {

struct ServerConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: any free port (see local_endpoint)
  // A client whose unsent output exceeds this is too slow to keep up and is dropped.
  std::size_t max_queued_bytes = 4 * 1024 * 1024;
  // After the server closes a connection it waits this long for the peer's FIN before
  // resetting, so the last replies are not lost to an RST.
  std::chrono::milliseconds close_linger{2000};
};

class Server {
 public:
  Server(boost::asio::io_context& io, std::unique_ptr<proto::Engine> engine, ServerConfig config,
         const Logger& log);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; throws boost::system::system_error when the address is unusable.
  void start();
  // Stops accepting and closes every connection; the io_context then runs out of work.
  void stop();
  boost::asio::ip::tcp::endpoint local_endpoint() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace relaycheck::net
