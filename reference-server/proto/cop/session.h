#pragma once
// The cop server. Unlike the other protocols it implements proto::Engine directly rather than
// through FramedEngine: a connection that sends PRIVATE_CONNECT (10) stops speaking frames and,
// once its peer with the same connect id has arrived, becomes one end of a byte-for-byte bridge.
// No I/O, no clock, no hidden randomness: connect ids come from Options::random.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "proto/common/engine.h"
#include "proto/cop/codec.h"

namespace relaycheck::proto::cop {

struct Options {
  Millis inactivity{5 * 60 * 1000};     // a connection silent this long is closed (spec 5)
  std::size_t max_nickname_bytes = 32;  // specs/README.md, cop
  std::size_t max_message_bytes = 512;  // spec 2.3
  // Bytes a private connection may send before its peer arrives; more is a protocol error.
  std::size_t max_held_bytes = 64 * 1024;
  // The source of connect ids. Deterministic by default (tests, fuzzers); the reference server
  // passes std::random_device.
  std::function<std::uint64_t()> random;
};

bool valid_nickname(std::string_view name, std::size_t max_bytes);

class Session final : public Engine {
 public:
  explicit Session(Options options = {});

  void on_connect(ClientId c, TimePoint now) override;
  void on_bytes(ClientId c, std::string_view bytes, TimePoint now) override;
  void on_disconnect(ClientId c, TimePoint now) override;
  void on_tick(TimePoint now) override;
  std::optional<TimePoint> next_deadline() const override;
  std::vector<Action> take_actions() override { return std::exchange(actions_, {}); }
  // A login, or a PRIVATE_CONNECT, ends the handshake; relayed chunks count as frames.
  std::optional<ClientProgress> progress(ClientId c) const override;

  // Introspection for tests and fuzz invariants.
  std::size_t connections() const { return conns_.size(); }
  std::vector<std::string> users() const;  // logged-in nicknames, sorted
  std::size_t live_connect_ids() const { return tickets_.size(); }
  std::size_t bridges() const;  // established bridges
  std::size_t pending_requests() const { return requests_.size(); }

 private:
  enum class Role { fresh, user, waiting, bridged };
  struct Conn {
    Role role = Role::fresh;
    Codec codec;
    std::string nickname;                      // user: set once logged in
    std::int64_t connect_id = 0;               // waiting
    std::string held;                          // waiting: bytes to relay once bridged
    ClientId peer = 0;                         // bridged
    std::pair<std::string, std::string> pair;  // waiting/bridged: the two nicknames
    TimePoint deadline{};
    std::uint64_t frames = 0;  // frames (and, once private, relayed chunks) received
  };
  // A connect id handed out by CONNECT_ID and not used up yet.
  struct Ticket {
    std::string sender, receiver;
    std::optional<ClientId> first;  // the connection that presented it first, waiting for its peer
  };

  void send(ClientId c, const Frame& f);
  void relay(ClientId to, std::string bytes);
  void touch(ClientId c, TimePoint now);
  // Closes a connection (after any sends already queued) and undoes what it was part of.
  void close(ClientId c, const std::string& reason);
  void forget(ClientId c);  // the shared part of close and on_disconnect
  void depart(const std::string& nickname);

  void on_frame(ClientId c, const Frame& f, TimePoint now);
  void on_login(ClientId c, const Frame& f, TimePoint now);
  void on_user_frame(ClientId c, const Frame& f);
  void on_private_connect(ClientId c, std::int64_t id, TimePoint now);
  std::int64_t fresh_connect_id();
  std::optional<ClientId> find_user(const std::string& nickname) const;

  Options opt_;
  std::map<ClientId, Conn> conns_;
  std::set<std::pair<TimePoint, ClientId>> deadlines_;
  std::unordered_map<std::string, ClientId> by_name_;
  std::set<std::pair<std::string, std::string>> requests_;  // (who asked, who is asked), unanswered
  std::map<std::int64_t, Ticket> tickets_;
  std::uint64_t fallback_state_ = 0x2545F4914F6CDD1DULL;
  std::vector<Action> actions_;
};

}  // namespace relaycheck::proto::cop
