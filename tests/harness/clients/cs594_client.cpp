// A small cs594 client for testing relaycheck's client-testing mode (the harness plays the
// server). It writes each JSON object followed by "\n" and reads a stream of JSON values, back to
// back or separated by whitespace (the framing decision of specs/README.md).
//
// As soon as it is connected it sends LOGIN with its name, and from then on a HEARTBEAT
// ({"op": 8}) every second, counted from the connect (Heart Beat; README: both sides send one
// every second). It does not answer the server's HEARTBEATs: its own cover them. The user types:
//   /rooms                  LIST_ROOMS
//   /users                  LIST_USERS of everyone
//   /users ROOM             LIST_USERS of ROOM
//   /join ROOM              JOIN_ROOM  {op, user, room}
//   /leave ROOM             LEAVE_ROOM {op, user, room}
//   /say ROOM TEXT          MESSAGE    {op, user, room, message}
//   /whisper USER TEXT      WHISPER    {op, sender, target, message}
//   /quit                   closes the connection and exits
// Before the server echoed its LOGIN nothing but LOGIN and HEARTBEAT is sent; after a refused
// name (ERR_ILLEGAL_LEN, ERR_NAME_EXISTS, ERR_ILLEGAL_NAME) the next typed line is another name.
//
// A flag makes it wrong on purpose: --no-heartbeat never sends a HEARTBEAT.
//   cs594-test-client --port N --name NAME [--no-heartbeat]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include "loopback.h"

#include <nlohmann/json.hpp>

namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

enum Op : int {
  kLogin = 1,
  kListRooms = 2,
  kListUsers = 3,
  kJoinRoom = 4,
  kLeaveRoom = 5,
  kMessage = 6,
  kUserExit = 7,
  kHeartbeat = 8,
  kWhisper = 9,
  kErrIllegalLen = 0xC,
  kErrNameExists = 0xD,
  kErrIllegalName = 0xE,
};

int sock = -1;

void send_object(const json& object) {
  const std::string out = object.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  if (::send(sock, out.data(), out.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(out.size())) {
    ::close(sock);
    std::exit(0);  // the server is gone
  }
}

// Takes the first JSON value off the front of `buf`: an object or an array, found by counting
// brackets outside strings. nullopt while it is incomplete. Anything else before it is dropped.
std::optional<std::string> take_value(std::string& buf) {
  std::size_t start = 0;
  while (start < buf.size() && buf[start] != '{' && buf[start] != '[') ++start;
  buf.erase(0, start);
  int depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < buf.size(); ++i) {
    const char c = buf[i];
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      std::string value = buf.substr(0, i + 1);
      buf.erase(0, i + 1);
      return value;
    }
  }
  return std::nullopt;
}

std::string text_of(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return "?";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

// Splits "WORD REST" into WORD and REST (REST empty when there is no space).
std::pair<std::string, std::string> split_first(const std::string& s) {
  const auto sp = s.find(' ');
  if (sp == std::string::npos) return {s, ""};
  return {s.substr(0, sp), s.substr(sp + 1)};
}

}  // namespace

int main(int argc, char** argv) {
  int port = 0;
  std::string name = "client1";
  bool heartbeat = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--port" && i + 1 < argc)
      port = std::stoi(argv[++i]);
    else if (a == "--name" && i + 1 < argc)
      name = argv[++i];
    else if (a == "--no-heartbeat")
      heartbeat = false;
    else {
      std::cerr << "usage: cs594-test-client --port N --name NAME [--no-heartbeat]\n";
      return 2;
    }
  }
  sock = relaycheck::testing::connect_loopback(port);
  if (sock < 0) {
    std::perror("connect");
    return 1;
  }
  auto next_heartbeat = Clock::now() + std::chrono::seconds(1);
  std::string me = name;
  bool logged_in = false, refused = false;
  send_object({{"op", kLogin}, {"username", me}});

  std::string from_server, from_user;
  bool stdin_open = true;
  while (true) {
    int timeout_ms = -1;
    if (heartbeat) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(next_heartbeat - Clock::now()).count();
      timeout_ms = static_cast<int>(std::max<long long>(left, 0));
    }
    pollfd fds[2] = {{sock, POLLIN, 0}, {STDIN_FILENO, static_cast<short>(stdin_open ? POLLIN : 0), 0}};
    if (::poll(fds, 2, timeout_ms) < 0) continue;
    if (heartbeat && Clock::now() >= next_heartbeat) {
      send_object({{"op", kHeartbeat}});
      next_heartbeat += std::chrono::seconds(1);
      // After a stall (a stopped process), beat once and keep to one a second from now.
      if (next_heartbeat <= Clock::now()) next_heartbeat = Clock::now() + std::chrono::seconds(1);
    }
    char buf[4096];
    if (fds[0].revents) {
      const ssize_t n = ::recv(sock, buf, sizeof buf, 0);
      if (n <= 0) {  // the server closed: the client is disconnected (Error Handling)
        std::cout << "disconnected from the server" << std::endl;
        ::close(sock);
        return 0;
      }
      from_server.append(buf, static_cast<std::size_t>(n));
      while (auto text = take_value(from_server)) {
        const json m = json::parse(*text, nullptr, false);
        if (!m.is_object() || !m.contains("op") || !m["op"].is_number_integer()) {
          std::cout << "the server sent something that is not a cs594 message: " << *text << std::endl;
          continue;
        }
        switch (m["op"].get<int>()) {
          case kLogin:
            logged_in = true;
            std::cout << "logged in as " << me << std::endl;
            break;
          case kErrIllegalLen:
          case kErrNameExists:
          case kErrIllegalName:
            if (!logged_in) {
              refused = true;
              std::cout << "name " << me << " refused (error " << m["op"] << "); type another" << std::endl;
            } else {
              std::cout << "error " << m["op"] << std::endl;
            }
            break;
          case kListRooms:
            std::cout << "rooms: " << m.value("rooms", json::array()).dump() << std::endl;
            break;
          case kListUsers:
            std::cout << "users: " << m.value("users", json::array()).dump() << std::endl;
            break;
          case kJoinRoom:
            std::cout << text_of(m, "user") << " joined " << text_of(m, "room") << std::endl;
            break;
          case kLeaveRoom:
            std::cout << text_of(m, "user") << " left " << text_of(m, "room") << std::endl;
            break;
          case kMessage:
            std::cout << "[" << text_of(m, "room") << "] " << text_of(m, "user") << ": " << text_of(m, "message")
                      << std::endl;
            break;
          case kWhisper:
            std::cout << "[whisper] " << text_of(m, "sender") << ": " << text_of(m, "message") << std::endl;
            break;
          case kUserExit:
            std::cout << text_of(m, "user") << " left the server" << std::endl;
            break;
          case kHeartbeat:
            break;  // our own HEARTBEATs, one a second, keep the connection alive
          default:
            std::cout << "error " << m["op"] << std::endl;
            break;
        }
      }
    }
    if (stdin_open && fds[1].revents) {
      const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
      if (n <= 0) {  // no more input: stay connected, heartbeating
        stdin_open = false;
        continue;
      }
      from_user.append(buf, static_cast<std::size_t>(n));
      while (auto next = relaycheck::testing::take_line(from_user)) {
        std::string line = std::move(*next);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line == "/quit") {
          ::close(sock);
          return 0;
        }
        if (!logged_in) {
          if (refused && !line.empty()) {
            me = line;
            refused = false;
            send_object({{"op", kLogin}, {"username", me}});
          } else {
            std::cout << "not logged in yet" << std::endl;
          }
          continue;
        }
        const auto [command, rest] = split_first(line);
        if (command == "/rooms") {
          send_object({{"op", kListRooms}});
        } else if (command == "/users") {
          if (rest.empty())
            send_object({{"op", kListUsers}});
          else
            send_object({{"op", kListUsers}, {"room", rest}});
        } else if (command == "/join" && !rest.empty()) {
          send_object({{"op", kJoinRoom}, {"user", me}, {"room", rest}});
        } else if (command == "/leave" && !rest.empty()) {
          send_object({{"op", kLeaveRoom}, {"user", me}, {"room", rest}});
        } else if (command == "/say") {
          const auto [room, text] = split_first(rest);
          if (room.empty() || text.empty()) continue;
          send_object({{"op", kMessage}, {"user", me}, {"room", room}, {"message", text}});
        } else if (command == "/whisper") {
          const auto [target, text] = split_first(rest);
          if (target.empty() || text.empty()) continue;
          send_object({{"op", kWhisper}, {"sender", me}, {"target", target}, {"message", text}});
        } else {
          std::cout << "commands: /rooms | /users [room] | /join room | /leave room | /say room text | "
                       "/whisper user text | /quit"
                    << std::endl;
        }
      }
    }
  }
}
