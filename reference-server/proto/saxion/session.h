#pragma once
// The saxion server state machine. No I/O, no clock: frames and time in, frames out.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/container/flat_map.hpp>
#include <boost/container/small_vector.hpp>

#include "proto/common/decode_error.h"
#include "proto/common/engine.h"
#include "proto/common/framed_engine.h"
#include "proto/common/string_map.h"
#include "proto/saxion/fail_codes.h"
#include "proto/saxion/message.h"

namespace relaycheck::proto::saxion {

struct Options {
  Millis ping_interval{10'000};  // PING this long after login, then after each PING
  Millis pong_timeout{3'000};    // DSCN when no PONG arrives within this after a PING
  std::string greeting = "Welcome to the server!";
};

bool valid_username(std::string_view name);

class Session : public OutputQueue<Message> {
 public:
  using Frame = Message;

  explicit Session(const Options& options = {}) : opt_(options) {}

  void on_connect(ClientId c, TimePoint now);
  // A view of the client's frame (FramedEngine passes one into its codec's buffer): read here,
  // and what the session keeps is copied.
  void on_frame(ClientId c, const MessageView& m, TimePoint now);
  void on_decode_error(ClientId c, const DecodeError& e, TimePoint now);
  void on_disconnect(ClientId c, TimePoint now);
  void on_tick(TimePoint now);
  std::optional<TimePoint> next_deadline() const;
  // Its tables and output queue, for FramedEngine's Storage (framed_engine.h).
  void storage(auto&& visit) { visit(clients_, by_name_, out_); }
  // Introspection for tests and fuzz invariants.
  std::size_t connected() const { return clients_.size(); }
  // Whether the client has logged in (the net shell's handshake timeout ends there).
  bool logged_in(ClientId c) const {
    auto it = clients_.find(c);
    return it != clients_.end() && it->second.name.has_value();
  }
  std::vector<std::string> users() const;  // logged-in names in login order
  // What the fuzz target's model compares with its own after every event, for each client in id
  // order: visit(id, ClientView). A template, so the loop is compiled with the caller (the fuzz
  // target's checks stay out of coverage, which is for the server's branches) and makes no copy.
  struct ClientView {
    const std::string* name;         // null until logged in
    std::uint64_t login_seq;         // order of logins
    std::optional<TimePoint> timer;  // logged in: the next PING, or the DSCN an unanswered one is due
  };
  template <class Visit>
  void visit_clients(Visit&& visit) const {
    for (const auto& [id, cl] : clients_) {
      if (!cl.name) {
        visit(id, ClientView{nullptr, 0, std::nullopt});
        continue;
      }
      visit(id, ClientView{&*cl.name, cl.login_seq, cl.pong_deadline ? *cl.pong_deadline : cl.next_ping});
    }
  }

 private:
  struct Client {
    std::optional<std::string> name;
    std::uint64_t login_seq = 0;
    TimePoint next_ping{};
    std::optional<TimePoint> pong_deadline;  // set while a PING is unanswered
#ifdef RELAYCHECK_PLANTED_BUGS
    std::string planted_last_command;  // PLANTED BUG (two clients): the last command and its first word
#endif
  };

  void send(ClientId c, std::string_view command, std::string payload = {});
  void fail(ClientId c, Fail f);
  // To every logged-in client but `except`: the command with `payload` joined (string-like parts).
  template <class... Parts>
  void to_others(ClientId except, std::string_view command, const Parts&... payload);
  void drop(ClientId c, std::optional<std::string> dscn_reason, std::string close_reason);
  std::optional<ClientId> find_user(std::string_view name) const;
  // Common checks of the commands that name a recipient; returns it or sends the FAIL.
  std::optional<ClientId> recipient(ClientId c, std::string_view name);

  // The logged-in clients' (login sequence, name) in login order, into any vector of those.
  template <class Into>
  void login_order(Into& into) const;
  void ident(ClientId c, Client& cl, std::string_view name, TimePoint now);
  void users(ClientId c);
  void pong(Client& cl, ClientId c);
  void quit(ClientId c);
  void relay_private(ClientId c, const Client& cl, const MessageView& m);

  Options opt_;
  boost::container::flat_map<ClientId, Client> clients_;  // in id order: relays go out in connection order
  StringMap<ClientId> by_name_;                           // looked up by view: no copy of the name per lookup
  std::uint64_t next_login_seq_ = 0;
};

}  // namespace relaycheck::proto::saxion
