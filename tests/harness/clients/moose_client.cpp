// A small moose client (an operator's client, spec section 2) for testing relaycheck's
// client-testing mode (the harness plays the server). One raw packet per line, sealed with the
// reference code's envelope (reference-server/proto/moose/): blocks of at most 214 bytes,
// RSA-OAEP to the server's public key, "to": "server"; what arrives is opened with its own key.
//
// On start it makes a 2048-bit key pair (or reads one: --key, so that many clients started at
// once under load do not each spend seconds finding primes) and a UUID, and sends `key` (2.1). It answers `probe`
// with `probeACK` (2.4); when nothing has come from the server for --server-silence seconds it
// sends `key` again, every --server-silence seconds, until the server is heard (2.4). It ignores
// raw packets not addressed to a client (a bounce, 1.2). The user types:
//   /accept        ringACK for the latest ring (2.2); a ring not accepted is ignored
//   TEXT           msg ["TEXT"], I/O out, while in a chat (2.5)
//   /composing     chat_state composing, I/O out (1.1.11)
//   /paused        chat_state paused, I/O out
//   /close         disassociate: ends the chat (2.6)
//   /quit          disconnect (2.7), then closes the connection and exits
//
// Flags make it wrong on purpose (the moose-wrong-test-client profile lists what each breaks):
//   --no-probe-ack     never answers a probe
//   --msg-as-string    sends a msg body as a string, not a list (1.1.5: "List of message bodys")
//   --ignore-to        opens packets whatever their "to" says, bounces included
//   --to-client        addresses its own packets to "client", so a server takes them for bounces
//   moose-test-client --port N --server-key PEM [--key PEM] [--name NAME] [--server-silence S] [flags]
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>

#include "loopback.h"

#include <nlohmann/json.hpp>

#include "proto/moose/ciphers.h"
#include "proto/moose/envelope.h"
#include "proto/moose/rsa_key.h"

namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace moose = relaycheck::proto::moose;

struct Faults {
  bool no_probe_ack = false;
  bool msg_as_string = false;
  bool ignore_to = false;
  bool to_client = false;
};

int sock = -1;

std::string random_uuid() {
  std::random_device rd;
  std::uniform_int_distribution<int> hex(0, 15);
  std::string u = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx";
  for (char& c : u) {
    if (c == 'x')
      c = "0123456789abcdef"[hex(rd)];
    else if (c == 'y')
      c = "89ab"[hex(rd) % 4];
  }
  return u;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class Client {
 public:
  Client(moose::RsaKey own, std::shared_ptr<const moose::PeerKey> server, Faults faults)
      : own_pem_(own.public_pem()),
        envelope_(std::make_shared<moose::RsaCipher>(std::move(own))),
        server_(std::move(server)),
        faults_(faults) {}

  void send(const json& packet) {
    const std::string line = envelope_.seal(packet.dump(), *server_, uuid_, faults_.to_client ? "client" : "server");
    if (::send(sock, line.data(), line.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(line.size())) {
      ::close(sock);
      std::exit(0);  // the server is gone
    }
  }

  void send_key() { send({{"type", "key"}, {"UUID", uuid_}, {"key", own_pem_}}); }

  // One raw packet line from the server.
  void on_line(const std::string& raw) {
    std::string line = raw;
    if (faults_.ignore_to) {  // wrong on purpose: whatever "to" says, open it as ours
      json r = json::parse(line, nullptr, false);
      if (r.is_object()) {
        r["to"] = "client";
        line = r.dump();
      }
    }
    auto opened = envelope_.open(line, "client");
    if (auto* e = std::get_if<relaycheck::proto::DecodeError>(&opened)) {
      std::cout << "dropped a packet: " << e->describe() << std::endl;  // a bounce, or not for this key
      return;
    }
    const json p = json::parse(std::get<moose::Opened>(opened).inner, nullptr, false);
    if (!p.is_object()) return;
    heard_ = Clock::now();
    const std::string type = p.value("type", "");
    if (type == "ring") {
      ring_ = p.value("ID", json());
      std::cout << "ring from " << p.value("group", json()).dump() << " (ID " << ring_.dump() << "): /accept to take it"
                << std::endl;
    } else if (type == "ringACKACK") {
      const bool ours = p.value("ID", json()) == accepted_;
      if (ours && p.value("UUID", "") == uuid_) {
        in_chat_ = true;
        std::cout << "chat opened" << std::endl;
      } else if (ours) {
        std::cout << "another operator took the call" << std::endl;
      }
      if (p.value("ID", json()) == ring_) ring_ = json();
    } else if (type == "probe") {
      if (!faults_.no_probe_ack) send({{"type", "probeACK"}, {"UUID", uuid_}});
    } else if (type == "msg") {
      for (const auto& body : p.value("msg", json::array()))
        std::cout << "> " << (body.is_string() ? body.get<std::string>() : body.dump()) << std::endl;
    } else if (type == "chat_state") {
      std::cout << "(the user is " << p.value("state", json()).dump() << ")" << std::endl;
    } else if (type == "status") {
      std::cout << "services: " << p.value("services", json()).dump() << std::endl;
    } else if (type == "server_online") {
      std::cout << "server online" << std::endl;
    }
  }

  // One line the operator typed; false to quit.
  bool on_input(const std::string& line) {
    if (line == "/quit") {
      send({{"type", "disconnect"}, {"UUID", uuid_}});
      return false;
    }
    if (line == "/accept") {
      if (ring_.is_null()) {
        std::cout << "no ring to accept" << std::endl;
      } else {
        accepted_ = ring_;
        send({{"type", "ringACK"}, {"UUID", uuid_}, {"ID", ring_}});
      }
    } else if (!in_chat_) {
      std::cout << "not in a chat" << std::endl;
    } else if (line == "/close") {
      send({{"type", "disassociate"}, {"UUID", uuid_}});
      in_chat_ = false;
    } else if (line == "/composing" || line == "/paused") {
      send({{"type", "chat_state"}, {"UUID", uuid_}, {"I/O", "out"}, {"state", line.substr(1)}});
    } else {
      const json body = faults_.msg_as_string ? json(line) : json::array({line});
      send({{"type", "msg"}, {"msg", body}, {"I/O", "out"}, {"UUID", uuid_}});
    }
    return true;
  }

  Clock::time_point heard() const { return heard_; }
  void heard_now() { heard_ = Clock::now(); }

 private:
  std::string uuid_ = random_uuid();
  std::string own_pem_;
  moose::Envelope envelope_;
  std::shared_ptr<const moose::PeerKey> server_;
  Faults faults_;
  json ring_;      // the latest ring not yet settled
  json accepted_;  // the ring ID this client sent ringACK for
  bool in_chat_ = false;
  Clock::time_point heard_ = Clock::now();
};

}  // namespace

int main(int argc, char** argv) {
  int port = 0;
  std::string server_key_path, key_path;
  double silence_s = 10;
  Faults faults;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--port" && i + 1 < argc)
      port = std::stoi(argv[++i]);
    else if (a == "--server-key" && i + 1 < argc)
      server_key_path = argv[++i];
    else if (a == "--key" && i + 1 < argc)
      key_path = argv[++i];
    else if (a == "--name" && i + 1 < argc)
      ++i;  // the operator's name is not on the wire
    else if (a == "--server-silence" && i + 1 < argc)
      silence_s = std::stod(argv[++i]);
    else if (a == "--no-probe-ack")
      faults.no_probe_ack = true;
    else if (a == "--msg-as-string")
      faults.msg_as_string = true;
    else if (a == "--ignore-to")
      faults.ignore_to = true;
    else if (a == "--to-client")
      faults.to_client = true;
    else {
      std::cerr << "usage: moose-test-client --port N --server-key PEM [--key PEM] [--name NAME] [--server-silence S] "
                   "[--no-probe-ack] [--msg-as-string] [--ignore-to] [--to-client]\n";
      return 2;
    }
  }
  const auto server_pem = read_file(server_key_path);
  std::optional<moose::RsaKey> own;
  try {
    own = key_path.empty() ? moose::RsaKey::generate(2048) : moose::RsaKey::from_pem_file(key_path);
  } catch (const moose::KeyError& e) {
    std::cerr << "moose-test-client: " << e.what() << "\n";
    return 2;
  }
  if (!own->has_private()) {
    std::cerr << "moose-test-client: " << key_path << " holds no private key\n";
    return 2;
  }
  auto server = moose::RsaCipher(*own).load_peer_key(server_pem);
  if (!server) {
    std::cerr << "moose-test-client: "
              << (server_key_path.empty() ? "give --server-key"
                                          : server_key_path + " is not an RSA public key of 2048 bits or more")
              << "\n";
    return 2;
  }
  Client client(std::move(*own), std::move(server), faults);
  sock = relaycheck::testing::connect_loopback(port);
  if (sock < 0) {
    std::perror("connect");
    return 1;
  }
  client.send_key();
  const auto silence = std::chrono::milliseconds(static_cast<long long>(silence_s * 1000));

  std::string from_server, from_user;
  bool stdin_open = true;
  while (true) {
    const auto rekey_at = client.heard() + silence;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(rekey_at - Clock::now()).count();
    pollfd fds[2] = {{sock, POLLIN, 0}, {STDIN_FILENO, static_cast<short>(stdin_open ? POLLIN : 0), 0}};
    if (::poll(fds, 2, static_cast<int>(std::max<long long>(left, 0))) < 0) continue;
    if (Clock::now() >= rekey_at) {  // the server said nothing for X seconds: maybe it is gone (2.4)
      std::cout << "the server is silent; sending key again" << std::endl;
      client.send_key();
      client.heard_now();  // the next key X seconds from now
    }
    char buf[4096];
    if (fds[0].revents) {
      const ssize_t n = ::recv(sock, buf, sizeof buf, 0);
      if (n <= 0) {
        std::cout << "disconnected from the server" << std::endl;
        ::close(sock);
        return 0;
      }
      from_server.append(buf, static_cast<std::size_t>(n));
      while (auto line = relaycheck::testing::take_line(from_server)) {
        if (!line->empty() && line->back() == '\r') line->pop_back();
        if (!line->empty()) client.on_line(*line);
      }
    }
    if (stdin_open && fds[1].revents) {
      const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
      if (n <= 0) {  // no more input: stay connected
        stdin_open = false;
        continue;
      }
      from_user.append(buf, static_cast<std::size_t>(n));
      while (auto line = relaycheck::testing::take_line(from_user)) {
        if (!line->empty() && line->back() == '\r') line->pop_back();
        if (!client.on_input(*line)) {
          ::close(sock);
          return 0;
        }
      }
    }
  }
}
