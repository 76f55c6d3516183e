#include "proto/psuirc/session.h"

#include <algorithm>

#include "proto/common/planted.h"
#include "proto/psuirc/labels.h"
#include "proto/psuirc/replies.h"

namespace relaycheck::proto::psuirc {

void Session::send(ClientId c, std::string_view text) { send_text(c, join(text)); }

void Session::send_text(ClientId c, std::string&& text) { queue_send(c).text = std::move(text); }

void Session::on_connect(ClientId c, TimePoint) {
  // Spec 2: at most max_clients connections; the next one is told and closed at once.
  if (clients_.size() >= opt_.max_clients) {
    send(c, reply::kClientInvalid);
    out_.push_back(Out::close(c, "client limit reached"));
    return;
  }
  clients_.insert_or_assign(c, Client{});
}

void Session::on_frame(ClientId c, const LineView& line, TimePoint) {
  auto it = clients_.find(c);
  if (it == clients_.end()) return;
#ifdef RELAYCHECK_PLANTED_BUGS
  if (planted_wedged_) return;  // PLANTED BUG (hang): see Command::liro
#endif
  if (!it->second.name) return login(c, it->second, line.text);
  command(c, it->second, line.text);
}

void Session::on_decode_error(ClientId c, const DecodeError& e, TimePoint) {
  if (!clients_.count(c)) return;
  send(c, reply::kInputInvalid);
  forget(c);
  out_.push_back(Out::close(c, e.describe()));
}

void Session::on_disconnect(ClientId c, TimePoint) { forget(c); }

void Session::forget(ClientId c) {
  auto it = clients_.find(c);
  if (it == clients_.end()) return;
  for (auto& room : rooms_) {
    auto pos = std::find(room.members.begin(), room.members.end(), c);
    if (pos == room.members.end()) continue;
    room.members.erase(pos);
    for (ClientId other : room.members) send(other, reply::kMemberLeft);
  }
  if (it->second.name) by_name_.erase(*it->second.name);
  clients_.erase(it);
}

void Session::login(ClientId c, Client& cl, std::string_view line) {
  if (!valid_username(line)) return send(c, reply::kInvalidUsername);
  if (by_name_.count(line)) return send(c, reply::kNameExists);
  cl.name = std::string(line);
  by_name_.emplace(*cl.name, c);
  send(c, reply::kWelcome);
}

void Session::command(ClientId c, Client& cl, std::string_view line) {
  const ParsedLine p = parse_line(line);
  switch (p.command) {
    case Command::liro:
#ifdef RELAYCHECK_PLANTED_BUGS
      // PLANTED BUG (hang): "liro" with an argument wedges the session: no client gets an answer again.
      if (p.rest && planted_armed("hang")) planted_wedged_ = true;
#endif
      return list_rooms(c);
    case Command::lime:
      return list_members(c, p.rest);
    case Command::room:
      return create_room(c, p.rest);
    case Command::join:
      return join_room(c, p.rest);
    case Command::leve:
      return leave_room(c, p.rest);
    case Command::send:
      return send_message(c, cl, p.rest);
    case Command::help:
#ifdef RELAYCHECK_PLANTED_BUGS
      // PLANTED BUG (bad reply): "help" with an argument is answered with a byte that is not UTF-8.
      if (p.rest && planted_armed("bad-reply")) return send(c, "help \xff");
#endif
      return send(c, reply::kHelp);
    case Command::exit:
      send(c, reply::kExit);
      forget(c);
      out_.push_back(Out::close(c, "client exit"));
      return;
    case Command::unknown:
      // A logged-in client sending its own name again is trying to log in twice.
      return send(c, line == *cl.name ? reply::kAlreadyIn : reply::kUnknownCommand);
  }
}

void Session::list_rooms(ClientId c) {
  if (rooms_.empty()) return send(c, reply::kNoRooms);
  send(c, reply::kRoomsTitle);
  for (const auto& room : rooms_) send(c, room.name);
}

Session::Room* Session::existing_room(ClientId c, std::optional<std::string_view> room) {
  if (!room || !valid_room_name(*room)) {
    send(c, reply::kInvalidRoomName);
    return nullptr;
  }
  auto it = room_index_.find(*room);
  if (it == room_index_.end()) {
    send(c, reply::kNoSuchRoom);
    return nullptr;
  }
  return &rooms_[it->second];
}

void Session::list_members(ClientId c, std::optional<std::string_view> room) {
  Room* r = existing_room(c, room);
  if (!r) return;
  send(c, reply::kMembersTitle);
  for (ClientId m : r->members) send(c, *clients_.at(m).name);
}

void Session::create_room(ClientId c, std::optional<std::string_view> room) {
  // A name already in use cannot name a new room.
  if (!room || !valid_room_name(*room) || room_index_.count(*room)) return send(c, reply::kInvalidRoomName);
#ifdef RELAYCHECK_PLANTED_BUGS
  // PLANTED BUG (heap-overflow): a new room named with exactly 64 bytes reads past a heap block.
  if (room->size() == 64) planted_overread("heap-overflow", std::string(*room));
#endif
  if (rooms_.size() >= opt_.max_rooms) return send(c, reply::kInputInvalid);
  room_index_.emplace(*room, rooms_.size());
  rooms_.push_back(Room{join(*room), {}});
  send(c, reply::kRoomAdded);
}

void Session::join_room(ClientId c, std::optional<std::string_view> room) {
  Room* r = existing_room(c, room);
  if (!r) return;
  if (std::find(r->members.begin(), r->members.end(), c) != r->members.end()) return send(c, reply::kAlreadyMember);
  for (ClientId other : r->members) send(other, reply::kMemberJoined);
  r->members.push_back(c);
  send(c, reply::kGranted);
}

void Session::leave_room(ClientId c, std::optional<std::string_view> room) {
  Room* r = existing_room(c, room);
  if (!r) return;
  auto pos = std::find(r->members.begin(), r->members.end(), c);
  if (pos == r->members.end()) return send(c, reply::kNotMember);
  r->members.erase(pos);
  send(c, reply::kYouLeft);
  for (ClientId other : r->members) send(other, reply::kMemberLeft);
}

void Session::send_message(ClientId c, const Client& cl, std::optional<std::string_view> rest) {
  if (!rest) return send(c, reply::kBadMessage);
  const SendArgs args = split_send(*rest);
  if (!args.message || !valid_message(*args.message)) return send(c, reply::kBadMessage);
  Room* r = existing_room(c, args.room);
  if (!r) return;
  if (std::find(r->members.begin(), r->members.end(), c) == r->members.end()) return send(c, reply::kNotMember);
#ifdef RELAYCHECK_PLANTED_BUGS
  // PLANTED BUG (four steps deep: login, room, join, send): a message that repeats the room's name.
  if (*args.message == r->name) planted_crash("four-steps", "psuirc: a message equal to its room's name");
#endif
  // Delivered as "<room> <sender> <message>"; labels hold no space, so it splits unambiguously.
  for (ClientId other : r->members)
    if (other != c) send_text(other, join(r->name, " ", *cl.name, " ", *args.message));
  send_text(c, join(reply::kDeliveredPrefix, r->name));
}

std::vector<std::string> Session::users() const {
  std::vector<std::string_view> views;
  users(views);
  return {views.begin(), views.end()};
}

void Session::users(std::vector<std::string_view>& into) const {
  into.clear();
  for (const auto& [id, cl] : clients_)
    if (cl.name) into.push_back(*cl.name);
}

std::vector<std::string> Session::rooms() const {
  std::vector<std::string> names;
  for (const auto& r : rooms_) names.push_back(r.name);
  return names;
}

std::optional<std::vector<std::string>> Session::members(std::string_view room) const {
  auto it = room_index_.find(room);
  if (it == room_index_.end()) return std::nullopt;
  std::vector<std::string> names;
  for (ClientId m : rooms_[it->second].members) names.push_back(*clients_.at(m).name);
  return names;
}

std::vector<ClientId> Session::member_ids(std::string_view room) const {
  std::vector<ClientId> ids;
  member_ids(room, ids);
  return ids;
}

void Session::member_ids(std::string_view room, std::vector<ClientId>& into) const {
  into.clear();
  auto it = room_index_.find(room);
  if (it == room_index_.end()) return;
  const auto& members = rooms_[it->second].members;
  into.assign(members.begin(), members.end());
}

bool Session::is_member(ClientId c, std::string_view room) const {
  auto it = room_index_.find(room);
  if (it == room_index_.end()) return false;
  const auto& m = rooms_[it->second].members;
  return std::find(m.begin(), m.end(), c) != m.end();
}

std::optional<std::string> Session::name_of(ClientId c) const {
  const std::string* name = find_name(c);
  return name ? std::optional<std::string>(*name) : std::nullopt;
}

const std::string* Session::find_name(ClientId c) const {
  auto it = clients_.find(c);
  return it != clients_.end() && it->second.name ? &*it->second.name : nullptr;
}

}  // namespace relaycheck::proto::psuirc
