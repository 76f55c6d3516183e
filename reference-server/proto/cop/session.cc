#include "proto/cop/session.h"

#include "proto/common/utf8.h"

#include <algorithm>
#include <limits>

namespace relaycheck::proto::cop {

bool valid_nickname(std::string_view name, std::size_t max_bytes) {
  if (name.empty() || name.size() > max_bytes || find_invalid_utf8(name)) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c <= 0x20 || c == 0x7F) return false;  // C0 controls and the space
    // U+0080..U+009F (C1 controls) and U+00A0 (no-break space) are C2 80..C2 A0 in UTF-8.
    if (c == 0xC2 && i + 1 < name.size() && static_cast<unsigned char>(name[i + 1]) <= 0xA0) return false;
  }
  return true;
}

Session::Session(Options options) : opt_(std::move(options)) {}

std::vector<std::string> Session::users() const {
  std::vector<std::string> names;
  for (const auto& [name, id] : by_name_) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

std::size_t Session::bridges() const {
  return static_cast<std::size_t>(std::count_if(conns_.begin(), conns_.end(),
                                                [](const auto& e) { return e.second.role == Role::bridged; })) /
         2;
}

void Session::send(ClientId c, const Frame& f) { actions_.push_back({Action::Kind::send, c, Codec::encode(f)}); }

void Session::relay(ClientId to, std::string bytes) {
  if (!bytes.empty()) actions_.push_back({Action::Kind::send, to, std::move(bytes)});
}

void Session::touch(ClientId c, TimePoint now) {
  auto it = conns_.find(c);
  if (it == conns_.end()) return;
  deadlines_.erase({it->second.deadline, c});
  it->second.deadline = now + opt_.inactivity;
  deadlines_.insert({it->second.deadline, c});
}

std::optional<ClientId> Session::find_user(const std::string& nickname) const {
  auto it = by_name_.find(nickname);
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

void Session::on_connect(ClientId c, TimePoint now) {
  conns_[c] = Conn{};
  touch(c, now);
}

void Session::on_disconnect(ClientId c, TimePoint) { forget(c); }

void Session::close(ClientId c, const std::string& reason) {
  if (!conns_.count(c)) return;
  actions_.push_back({Action::Kind::close, c, reason});
  forget(c);
}

void Session::forget(ClientId c) {
  auto it = conns_.find(c);
  if (it == conns_.end()) return;
  Conn gone = std::move(it->second);
  deadlines_.erase({gone.deadline, c});
  conns_.erase(it);
  switch (gone.role) {
    case Role::fresh:
      break;
    case Role::user:
      if (!gone.nickname.empty()) {
        by_name_.erase(gone.nickname);
        depart(gone.nickname);
      }
      break;
    case Role::waiting:
      tickets_.erase(gone.connect_id);
      break;  // its first half is gone: used up
    case Role::bridged:
      close(gone.peer, "the other end of the private connection closed");
      break;
  }
}

// A user left: what was pending with them is void, and their private connections end, which is
// how the other side learns of the departure (specs/README.md, cop: inactivity).
void Session::depart(const std::string& nickname) {
  auto involves = [&](const std::string& a, const std::string& b) { return a == nickname || b == nickname; };
  for (auto it = requests_.begin(); it != requests_.end();) {
    it = involves(it->first, it->second) ? requests_.erase(it) : std::next(it);
  }
  std::vector<ClientId> to_close;
  for (auto it = tickets_.begin(); it != tickets_.end();) {
    if (!involves(it->second.sender, it->second.receiver)) {
      ++it;
      continue;
    }
    if (it->second.first) to_close.push_back(*it->second.first);
    it = tickets_.erase(it);
  }
  for (const auto& [id, conn] : conns_) {
    if (conn.role == Role::bridged && involves(conn.pair.first, conn.pair.second)) to_close.push_back(id);
  }
  for (ClientId id : to_close) close(id, nickname + " left");
}

void Session::on_tick(TimePoint now) {
  while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
    close(deadlines_.begin()->second, "inactive for " + std::to_string(opt_.inactivity.count()) + "ms");
  }
}

std::optional<TimePoint> Session::next_deadline() const {
  if (deadlines_.empty()) return std::nullopt;
  return deadlines_.begin()->first;
}

std::optional<ClientProgress> Session::progress(ClientId c) const {
  auto it = conns_.find(c);
  if (it == conns_.end()) return std::nullopt;
  return ClientProgress{it->second.role != Role::fresh, it->second.frames};
}

void Session::on_bytes(ClientId c, std::string_view bytes, TimePoint now) {
  auto it = conns_.find(c);
  if (it == conns_.end()) return;
  touch(c, now);
  Conn& conn = it->second;
  if (conn.role == Role::waiting || conn.role == Role::bridged) ++conn.frames;
  if (conn.role == Role::waiting) {
    conn.held.append(bytes);
    if (conn.held.size() > opt_.max_held_bytes)
      close(c, "too many bytes before the private connection was established");
    return;
  }
  if (conn.role == Role::bridged) {
    touch(conn.peer, now);
    relay(conn.peer, std::string(bytes));
    return;
  }
  conn.codec.feed(bytes);
  // Every frame of this chunk is handled now; a frame may close the connection or turn it into
  // a private connection, after which the rest of the chunk is no longer frames.
  while (true) {
    auto cur = conns_.find(c);
    if (cur == conns_.end()) return;
    if (cur->second.role == Role::waiting || cur->second.role == Role::bridged) {
      std::string rest = cur->second.codec.take_unparsed();
      on_bytes(c, rest, now);
      return;
    }
    auto item = cur->second.codec.next();
    if (std::holds_alternative<std::monostate>(item)) return;
    if (auto* err = std::get_if<DecodeError>(&item)) {
      close(c, "protocol error: " + err->describe());
      return;
    }
    ++cur->second.frames;
    on_frame(c, std::get<Frame>(item), now);
  }
}

void Session::on_frame(ClientId c, const Frame& f, TimePoint now) {
  Conn& conn = conns_.at(c);
  if (conn.role == Role::user) {
    on_user_frame(c, f);
    return;
  }
  switch (f.op) {
    case Op::login:
      on_login(c, f, now);
      return;
    case Op::private_connect:
      on_private_connect(c, f.id, now);
      return;
    default:
      close(c, std::string("protocol error: ") + std::string(op_name(f.op)) + " before login");
  }
}

void Session::on_login(ClientId c, const Frame& f, TimePoint) {
  if (!valid_nickname(f.sender, opt_.max_nickname_bytes) || by_name_.count(f.sender)) {
    send(c, login_refused(f.sender));
    return;
  }
  Conn& conn = conns_.at(c);
  conn.role = Role::user;
  conn.nickname = f.sender;
  by_name_[f.sender] = c;
  send(c, login_accepted(f.sender));
}

void Session::on_user_frame(ClientId c, const Frame& f) {
  const std::string me = conns_.at(c).nickname;
  auto protocol_error = [&](const std::string& why) { close(c, "protocol error: " + why); };
  switch (f.op) {
    case Op::public_msg: {
      if (f.sender != me) return protocol_error("sender '" + f.sender + "' is not the logged-in '" + me + "'");
      if (f.message.size() > opt_.max_message_bytes) return protocol_error("message longer than the limit");
      for (const auto& [id, conn] : conns_)
        if (conn.role == Role::user) send(id, f);
      return;
    }
    case Op::private_msg: {
      if (f.sender != me) return protocol_error("sender '" + f.sender + "' is not the logged-in '" + me + "'");
      if (f.message.size() > opt_.max_message_bytes) return protocol_error("message longer than the limit");
      if (auto to = find_user(f.receiver))
        send(*to, f);
      else
        send(c, unknown_user(f.receiver));
      return;
    }
    case Op::private_request: {
      if (f.sender != me) return protocol_error("sender '" + f.sender + "' is not the logged-in '" + me + "'");
      auto to = find_user(f.receiver);
      if (!to) return send(c, unknown_user(f.receiver));
      requests_.insert({me, f.receiver});
      send(*to, f);
      return;
    }
    case Op::private_accept:
    case Op::private_refuse: {
      // The answer keeps the request's roles: sender is who asked, receiver is who answers.
      if (f.receiver != me) return protocol_error("receiver '" + f.receiver + "' is not the logged-in '" + me + "'");
      if (requests_.erase({f.sender, me}) == 0) return;  // nothing asked (or the asker left): ignored
      auto asker = find_user(f.sender);
      if (!asker) return;
      send(*asker, f);
      if (f.op == Op::private_refuse) return;
      const std::int64_t id = fresh_connect_id();
      tickets_[id] = Ticket{f.sender, me, std::nullopt};
      send(*asker, connect_id(f.sender, me, id));
      send(c, connect_id(f.sender, me, id));
      return;
    }
    default:
      protocol_error(std::string(op_name(f.op)) + " is not accepted from a logged-in client");
  }
}

void Session::on_private_connect(ClientId c, std::int64_t id, TimePoint now) {
  auto t = tickets_.find(id);
  if (t == tickets_.end()) {
    close(c, "protocol error: unknown or used connect id " + std::to_string(id));
    return;
  }
  Conn& conn = conns_.at(c);
  conn.pair = {t->second.sender, t->second.receiver};
  if (!t->second.first) {
    conn.role = Role::waiting;
    conn.connect_id = id;
    t->second.first = c;
    return;
  }
  const ClientId other = *t->second.first;
  tickets_.erase(t);
  Conn& first = conns_.at(other);
  first.role = Role::bridged;
  first.peer = c;
  conn.role = Role::bridged;
  conn.peer = other;
  send(other, private_established());
  send(c, private_established());
  relay(c, std::exchange(first.held, {}));
  touch(other, now);
}

std::int64_t Session::fresh_connect_id() {
  constexpr auto kMask = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  for (int attempt = 0; attempt < 16; ++attempt) {
    std::uint64_t r;
    if (opt_.random) {
      r = opt_.random();
    } else {  // splitmix64: deterministic, for tests and fuzzers
      std::uint64_t z = (fallback_state_ += 0x9E3779B97F4A7C15ULL);
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      r = z ^ (z >> 31);
    }
    const auto id = static_cast<std::int64_t>(r & kMask);
    if (id != 0 && !tickets_.count(id)) return id;
  }
  // A source that keeps repeating itself (a test stub): take the smallest free id.
  std::int64_t id = 1;
  while (tickets_.count(id)) ++id;
  return id;
}

}  // namespace relaycheck::proto::cop
