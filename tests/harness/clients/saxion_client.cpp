// A small saxion client for testing relaycheck's client-testing mode (the harness plays the
// server). It logs in, answers PING with PONG, acknowledges relayed keys, broadcasts each stdin
// line and quits on "/quit". Flags make it wrong on purpose: --no-pong never answers PING.
//   saxion-test-client --port N --name NAME [--no-pong]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <iostream>
#include <string>

#include "loopback.h"

namespace {

int sock = -1;

void send_line(const std::string& line) {
  const std::string out = line + "\n";
  if (::send(sock, out.data(), out.size(), MSG_NOSIGNAL) < 0) std::exit(3);
}

}  // namespace

int main(int argc, char** argv) {
  int port = 0;
  std::string name = "client1";
  bool answer_ping = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--port" && i + 1 < argc)
      port = std::stoi(argv[++i]);
    else if (a == "--name" && i + 1 < argc)
      name = argv[++i];
    else if (a == "--no-pong")
      answer_ping = false;
    else {
      std::cerr << "usage: saxion-test-client --port N --name NAME [--no-pong]\n";
      return 2;
    }
  }
  sock = relaycheck::testing::connect_loopback(port);
  if (sock < 0) {
    std::perror("connect");
    return 1;
  }
  std::string from_server, from_user;
  bool stdin_open = true;
  while (true) {
    pollfd fds[2] = {{sock, POLLIN, 0}, {STDIN_FILENO, static_cast<short>(stdin_open ? POLLIN : 0), 0}};
    if (::poll(fds, 2, -1) < 0) continue;
    char buf[4096];
    if (fds[0].revents) {
      const ssize_t n = ::recv(sock, buf, sizeof buf, 0);
      if (n <= 0) return 0;  // the server closed
      from_server.append(buf, static_cast<std::size_t>(n));
      while (auto next = relaycheck::testing::take_line(from_server)) {
        const std::string& line = *next;
        if (line.rfind("INIT", 0) == 0)
          send_line("IDENT " + name);
        else if (line == "PING" && answer_ping)
          send_line("PONG");
        else if (line.rfind("PM_PUBKEY ", 0) == 0)
          send_line("OK PM_PUBKEY");
        else if (line.rfind("PM_SESSIONKEY ", 0) == 0)
          send_line("OK PM_SESSIONKEY");
        else if (line == "OK GOODBYE")
          return 0;
      }
    }
    if (stdin_open && fds[1].revents) {
      const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
      if (n <= 0) {
        stdin_open = false;
        continue;
      }
      from_user.append(buf, static_cast<std::size_t>(n));
      while (auto next = relaycheck::testing::take_line(from_user)) {
        const std::string& line = *next;
        send_line(line == "/quit" ? "QUIT" : "BCST " + line);
      }
    }
  }
}
