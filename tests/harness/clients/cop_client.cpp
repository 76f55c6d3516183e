// A small cop (ChatOS) client for testing relaycheck's client-testing mode (the harness plays the
// server). Binary frames as in section 3 of the spec: a 1-byte opcode, int32 big-endian length +
// UTF-8 strings, int64 connect ids.
//
// It logs in with LOGIN (0) as soon as it is connected and reads the user's lines (section 2.7):
//   text               a public message: PUBLIC_MSG (4) sender=<nickname> message=text
//   @bob text          a private message: PRIVATE_MSG (5) sender=<nickname> receiver=bob message=text
//   /bob               asks bob for a private connection: PRIVATE_REQUEST (3) <nickname>, bob
//   /bob text          once the private connection with bob is established, text goes over it
//   /accept bob        accepts bob's pending request: PRIVATE_ACCEPT (7) sender=bob receiver=<nickname>
//   /refuse bob        refuses it: PRIVATE_REFUSE (8) sender=bob receiver=<nickname>
//   /quit              closes every connection (the public one and the private ones) and exits
// Before LOGIN_ACCEPTED (1) nothing but LOGIN is sent; after LOGIN_REFUSED (2) the next line is
// taken as another nickname. On CONNECT_ID (9) it opens a new TCP connection to the same port and
// sends PRIVATE_CONNECT (10) with the id; after PRIVATE_ESTABLISHED (11) that connection is a
// bridge, over which it writes its messages as PRIVATE_MSG frames.
//
// A flag makes it wrong on purpose: --spoof-sender puts another nickname in the sender field of
// public and private messages.
//   cop-test-client --port N --name NAME [--spoof-sender]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>

#include <vector>
#include "loopback.h"

namespace {

enum Op : unsigned char {
  kLogin = 0,
  kLoginAccepted = 1,
  kLoginRefused = 2,
  kPrivateRequest = 3,
  kPublicMsg = 4,
  kPrivateMsg = 5,
  kUnknownUser = 6,
  kPrivateAccept = 7,
  kPrivateRefuse = 8,
  kConnectId = 9,
  kPrivateConnect = 10,
  kPrivateEstablished = 11,
};

struct Frame {
  unsigned char op = 0;
  std::vector<std::string> strings;
  std::int64_t id = 0;
};

// Strings and whether a Long follows, per opcode (section 3's tables; 4 is public, 5 private).
int strings_of(unsigned char op) {
  switch (op) {
    case kLogin:
    case kLoginAccepted:
    case kLoginRefused:
    case kUnknownUser:
      return 1;
    case kPrivateRequest:
    case kPublicMsg:
    case kPrivateAccept:
    case kPrivateRefuse:
    case kConnectId:
      return 2;
    case kPrivateMsg:
      return 3;
    default:
      return 0;
  }
}
bool has_id(unsigned char op) { return op == kConnectId || op == kPrivateConnect; }

void put_int32(std::string& out, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out += static_cast<char>((v >> s) & 0xff);
}

std::string encode(unsigned char op, const std::vector<std::string>& strings, std::int64_t id = 0) {
  std::string out(1, static_cast<char>(op));
  for (const auto& s : strings) {
    put_int32(out, static_cast<std::uint32_t>(s.size()));
    out += s;
  }
  if (has_id(op)) {
    const auto u = static_cast<std::uint64_t>(id);
    for (int s = 56; s >= 0; s -= 8) out += static_cast<char>((u >> s) & 0xff);
  }
  return out;
}

std::uint32_t get_int32(const std::string& b, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

// Takes one whole frame off the front of `buf`; nullopt when it is not complete yet. A frame the
// client cannot understand (an unknown opcode, a bad length) sets `bad`.
std::optional<Frame> take_frame(std::string& buf, bool& bad) {
  if (buf.empty()) return std::nullopt;
  Frame f;
  f.op = static_cast<unsigned char>(buf[0]);
  if (f.op > kPrivateEstablished) {
    bad = true;
    return std::nullopt;
  }
  std::size_t at = 1;
  for (int i = 0; i < strings_of(f.op); ++i) {
    if (buf.size() < at + 4) return std::nullopt;
    const auto len = static_cast<std::int32_t>(get_int32(buf, at));
    if (len < 0 || len > 1024) {
      bad = true;
      return std::nullopt;
    }
    if (buf.size() < at + 4 + static_cast<std::size_t>(len)) return std::nullopt;
    f.strings.push_back(buf.substr(at + 4, static_cast<std::size_t>(len)));
    at += 4 + static_cast<std::size_t>(len);
  }
  if (has_id(f.op)) {
    if (buf.size() < at + 8) return std::nullopt;
    const std::uint64_t hi = get_int32(buf, at), lo = get_int32(buf, at + 4);
    f.id = static_cast<std::int64_t>((hi << 32) | lo);
    at += 8;
  }
  buf.erase(0, at);
  return f;
}

int port = 0;

int connect_to_server() { return relaycheck::testing::connect_loopback(port); }

bool send_all(int fd, const std::string& bytes) {
  return ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
}

// A private connection: opened on CONNECT_ID, a bridge once PRIVATE_ESTABLISHED arrived.
struct Private {
  int fd = -1;
  bool established = false;
  std::string in;
};

}  // namespace

int main(int argc, char** argv) {
  std::string name = "client1";
  bool spoof = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--port" && i + 1 < argc)
      port = std::stoi(argv[++i]);
    else if (a == "--name" && i + 1 < argc)
      name = argv[++i];
    else if (a == "--spoof-sender")
      spoof = true;
    else {
      std::cerr << "usage: cop-test-client --port N --name NAME [--spoof-sender]\n";
      return 2;
    }
  }
  const int sock = connect_to_server();
  if (sock < 0) {
    std::perror("connect");
    return 1;
  }
  std::string me = name;
  bool logged_in = false, refused = false;
  std::set<std::string> requests_from;      // users waiting for our answer
  std::map<std::string, Private> privates;  // by the other user's nickname
  auto sender = [&] { return spoof ? me + "_x" : me; };
  auto close_all = [&] {
    for (auto& [peer, p] : privates) ::close(p.fd);
    ::close(sock);
  };
  if (!send_all(sock, encode(kLogin, {me}))) return 0;

  std::string from_server, from_user;
  bool stdin_open = true;
  while (true) {
    std::vector<pollfd> fds = {{sock, POLLIN, 0}, {STDIN_FILENO, static_cast<short>(stdin_open ? POLLIN : 0), 0}};
    std::vector<std::string> peers;
    for (auto& [peer, p] : privates) {
      fds.push_back({p.fd, POLLIN, 0});
      peers.push_back(peer);
    }
    if (::poll(fds.data(), fds.size(), -1) < 0) continue;
    char buf[4096];
    if (fds[0].revents) {
      const ssize_t n = ::recv(sock, buf, sizeof buf, 0);
      if (n <= 0) {  // the server closed: the private connections go with it
        close_all();
        return 0;
      }
      from_server.append(buf, static_cast<std::size_t>(n));
      bool bad = false;
      while (auto f = take_frame(from_server, bad)) {
        const auto& s = f->strings;
        switch (f->op) {
          case kLoginAccepted:
            logged_in = true;
            std::cout << "logged in as " << me << std::endl;
            break;
          case kLoginRefused:
            refused = true;
            std::cout << "nickname " << me << " refused; type another" << std::endl;
            break;
          case kPrivateRequest:
            requests_from.insert(s[0]);
            std::cout << s[0] << " asks for a private connection: /accept " << s[0] << " or /refuse " << s[0]
                      << std::endl;
            break;
          case kPublicMsg:
            std::cout << s[0] << ": " << s[1] << std::endl;
            break;
          case kPrivateMsg:
            std::cout << "[private] " << s[0] << ": " << s[2] << std::endl;
            break;
          case kUnknownUser:
            std::cout << "unknown user " << s[0] << std::endl;
            break;
          case kPrivateAccept:
            std::cout << s[1] << " accepted the private connection" << std::endl;
            break;
          case kPrivateRefuse:
            std::cout << s[1] << " refused the private connection" << std::endl;
            break;
          case kConnectId: {
            const std::string peer = s[0] == me ? s[1] : s[0];
            const int fd = connect_to_server();
            if (fd < 0 || !send_all(fd, encode(kPrivateConnect, {}, f->id))) {
              std::cout << "cannot open the private connection with " << peer << std::endl;
              if (fd >= 0) ::close(fd);
              break;
            }
            if (privates.count(peer)) ::close(privates[peer].fd);
            privates[peer] = Private{fd, false, {}};
            break;
          }
          default:
            bad = true;
            break;  // 0, 10, 11 never come on the public connection
        }
        if (bad) break;
      }
      if (bad) {
        std::cout << "the server sent something that is not a cop frame; leaving" << std::endl;
        close_all();
        return 0;
      }
    }
    for (std::size_t i = 0; i < peers.size(); ++i) {
      if (!fds[2 + i].revents) continue;
      Private& p = privates[peers[i]];
      const ssize_t n = ::recv(p.fd, buf, sizeof buf, 0);
      if (n <= 0) {
        std::cout << "the private connection with " << peers[i] << " closed" << std::endl;
        ::close(p.fd);
        privates.erase(peers[i]);
        continue;
      }
      if (!p.established) {  // the first byte is PRIVATE_ESTABLISHED; the rest is the bridge
        if (static_cast<unsigned char>(buf[0]) != kPrivateEstablished) {
          ::close(p.fd);
          privates.erase(peers[i]);
          continue;
        }
        p.established = true;
        std::cout << "private connection with " << peers[i] << " established" << std::endl;
        p.in.append(buf + 1, static_cast<std::size_t>(n - 1));
      } else {
        p.in.append(buf, static_cast<std::size_t>(n));
      }
      bool bad = false;
      while (auto f = take_frame(p.in, bad))
        if (f->op == kPrivateMsg) std::cout << "[bridge] " << f->strings[0] << ": " << f->strings[2] << std::endl;
      if (bad) p.in.clear();
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
        if (line == "/quit") {  // section 4: close every connection it is involved in
          close_all();
          return 0;
        }
        if (!logged_in) {  // section 2.7: nothing but a login before the server accepted one
          if (refused && !line.empty()) {
            me = line;
            refused = false;
            if (!send_all(sock, encode(kLogin, {me}))) return 0;
          } else {
            std::cout << "not logged in yet" << std::endl;
          }
          continue;
        }
        std::string out;
        if (line.rfind("/accept ", 0) == 0 || line.rfind("/refuse ", 0) == 0) {
          const std::string peer = line.substr(8);
          if (!requests_from.erase(peer)) {
            std::cout << peer << " did not ask for a private connection" << std::endl;
            continue;
          }
          out = encode(line[1] == 'a' ? kPrivateAccept : kPrivateRefuse, {peer, me});
        } else if (line.size() > 1 && line[0] == '/') {
          const auto sp = line.find(' ');
          const std::string peer = line.substr(1, sp == std::string::npos ? std::string::npos : sp - 1);
          const std::string text = sp == std::string::npos ? "" : line.substr(sp + 1);
          auto it = privates.find(peer);
          if (it != privates.end() && it->second.established) {
            if (!text.empty() && !send_all(it->second.fd, encode(kPrivateMsg, {me, peer, text}))) {
              ::close(it->second.fd);
              privates.erase(it);
            }
            continue;
          }
          if (it != privates.end()) {
            std::cout << "the private connection with " << peer << " is not established yet" << std::endl;
            continue;
          }
          out = encode(kPrivateRequest, {me, peer});
        } else if (line.size() > 1 && line[0] == '@') {
          const auto sp = line.find(' ');
          if (sp == std::string::npos) continue;
          out = encode(kPrivateMsg, {sender(), line.substr(1, sp - 1), line.substr(sp + 1)});
        } else {
          out = encode(kPublicMsg, {sender(), line});
        }
        if (!send_all(sock, out)) {
          close_all();
          return 0;
        }
      }
    }
  }
}
