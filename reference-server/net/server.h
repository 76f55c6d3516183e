#pragma once
// The one connection shell every protocol plugs into: it accepts TCP connections, feeds their
// bytes to the protocol's Engine, writes what the engine answers through one writer per
// connection with a bounded queue, and runs the engine's timers. All on one thread (the
// engine is not thread-safe and needs no locks that way).
#include <chrono>
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
  // A client whose unsent output exceeds this is too slow to keep up and is dropped. Counted as
  // the memory the queued frames hold (their capacity), so the limit bounds real memory.
  std::size_t max_queued_bytes = 4 * 1024 * 1024;
  // After the server closes a connection it waits this long for the peer's FIN before
  // resetting, so the last replies are not lost to an RST.
  std::chrono::milliseconds close_linger{2000};
  // Connections open at once (closing ones included); one more is sent refusal_bytes and closed.
  std::size_t max_connections = 10000;
  // Bytes a connection may send towards one frame; more closes it. A backstop under every
  // protocol: each codec has its own limit, answered with the protocol's error.
  std::size_t max_frame_bytes = 1024 * 1024;
  // A connection not logged in this long after connecting is closed (0: never). Applies to
  // engines that report progress (proto::Engine::progress).
  std::chrono::milliseconds handshake_timeout{60'000};
  // A connection that completes no frame for this long is closed, so a byte-a-second dribble
  // does not keep it open (0: never).
  std::chrono::milliseconds idle_timeout{600'000};
  // The protocol's reply to a connection over max_connections and its goodbye on shutdown
  // (proto::ProtocolInfo); empty: just close.
  std::string refusal_bytes;
  std::string shutdown_bytes;
  // How long a graceful shutdown may take to flush before it closes hard (main's signal handler).
  std::chrono::milliseconds shutdown_grace{5000};
  // A second listener for the protocol's control channel (ProtocolInfo::control_channel).
  bool control = false;
  std::string control_host = "127.0.0.1";
  std::uint16_t control_port = 0;
  // control_port is only the default next port: when that is taken, any free port (announced).
  bool control_port_may_move = false;
};

class Server {
 public:
  Server(boost::asio::io_context& io, std::unique_ptr<proto::Engine> engine, ServerConfig config, const Logger& log);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; throws boost::system::system_error when the address is unusable.
  void start();
  // Stops accepting and closes every connection; the io_context then runs out of work.
  void stop();
  // Graceful: stops accepting and reading, sends shutdown_bytes to every client, flushes what is
  // queued (so nothing already acknowledged is lost) and closes; stop() after `grace` at most.
  void shutdown(std::chrono::milliseconds grace);
  // Connections open now (closing ones included).
  std::size_t connection_count() const;
  boost::asio::ip::tcp::endpoint local_endpoint() const;
  boost::asio::ip::tcp::endpoint control_endpoint() const;  // with ServerConfig::control

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace relaycheck::net
