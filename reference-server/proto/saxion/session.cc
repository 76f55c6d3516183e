#include "proto/saxion/session.h"

#include <algorithm>

#include "proto/common/planted.h"

namespace relaycheck::proto::saxion {

bool valid_username(std::string_view name) {
  if (name.size() < 3 || name.size() > 14) return false;
  return std::all_of(name.begin(), name.end(), [](unsigned char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
  });
}

namespace {
// "NAME rest" -> {"NAME", "rest"}, as views into s.
std::pair<std::string_view, std::string_view> split_first(std::string_view s) {
  const auto v = MessageView::parse(s);
  return {v.command, v.payload};
}

// The client commands (specs/saxion), and anything else.
enum class Command { ident, pong, quit, bcst, users, pm, pm_pubkey, pm_sessionkey, private_message, ok, unknown };

// Sorted by length first: one switch, then at most three compares (each a memcmp of that length).
Command command_of(std::string_view cmd) {
  switch (cmd.size()) {
    case 2:
      if (cmd == "OK") return Command::ok;
      if (cmd == "PM") return Command::pm;
      break;
    case 4:
      if (cmd == "BCST") return Command::bcst;
      if (cmd == "PONG") return Command::pong;
      if (cmd == "QUIT") return Command::quit;
      break;
    case 5:
      if (cmd == "IDENT") return Command::ident;
      if (cmd == "USERS") return Command::users;
      break;
    case 9:
      if (cmd == "PM_PUBKEY") return Command::pm_pubkey;
      break;
    case 13:
      if (cmd == "PM_SESSIONKEY") return Command::pm_sessionkey;
      break;
    case 15:
      if (cmd == "PRIVATE_MESSAGE") return Command::private_message;
      break;
    default:
      break;
  }
  return Command::unknown;
}
}  // namespace

void Session::send(ClientId c, std::string_view command, std::string payload) {
  Message& m = queue_send(c);
  m.command = join(command);
  m.payload = std::move(payload);
}

void Session::fail(ClientId c, Fail f) { send(c, fail_code(f), join(fail_text(f))); }

template <class... Parts>
void Session::to_others(ClientId except, std::string_view command, const Parts&... payload) {
  for (const auto& [id, cl] : clients_) {
    if (id != except && cl.name) send(id, command, join(payload...));
  }
}

std::optional<ClientId> Session::find_user(std::string_view name) const {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> Session::users() const {
  std::vector<std::pair<std::uint64_t, std::string_view>> seq;
  login_order(seq);
  std::vector<std::string> names;
  names.reserve(seq.size());
  for (const auto& [s, n] : seq) names.emplace_back(n);
  return names;
}

template <class Into>
void Session::login_order(Into& into) const {
  into.clear();
  for (const auto& [id, cl] : clients_)
    if (cl.name) into.emplace_back(cl.login_seq, *cl.name);
  std::sort(into.begin(), into.end());
}

void Session::on_connect(ClientId c, TimePoint) {
  clients_.insert_or_assign(c, Client{});
  send(c, "INIT", join(opt_.greeting));
}

void Session::drop(ClientId c, std::optional<std::string> dscn_reason, std::string close_reason) {
  auto it = clients_.find(c);
  if (it == clients_.end()) return;
  if (dscn_reason) send(c, "DSCN", *dscn_reason);
  out_.push_back(Out::close(c, std::move(close_reason)));
  std::optional<std::string> name = it->second.name;
  if (name) by_name_.erase(*name);
  clients_.erase(it);
  if (name) to_others(c, "LEFT", *name);
}

void Session::on_disconnect(ClientId c, TimePoint) {
  auto it = clients_.find(c);
  if (it == clients_.end()) return;
  std::optional<std::string> name = it->second.name;
  if (name) by_name_.erase(*name);
  clients_.erase(it);
  if (name) to_others(c, "LEFT", *name);
}

void Session::on_decode_error(ClientId c, const DecodeError& e, TimePoint) { drop(c, "Line too long", e.describe()); }

void Session::on_frame(ClientId c, const MessageView& m, TimePoint now) {
  auto it = clients_.find(c);
  if (it == clients_.end()) return;
  Client& cl = it->second;
#ifdef RELAYCHECK_PLANTED_BUGS
  // PLANTED BUG (one frame, exact length): any command whose text after it is exactly 255 bytes.
  if (m.payload.size() == 255) planted_crash("one-frame", "saxion: a frame with a 255-byte payload");
  cl.planted_last_command = join(m.command, " ", split_first(m.payload).first);
#endif

  const Command cmd = command_of(m.command);
  switch (cmd) {
    case Command::ident:
      return ident(c, cl, m.payload, now);
    case Command::pong:
      return pong(cl, c);
    case Command::quit:
      return quit(c);
    case Command::unknown:
      return fail(c, Fail::unknown_command);
    default:
      break;
  }
  if (!cl.name) return fail(c, Fail::login_first);

  switch (cmd) {
    case Command::bcst:
      send(c, "OK", join("BCST ", m.payload));
      to_others(c, "BCST", *cl.name, " ", m.payload);
      break;
    case Command::users:
      users(c);
      break;
    case Command::pm_pubkey:
      // Relayed to every other user; the recipients acknowledge with "OK PM_PUBKEY".
      to_others(c, "PM_PUBKEY", *cl.name, " ", m.payload);
      break;
    case Command::ok: {
      // Clients acknowledge relayed keys; those acks need no answer. Any other OK is not a command.
      const auto what = split_first(m.payload).first;
      if (what != "PM_PUBKEY" && what != "PM_SESSIONKEY") fail(c, Fail::unknown_command);
      break;
    }
    default:
      relay_private(c, cl, m);  // PM, PRIVATE_MESSAGE, PM_SESSIONKEY
  }
}

void Session::ident(ClientId c, Client& cl, std::string_view name, TimePoint now) {
  if (cl.name) return fail(c, Fail::login_twice);
  if (!valid_username(name)) return fail(c, Fail::bad_name);
  if (by_name_.count(name)) return fail(c, Fail::name_taken);
  cl.name = std::string(name);
  cl.login_seq = next_login_seq_++;
  cl.next_ping = now + opt_.ping_interval;
  by_name_.emplace(*cl.name, c);
  send(c, "OK", join("IDENT ", name));
  to_others(c, "JOINED", *cl.name);
}

void Session::users(ClientId c) {
  boost::container::small_vector<std::pair<std::uint64_t, std::string_view>, 8> names;
  login_order(names);
  if (names.size() < 2) return fail(c, Fail::only_user);
  std::string list = join("USERS");
  for (const auto& [seq, n] : names) (list += list.size() == 5 ? ' ' : ':') += n;
  send(c, "OK", std::move(list));
}

void Session::pong(Client& cl, ClientId c) {
  if (!cl.pong_deadline) return fail(c, Fail::pong_without_ping);
  cl.pong_deadline.reset();
}

void Session::quit(ClientId c) {
  send(c, "OK", "GOODBYE");
  drop(c, std::nullopt, "client quit");
}

std::optional<ClientId> Session::recipient(ClientId c, std::string_view name) {
  auto target = find_user(name);
  if (!target) {
    fail(c, Fail::no_such_user);
    return std::nullopt;
  }
  if (*target == c) {
    fail(c, Fail::message_to_self);
    return std::nullopt;
  }
  return target;
}

void Session::relay_private(ClientId c, const Client& cl, const MessageView& m) {
  const auto [to_name, body] = split_first(m.payload);
  auto to = recipient(c, to_name);
  if (!to) return;
  const std::string_view cmd = m.command;
  if (cmd == "PM") {
#ifdef RELAYCHECK_PLANTED_BUGS
    // PLANTED BUG (two clients interleaved): a PM to someone whose last command was a PM to themselves.
    if (clients_.at(*to).planted_last_command == join("PM ", to_name))
      planted_crash("two-clients", "saxion: PM to a client that PMed itself");
#endif
    send(c, "OK", join("PM ", to_name, " ", body));
    send(*to, "NPM", join(*cl.name, " ", body));
  } else if (cmd == "PRIVATE_MESSAGE") {
    send(c, "OK", join("PRIVATE_MESSAGE ", to_name, " ", body));
    send(*to, "RECEIVE_PRIVATE_MSG", join(*cl.name, " ", body));
  } else {  // PM_SESSIONKEY: relayed; the recipient acknowledges with "OK PM_SESSIONKEY".
    send(*to, "PM_SESSIONKEY", join(*cl.name, " ", body));
  }
}

void Session::on_tick(TimePoint now) {
  boost::container::small_vector<ClientId, 4> timed_out;
  for (auto& [id, cl] : clients_) {
    if (!cl.name) continue;
    if (cl.pong_deadline) {
      if (*cl.pong_deadline <= now) timed_out.push_back(id);
    } else if (cl.next_ping <= now) {
      send(id, "PING");
      cl.pong_deadline = now + opt_.pong_timeout;
      cl.next_ping = now + opt_.ping_interval;
    }
  }
  for (ClientId id : timed_out) drop(id, "Pong timeout", "pong timeout");
}

std::optional<TimePoint> Session::next_deadline() const {
  std::optional<TimePoint> best;
  for (const auto& [id, cl] : clients_) {
    if (!cl.name) continue;
    const TimePoint t = cl.pong_deadline ? *cl.pong_deadline : cl.next_ping;
    if (!best || t < *best) best = t;
  }
  return best;
}

}  // namespace relaycheck::proto::saxion
