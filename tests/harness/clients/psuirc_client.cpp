// A small psuirc client for testing relaycheck's client-testing mode (the harness plays the
// server). Text lines ending in "\n". As soon as it is connected it sends its username as the first
// line (spec 5.1); every line the user types is then sent as it was typed, since the user enters
// the commands themselves (5.2-5.8: liro, lime <room>, room <room>, join <room>, leve <room>,
// send <room> <message>, help). A refused name ("invalid username", "name exists") makes the next
// typed line the new username. "exit" (5.9) is sent to the server; the client ends once the server
// answers "exit successful" or closes the connection.
//
// Flags make it wrong on purpose:
//   --no-username-first  waits for the server to speak before sending its username (a psuirc
//                        server sends nothing on connect, so it never logs in)
//   --no-exit            on "exit" closes the connection without sending exit first
//   psuirc-test-client --port N --name NAME [--no-username-first] [--no-exit]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "loopback.h"

namespace {

int sock = -1;

void send_line(const std::string& line) {
  const std::string out = line + "\n";
  if (::send(sock, out.data(), out.size(), MSG_NOSIGNAL) < 0) {
    ::close(sock);
    std::exit(0);  // the server is gone
  }
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  int port = 0;
  std::string name = "client1";
  bool username_first = true, send_exit = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--port" && i + 1 < argc)
      port = std::stoi(argv[++i]);
    else if (a == "--name" && i + 1 < argc)
      name = argv[++i];
    else if (a == "--no-username-first")
      username_first = false;
    else if (a == "--no-exit")
      send_exit = false;
    else {
      std::cerr << "usage: psuirc-test-client --port N --name NAME [--no-username-first] [--no-exit]\n";
      return 2;
    }
  }
  sock = relaycheck::testing::connect_loopback(port);
  if (sock < 0) {
    std::perror("connect");
    return 1;
  }
  bool name_sent = false, logged_in = false;
  if (username_first) {
    send_line(name);
    name_sent = true;
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
        std::string line = std::move(*next);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::cout << line << std::endl;
        if (!name_sent) {  // the wrong client: it waited for the server to speak first
          send_line(name);
          name_sent = true;
        } else if (line == "welcome user") {
          logged_in = true;
        } else if (line == "exit successful") {
          ::close(sock);
          return 0;
        }
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
        std::string line = std::move(*next);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!name_sent) continue;  // nothing before the username
        if (logged_in && lower(line.substr(0, 4)) == "exit" && (line.size() == 4 || line[4] == ' ')) {
          if (!send_exit) {
            ::close(sock);
            return 0;
          }
        }
        send_line(line);  // a command as typed; before login, another username
      }
    }
  }
}
