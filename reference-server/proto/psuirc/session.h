#pragma once
// The psuirc server state machine. No I/O, no clock: lines in, lines out.
//
// A connection's first accepted line is its username; after "welcome user" every line is a
// command (command.h). Rooms are created with "room", live until the server stops, and keep
// their members in join order. docs/protocols/psuirc.md lists every decision.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/container/flat_map.hpp>

#include "proto/common/decode_error.h"
#include "proto/common/engine.h"
#include "proto/common/framed_engine.h"
#include "proto/common/string_map.h"
#include "proto/psuirc/command.h"
#include "proto/psuirc/line.h"

namespace relaycheck::proto::psuirc {

struct Options {
  std::size_t max_clients = 6;   // spec 2: "the client connection limit is 6"
  std::size_t max_rooms = 1000;  // spec 2: "a finite number of users and rooms"
};

class Session : public OutputQueue<Line> {
 public:
  using Frame = Line;

  explicit Session(Options options = {}) : opt_(options) {}

  void on_connect(ClientId c, TimePoint now);
  // A view of the client's line (FramedEngine passes one into its codec's buffer): read here,
  // and what the session keeps is copied.
  void on_frame(ClientId c, const LineView& line, TimePoint now);
  void on_decode_error(ClientId c, const DecodeError& e, TimePoint now);
  void on_disconnect(ClientId c, TimePoint now);
  void on_tick(TimePoint) {}
  std::optional<TimePoint> next_deadline() const { return std::nullopt; }
  // Its tables and output queue, for FramedEngine's Storage (framed_engine.h).
  void storage(auto&& visit) { visit(clients_, by_name_, rooms_, room_index_, out_); }

  // Introspection for tests and fuzz invariants.
  std::size_t connected() const { return clients_.size(); }
  // Whether the client has logged in (the net shell's handshake timeout ends there).
  bool logged_in(ClientId c) const {
    auto it = clients_.find(c);
    return it != clients_.end() && it->second.name.has_value();
  }
  std::vector<std::string> users() const;  // logged-in names, by id
  // The same as views into `into`, which keeps its capacity (the fuzz target asks after every
  // event); valid until the session changes.
  void users(std::vector<std::string_view>& into) const;
  std::vector<std::string> rooms() const;                                        // in creation order
  std::optional<std::vector<std::string>> members(std::string_view room) const;  // in join order
  std::vector<ClientId> member_ids(std::string_view room) const;                 // in join order
  bool is_member(ClientId c, std::string_view room) const;
  std::optional<std::string> name_of(ClientId c) const;
  // The same without a copy (the fuzz target asks for each room message): null when the client
  // is not served or not logged in.
  const std::string* find_name(ClientId c) const;
  // member_ids into `into`, which keeps its capacity.
  void member_ids(std::string_view room, std::vector<ClientId>& into) const;

 private:
  struct Client {
    std::optional<std::string> name;  // set once the username is accepted
  };
  struct Room {
    std::string name;
    std::vector<ClientId> members;  // join order
  };

  void send(ClientId c, std::string_view text);
  void send_text(ClientId c, std::string&& text);
  void login(ClientId c, Client& cl, std::string_view line);
  void command(ClientId c, Client& cl, std::string_view line);
  void list_rooms(ClientId c);
  void list_members(ClientId c, std::optional<std::string_view> room);
  void create_room(ClientId c, std::optional<std::string_view> room);
  void join_room(ClientId c, std::optional<std::string_view> room);
  void leave_room(ClientId c, std::optional<std::string_view> room);
  void send_message(ClientId c, const Client& cl, std::optional<std::string_view> rest);
  // The named room, or the error reply sent and nothing.
  Room* existing_room(ClientId c, std::optional<std::string_view> room);
  // Removes the client from every room, telling the members who stay; forgets the client.
  void forget(ClientId c);

  Options opt_;
  boost::container::flat_map<ClientId, Client> clients_;  // in id order, as relays go out
  StringMap<ClientId> by_name_;
  std::vector<Room> rooms_;  // creation order
  StringMap<std::size_t> room_index_;
#ifdef RELAYCHECK_PLANTED_BUGS
  bool planted_wedged_ = false;  // PLANTED BUG (hang): the session answers nobody
#endif
};

}  // namespace relaycheck::proto::psuirc
