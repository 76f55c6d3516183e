#pragma once
// The cs594 server state machine. No I/O, no clock: frames and time in, frames out.
// Rules and the decisions behind them: docs/protocols/cs594.md.
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "proto/common/decode_error.h"
#include "proto/common/engine.h"
#include "proto/common/framed_engine.h"
#include "proto/cs594/message.h"
#include "proto/cs594/ops.h"

namespace relaycheck::proto::cs594 {

struct Options {
  Millis heartbeat_interval{1'000};  // the server sends HEARTBEAT this often, from connect
  Millis heartbeat_timeout{5'000};   // a HEARTBEAT followed by this much client silence ends it
  std::size_t max_message_chars = 2048;
};

class Session : public OutputQueue<Message> {
 public:
  using Frame = Message;

  explicit Session(Options options = {}) : opt_(options) {}

  void on_connect(ClientId c, TimePoint now);
  void on_frame(ClientId c, const Message& m, TimePoint now);
  void on_decode_error(ClientId c, const DecodeError& e, TimePoint now);
  void on_disconnect(ClientId c, TimePoint now);
  void on_tick(TimePoint now);
  std::optional<TimePoint> next_deadline() const;

  // Introspection for tests and fuzz invariants.
  std::size_t connected() const { return clients_.size(); }
  // Whether the client has logged in (the net shell's handshake timeout ends there).
  bool logged_in(ClientId c) const {
    auto it = clients_.find(c);
    return it != clients_.end() && it->second.name.has_value();
  }
  std::vector<std::string> users() const;                           // logged-in names, sorted
  std::vector<std::string> rooms() const;                           // every room, whisper rooms too
  std::vector<std::string> members(const std::string& room) const;  // sorted names

 private:
  struct Client {
    std::optional<std::string> name;
    TimePoint next_heartbeat{};
    // When the oldest HEARTBEAT the client has not answered was sent; any frame answers.
    std::optional<TimePoint> unanswered_since;
  };
  struct Room {
    std::set<ClientId> members;
    // A whisper room ("sender.target") is visible only to these two names.
    std::optional<std::pair<std::string, std::string>> whisper_pair;
  };

  void send(ClientId c, json body);
  void error(ClientId c, Op code, json extra = json::object());
  void to_members(const Room& room, const json& body);
  // Forgets the client (rooms, name) and tells the other users USER_EXIT.
  void forget(ClientId c);
  bool visible(const Room& room, const std::string& name) const;
  // Checks an optional field naming the sender ("user" or "sender"): absent, or the login name.
  bool claimed_name_ok(const json& body, const char* key, const std::string& name) const;
  bool legal_message(const std::string& text) const;

  void login(ClientId c, Client& cl, const json& body);
  void list_rooms(ClientId c, const Client& cl);
  void list_users(ClientId c, const Client& cl, const json& body);
  void join_room(ClientId c, const Client& cl, const json& body);
  void leave_room(ClientId c, const Client& cl, const json& body);
  void message(ClientId c, const Client& cl, const json& body);
  void whisper(ClientId c, const Client& cl, const json& body);

  Options opt_;
  std::map<ClientId, Client> clients_;
  std::map<std::string, ClientId> by_name_;
  std::map<std::string, Room> rooms_;
};

}  // namespace relaycheck::proto::cs594
