#include "proto/moose/session.h"

#include <algorithm>

#include "proto/moose/packet.h"

namespace relaycheck::proto::moose {

Session::Session(Options options) : opt_(std::move(options)) {
  for (const auto& s : opt_.services) services_[s] = true;
}

void Session::on_connect(ClientId c, TimePoint) { connections_.insert(c); }
void Session::on_control_connect(ClientId c, TimePoint) { controls_.insert(c); }

void Session::on_disconnect(ClientId c, TimePoint) {
  connections_.erase(c);
  controls_.erase(c);
  if (pool_.count(c)) leave_pool(c, "gone");
}

const std::string* Session::key_of(ClientId c) const {
  auto it = pool_.find(c);
  return it == pool_.end() ? nullptr : &it->second.key;
}

const std::string* Session::uuid_of(ClientId c) const {
  auto it = pool_.find(c);
  return it == pool_.end() ? nullptr : &it->second.uuid;
}

std::vector<std::string> Session::pool() const {
  std::vector<std::string> uuids;
  for (const auto& [id, cl] : pool_) uuids.push_back(cl.uuid);
  std::sort(uuids.begin(), uuids.end());
  return uuids;
}

std::optional<std::string> Session::associated_user(ClientId c) const {
  auto it = pool_.find(c);
  return it == pool_.end() ? std::nullopt : it->second.user;
}

void Session::to_pool(const json& p) {
  for (const auto& [id, cl] : pool_) packet(id, p);
}

void Session::to_control(const std::string& text) {
  for (ClientId c : controls_) line(c, text);
}

json Session::status_packet() const {
  json services = json::array();
  for (const auto& [name, online] : services_)
    services.push_back({{"name", name}, {"status", online ? "online" : "offline"}});
  return {{"type", "status"}, {"services", std::move(services)}};
}

// --- client packets -------------------------------------------------------------------------

void Session::on_packet(ClientId c, const json& p, TimePoint now) {
  if (!connections_.count(c)) return;
  const auto type = p.is_object() ? text_field(p, "type") : std::nullopt;
  if (!type) {
    ++counters_.invalid;
    return;
  }
  if (*type == "key") return key(c, p, now);
  auto it = pool_.find(c);
  // Outside the pool only `key` means anything; and a packet must carry its sender's UUID.
  if (it == pool_.end() || text_field(p, "UUID") != it->second.uuid || !client_packet(c, it->second, *type, p)) {
    ++counters_.invalid;
    return;
  }
  // Any accepted command is a sign of life: it answers a probe and restarts the silence timer.
  if (auto still = pool_.find(c); still != pool_.end()) {
    still->second.last_heard = now;
    still->second.probed_at.reset();
  }
}

void Session::key(ClientId c, const json& p, TimePoint now) {
  const auto uuid = text_field(p, "UUID");
  const auto key = text_field(p, "key");
  if (!uuid || !key) {
    ++counters_.invalid;
    return;
  }
  auto mine = pool_.find(c);
  // One UUID per connection and one connection per UUID.
  for (const auto& [id, cl] : pool_) {
    if ((id == c && cl.uuid != *uuid) || (id != c && cl.uuid == *uuid)) {
      ++counters_.invalid;
      return;
    }
  }
  if (mine == pool_.end()) {
    mine = pool_.emplace(c, Client{*uuid, *key, now, std::nullopt, std::nullopt}).first;
    // A key from a client this server has not heard of since it started: tell it we are back.
    if (ever_keyed_.insert(*uuid).second) packet(c, {{"type", "server_online"}});
  } else {
    mine->second.key = *key;
    mine->second.last_heard = now;
    mine->second.probed_at.reset();
  }
  packet(c, status_packet());
}

bool Session::client_packet(ClientId c, Client& cl, const std::string& type, const json& p) {
  if (type == "probeACK") return true;
  if (type == "ringACK") {
    if (!ring_id(p)) return false;
    ring_ack(c, cl, p);
    return true;
  }
  if (type == "msg") {
    const auto bodies = message_bodies(p);
    if (!bodies || text_field(p, "I/O") != "out" || !cl.user) return false;
    for (const auto& b : *bodies) to_control("said " + *cl.user + " " + b);
    return true;
  }
  if (type == "chat_state") {
    const auto state = text_field(p, "state");
    if (!state || !known_chat_state(*state) || text_field(p, "I/O") != "out" || !cl.user) return false;
    to_control("typing " + *cl.user + " " + *state);
    return true;
  }
  if (type == "disassociate") {
    if (!cl.user) return false;
    end_association(cl, "disassociate");
    return true;
  }
  if (type == "disconnect") {
    leave_pool(c, "disconnect");
    return true;
  }
  return false;  // unknown, or a packet only the server sends
}

void Session::ring_ack(ClientId c, Client& cl, const json& p) {
  const std::int64_t id = *ring_id(p);
  auto ring = rings_.find(id);
  // A ring already won (or unknown) has nothing to give; a client in a chat cannot take another.
  if (ring == rings_.end() || cl.user) return;
  cl.user = ring->second.user;
  users_[ring->second.user].associated = c;
  end_ring(id, cl.uuid);
}

// Tells every client in the pool who won ring `id` ("" for no one) and forgets the ring.
void Session::end_ring(std::int64_t id, const std::string& winner) {
  auto ring = rings_.find(id);
  if (ring == rings_.end()) return;
  users_[ring->second.user].ring.reset();
  to_pool({{"type", "ringACKACK"}, {"UUID", winner}, {"ID", id}});
  to_control(winner.empty() ? "unanswered " + std::to_string(id) : "answered " + std::to_string(id) + " " + winner);
  rings_.erase(ring);
}

void Session::end_association(Client& cl, const std::string& why) {
  if (!cl.user) return;
  const std::string user = *cl.user;
  cl.user.reset();
  users_[user].associated.reset();
  to_control("ended " + user + " " + why);
}

void Session::leave_pool(ClientId c, const std::string& why) {
  auto it = pool_.find(c);
  if (it == pool_.end()) return;
  end_association(it->second, why);
  pool_.erase(it);
}

// --- time -----------------------------------------------------------------------------------

void Session::on_tick(TimePoint now) {
  std::vector<ClientId> removed;
  for (auto& [id, cl] : pool_) {
    if (cl.probed_at) {
      if (now >= *cl.probed_at + opt_.probe_timeout) removed.push_back(id);
    } else if (now >= cl.last_heard + opt_.probe_after) {
      cl.probed_at = now;
      packet(id, {{"type", "probe"}, {"UUID", cl.uuid}});
    }
  }
  for (ClientId id : removed) leave_pool(id, "removed");
  std::vector<std::int64_t> expired;
  for (const auto& [id, ring] : rings_)
    if (now >= ring.expires) expired.push_back(id);
  for (auto id : expired) end_ring(id, "");
}

std::optional<TimePoint> Session::next_deadline() const {
  std::optional<TimePoint> next;
  auto consider = [&](TimePoint t) { next = next ? std::min(*next, t) : t; };
  for (const auto& [id, cl] : pool_)
    consider(cl.probed_at ? *cl.probed_at + opt_.probe_timeout : cl.last_heard + opt_.probe_after);
  for (const auto& [id, ring] : rings_) consider(ring.expires);
  return next;
}

// --- control channel ------------------------------------------------------------------------

namespace {
// The first `n` space-separated words, and the text after them.
std::pair<std::vector<std::string>, std::string_view> words(std::string_view line, std::size_t n) {
  std::vector<std::string> w;
  while (w.size() < n && !line.empty()) {
    const auto sp = line.find(' ');
    w.emplace_back(line.substr(0, sp));
    line = sp == std::string_view::npos ? std::string_view{} : line.substr(sp + 1);
  }
  return {w, line};
}
}  // namespace

void Session::on_control_line(ClientId c, std::string_view text, TimePoint now) {
  if (!controls_.count(c)) return;
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  auto [w, rest] = words(text, 2);
  if (w.empty()) return;
  if (w[0] == "write" || w[0] == "type") return control(c, w, rest, now);
  auto [all, none] = words(text, 4);
  if (!none.empty()) return line(c, "error too-many-words");
  control(c, all, {}, now);
}

void Session::control(ClientId c, const std::vector<std::string>& w, std::string_view rest, TimePoint now) {
  const std::string& cmd = w[0];
  auto want = [&](std::size_t n) {
    if (w.size() == n && std::none_of(w.begin(), w.end(), [](const std::string& s) { return s.empty(); })) return true;
    line(c, "error usage " + cmd);
    return false;
  };
  if (cmd == "ring") {
    if (!want(3)) return;
    if (!services_.count(w[1])) return line(c, "error unknown-service " + w[1]);
    EndUser& u = users_[w[2]];
    if (u.ring || u.associated) return line(c, "error busy " + w[2]);
    const std::int64_t id = next_ring_++;
    rings_[id] = Ring{w[1], w[2], now + opt_.ring_timeout};
    u.ring = id;
    line(c, "ok ring " + std::to_string(id));
    return to_pool({{"type", "ring"}, {"group", w[1]}, {"ID", id}});
  }
  if (cmd == "write" || cmd == "type") {
    if (w.size() != 2 || w[1].empty() || rest.empty()) return line(c, "error usage " + cmd);
    if (cmd == "type" && !known_chat_state(std::string(rest))) return line(c, "error bad-state " + std::string(rest));
    auto u = users_.find(w[1]);
    if (u == users_.end() || !u->second.associated) return line(c, "error not-associated " + w[1]);
    const ClientId to = *u->second.associated;
    const std::string& uuid = pool_.at(to).uuid;
    if (cmd == "write")
      packet(to, {{"type", "msg"}, {"msg", json::array({std::string(rest)})}, {"I/O", "in"}, {"UUID", uuid}});
    else
      packet(to, {{"type", "chat_state"}, {"state", std::string(rest)}, {"I/O", "in"}, {"UUID", uuid}});
    return line(c, "ok " + cmd);
  }
  if (cmd == "leave") {
    if (!want(2)) return;
    auto u = users_.find(w[1]);
    if (u == users_.end() || (!u->second.ring && !u->second.associated)) return line(c, "error not-associated " + w[1]);
    line(c, "ok leave");
    if (u->second.ring) end_ring(*u->second.ring, "");
    if (u->second.associated) {
      Client& cl = pool_.at(*u->second.associated);
      cl.user.reset();
      u->second.associated.reset();
    }
    return;
  }
  if (cmd == "service") {
    if (!want(3)) return;
    if (w[2] != "online" && w[2] != "offline") return line(c, "error usage service");
    const bool online = w[2] == "online";
    auto it = services_.find(w[1]);
    const bool changed = it == services_.end() || it->second != online;
    services_[w[1]] = online;
    line(c, "ok service");
    if (changed) to_pool(status_packet());
    return;
  }
  if (cmd == "stats") {
    if (!want(1)) return;
    return line(c, "stats clients=" + std::to_string(pool_.size()) + " bounced=" + std::to_string(counters_.bounced) +
                       " undecodable=" + std::to_string(counters_.undecodable) + " bad_json=" +
                       std::to_string(counters_.bad_json) + " invalid=" + std::to_string(counters_.invalid));
  }
  if (cmd == "clients") {
    if (!want(1)) return;
    std::string list = "clients";
    for (const auto& u : pool()) list += " " + u;
    return line(c, list);
  }
  if (cmd == "last-error") {
    if (!want(1)) return;
    return line(c, "last-error " + last_error_);
  }
  line(c, "error unknown-command " + cmd);
}

}  // namespace relaycheck::proto::moose
