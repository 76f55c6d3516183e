#pragma once
// A plain loopback/TCP client socket for the network fuzzer: connect with a timeout, write all,
// read what is there within a timeout. Blocking calls bounded by poll(); no Asio, no threads,
// so thousands of short sessions a second cost little.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace relaycheck::harness::netfuzz {

using Millis = std::chrono::milliseconds;

class Socket {
 public:
  Socket() = default;
  ~Socket() { close(); }
  Socket(Socket&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Socket& operator=(Socket&& other) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  // Empty on success, else why (e.g. "Connection refused").
  std::string connect(const std::string& host, std::uint16_t port, Millis timeout);
  // False when the peer is gone.
  bool write_all(std::string_view bytes);
  enum class Read { data, closed, timeout };
  // Appends what arrives within `timeout` to `into`.
  Read read_some(std::string& into, Millis timeout);
  // Tells the peer we are done sending (it reads end-of-file) and keeps reading possible.
  void shutdown_write();
  bool is_open() const { return fd_ >= 0; }
  void close();

 private:
  int fd_ = -1;
};

}  // namespace relaycheck::harness::netfuzz
