#pragma once
// A blocking loopback TCP client for the server's limit tests: every wait is bounded.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <string>

namespace relaycheck::testing {

class LoopbackClient {
 public:
  // `receive_buffer`: a small SO_RCVBUF makes a reader that stops reading fill up sooner.
  explicit LoopbackClient(std::uint16_t port, int receive_buffer = 0) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (receive_buffer > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~LoopbackClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  LoopbackClient(const LoopbackClient&) = delete;
  LoopbackClient& operator=(const LoopbackClient&) = delete;

  bool connected() const { return connected_; }

  // False when the server has closed the connection (or the write would block past `within`).
  bool send(const std::string& bytes, std::chrono::milliseconds within = std::chrono::milliseconds(5000)) {
    std::size_t done = 0;
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (done < bytes.size()) {
      if (!wait_for(POLLOUT, deadline)) return false;
      const ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  }

  // Reads what is there now, waiting up to `within` for the first bytes. Sets closed() on EOF
  // or reset; everything read is also kept in received().
  std::string read(std::chrono::milliseconds within) {
    std::string got;
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (!closed_ && wait_for(POLLIN, got.empty() ? deadline : std::chrono::steady_clock::now())) {
      char buf[64 * 1024];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (n <= 0) {
        closed_ = true;
        break;
      }
      got.append(buf, static_cast<std::size_t>(n));
      total_ += static_cast<std::size_t>(n);
    }
    received_ += got;
    return got;
  }

  // Reads until `text` has arrived (true) or `within` passes or the connection closes.
  bool read_until(const std::string& text, std::chrono::milliseconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (received_.find(text) == std::string::npos && !closed_ && std::chrono::steady_clock::now() < deadline)
      read(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
    return received_.find(text) != std::string::npos;
  }

  // Reads (and discards beyond received()) until the server closes; true if it did within `within`.
  bool wait_closed(std::chrono::milliseconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (!closed_ && std::chrono::steady_clock::now() < deadline)
      read(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
    return closed_;
  }

  bool closed() const { return closed_; }
  const std::string& received() const { return received_; }
  void forget_received() { received_.clear(); }
  std::size_t total_bytes() const { return total_; }

 private:
  bool wait_for(short events, std::chrono::steady_clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd p{fd_, events, 0};
    return ::poll(&p, 1, static_cast<int>(std::max<long long>(0, left.count()))) > 0;
  }

  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
  std::string received_;
  std::size_t total_ = 0;
};

}  // namespace relaycheck::testing
