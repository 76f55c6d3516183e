#include "proto/cs594/session.h"

#include <algorithm>

#include "proto/cs594/names.h"

namespace relaycheck::proto::cs594 {

namespace {

json op_body(Op op) { return json{{"op", static_cast<std::int64_t>(op)}}; }

// The string field `key`, or nullptr when it is missing or not a string (ERR_MALFORMED).
const std::string* string_field(const json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_string()) return nullptr;
  return it->get_ptr<const std::string*>();
}

// The op of a well-formed frame: -1 for an integer outside the table's range, nullopt when "op"
// is missing or not an integer.
std::optional<std::int64_t> op_code(const json& body) {
  auto it = body.find("op");
  if (it == body.end() || !it->is_number_integer()) return std::nullopt;
  if (it->is_number_unsigned()) {
    const auto u = it->get<std::uint64_t>();
    return u > 0xff ? -1 : static_cast<std::int64_t>(u);
  }
  const auto s = it->get<std::int64_t>();
  return s < 0 || s > 0xff ? -1 : s;
}

}  // namespace

void Session::send(ClientId c, json body) { out_.push_back(Out::send(c, Message{std::move(body), true})); }

void Session::error(ClientId c, Op code, json extra) {
  json body = op_body(code);
  for (auto& [k, v] : extra.items()) body[k] = v;
  send(c, std::move(body));
}

void Session::to_members(const Room& room, const json& body) {
  for (ClientId m : room.members) send(m, body);
}

bool Session::visible(const Room& room, const std::string& name) const {
  return !room.whisper_pair || room.whisper_pair->first == name || room.whisper_pair->second == name;
}

bool Session::claimed_name_ok(const json& body, const char* key, const std::string& name) const {
  auto it = body.find(key);
  return it == body.end() || (it->is_string() && it->get<std::string>() == name);
}

bool Session::legal_message(const std::string& text) const {
  const std::size_t n = utf8_length(text);
  return n >= 1 && n <= opt_.max_message_chars;
}

std::vector<std::string> Session::users() const {
  std::vector<std::string> names;
  for (const auto& [name, id] : by_name_) names.push_back(name);
  return names;
}

std::vector<std::string> Session::rooms() const {
  std::vector<std::string> names;
  for (const auto& [name, room] : rooms_) names.push_back(name);
  return names;
}

std::vector<std::string> Session::members(const std::string& room) const {
  std::vector<std::string> names;
  auto it = rooms_.find(room);
  if (it == rooms_.end()) return names;
  for (ClientId m : it->second.members) names.push_back(*clients_.at(m).name);
  std::sort(names.begin(), names.end());
  return names;
}

void Session::on_connect(ClientId c, TimePoint now) {
  Client cl;
  cl.next_heartbeat = now + opt_.heartbeat_interval;
  clients_[c] = cl;
}

void Session::forget(ClientId c) {
  auto it = clients_.find(c);
  if (it == clients_.end()) return;
  const std::optional<std::string> name = it->second.name;
  clients_.erase(it);
  if (!name) return;
  by_name_.erase(*name);
  for (auto r = rooms_.begin(); r != rooms_.end();) {
    r->second.members.erase(c);
    r = r->second.members.empty() ? rooms_.erase(r) : std::next(r);
  }
  json exit = op_body(Op::user_exit);
  exit["user"] = *name;
  for (const auto& [id, other] : clients_)
    if (other.name) send(id, exit);
}

void Session::on_disconnect(ClientId c, TimePoint) { forget(c); }

void Session::on_decode_error(ClientId c, const DecodeError& e, TimePoint) {
  if (!clients_.count(c)) return;
  // The stream cannot be followed past this point (a value too large or too deep).
  error(c, Op::err_unknown);
  out_.push_back(Out::close(c, e.describe()));
  forget(c);
}

void Session::on_frame(ClientId c, const Message& m, TimePoint) {
  auto it = clients_.find(c);
  if (it == clients_.end()) return;
  Client& cl = it->second;
  cl.unanswered_since.reset();  // any frame shows the client is alive

  if (!m.valid_json || !m.body.is_object()) return error(c, Op::err_malformed);
  const auto code = op_code(m.body);
  if (!code) return error(c, Op::err_malformed);
  const auto op = static_cast<Op>(*code);
  switch (op) {
    case Op::heartbeat:
      return;
    case Op::login:
      return login(c, cl, m.body);
    case Op::list_rooms:
    case Op::list_users:
    case Op::join_room:
    case Op::leave_room:
    case Op::message:
    case Op::whisper:
      if (!cl.name) return error(c, Op::err_illegal_op);  // needs a login first
      break;
    default:
      return error(c, Op::err_illegal_op);  // unknown, or only servers send it
  }
  switch (op) {
    case Op::list_rooms:
      return list_rooms(c, cl);
    case Op::list_users:
      return list_users(c, cl, m.body);
    case Op::join_room:
      return join_room(c, cl, m.body);
    case Op::leave_room:
      return leave_room(c, cl, m.body);
    case Op::message:
      return message(c, cl, m.body);
    default:
      return whisper(c, cl, m.body);
  }
}

void Session::login(ClientId c, Client& cl, const json& body) {
  if (cl.name) return error(c, Op::err_illegal_op);  // one login per connection
  const std::string* name = string_field(body, "username");
  if (!name) return error(c, Op::err_malformed);
  switch (check_name(*name)) {
    case NameCheck::bad_length:
      return error(c, Op::err_illegal_len, {{"user", *name}});
    case NameCheck::bad_character:
      return error(c, Op::err_illegal_name, {{"user", *name}});
    case NameCheck::ok:
      break;
  }
  if (by_name_.count(*name)) return error(c, Op::err_name_exists, {{"user", *name}});
  cl.name = *name;
  by_name_[*name] = c;
  json reply = op_body(Op::login);
  reply["username"] = *name;
  send(c, std::move(reply));
}

void Session::list_rooms(ClientId c, const Client& cl) {
  json names = json::array();
  for (const auto& [name, room] : rooms_)
    if (visible(room, *cl.name)) names.push_back(name);
  json reply = op_body(Op::list_rooms);
  reply["rooms"] = std::move(names);
  send(c, std::move(reply));
}

void Session::list_users(ClientId c, const Client& cl, const json& body) {
  const Room* only = nullptr;
  if (body.contains("room")) {
    const std::string* room = string_field(body, "room");
    if (!room) return error(c, Op::err_malformed);
    auto it = rooms_.find(*room);
    if (it != rooms_.end() && visible(it->second, *cl.name)) only = &it->second;
  }
  std::vector<std::string> names;
  if (only) {
    for (ClientId m : only->members) names.push_back(*clients_.at(m).name);
    std::sort(names.begin(), names.end());
  } else {
    names = users();
  }
  json reply = op_body(Op::list_users);
  reply["users"] = names;
  send(c, std::move(reply));
}

void Session::join_room(ClientId c, const Client& cl, const json& body) {
  const std::string* room = string_field(body, "room");
  if (!room || !claimed_name_ok(body, "user", *cl.name)) return error(c, Op::err_malformed);
  switch (check_name(*room)) {
    case NameCheck::bad_length:
      return error(c, Op::err_illegal_len, {{"room", *room}});
    case NameCheck::bad_character:
      return error(c, Op::err_illegal_name, {{"room", *room}});
    case NameCheck::ok:
      break;
  }
  json reply = op_body(Op::join_room);
  reply["user"] = *cl.name;
  reply["room"] = *room;
  auto it = rooms_.find(*room);
  if (it != rooms_.end() && it->second.members.count(c)) {
    reply["new"] = false;  // already a member: confirmed to the joiner alone
    return send(c, std::move(reply));
  }
  reply["new"] = it == rooms_.end();
  Room& r = rooms_[*room];
  r.members.insert(c);
  to_members(r, reply);
}

void Session::leave_room(ClientId c, const Client& cl, const json& body) {
  const std::string* room = string_field(body, "room");
  if (!room || !claimed_name_ok(body, "user", *cl.name)) return error(c, Op::err_malformed);
  auto it = rooms_.find(*room);
  if (it == rooms_.end() || !it->second.members.count(c)) return error(c, Op::err_not_in_room, {{"room", *room}});
  json note = op_body(Op::leave_room);
  note["room"] = *room;
  note["user"] = *cl.name;
  to_members(it->second, note);  // the leaver too, as its confirmation
  it->second.members.erase(c);
  if (it->second.members.empty()) rooms_.erase(it);
}

void Session::message(ClientId c, const Client& cl, const json& body) {
  const std::string* room = string_field(body, "room");
  const std::string* text = string_field(body, "message");
  if (!room || !text || !claimed_name_ok(body, "user", *cl.name)) return error(c, Op::err_malformed);
  auto it = rooms_.find(*room);
  if (it == rooms_.end() || !it->second.members.count(c)) return error(c, Op::err_not_in_room, {{"room", *room}});
  if (!legal_message(*text)) return error(c, Op::err_illegal_msg, {{"room", *room}});
  json note = op_body(Op::message);
  note["user"] = *cl.name;
  note["room"] = *room;
  note["message"] = *text;
  to_members(it->second, note);  // the sender too, as its acknowledgement
}

void Session::whisper(ClientId c, const Client& cl, const json& body) {
  const std::string* target = string_field(body, "target");
  // The spec's example spells the key "Message"; both are accepted, "message" first.
  const char* text_key = body.contains("message") ? "message" : "Message";
  const std::string* text = string_field(body, text_key);
  if (!target || !text || !claimed_name_ok(body, "sender", *cl.name)) return error(c, Op::err_malformed);
  if (*target == *cl.name) return error(c, Op::err_illegal_wisp, {{"user", *target}});
  auto to = by_name_.find(*target);
  if (to == by_name_.end()) return error(c, Op::err_illegal_wisp, {{"user", *target}});
  if (!legal_message(*text)) return error(c, Op::err_illegal_msg, {{"user", *target}});
  const std::string room_name = *cl.name + "." + *target;
  Room& room = rooms_[room_name];
  room.whisper_pair = std::make_pair(*cl.name, *target);
  room.members.insert(c);
  room.members.insert(to->second);
  json note = op_body(Op::whisper);
  note["sender"] = *cl.name;
  note["target"] = *target;
  note["room"] = room_name;
  note["message"] = *text;
  send(c, note);
  send(to->second, note);
}

void Session::on_tick(TimePoint now) {
  // Timeouts first: a client whose deadline falls on a heartbeat tick is dropped, not pinged.
  std::vector<ClientId> timed_out;
  for (const auto& [id, cl] : clients_)
    if (cl.unanswered_since && *cl.unanswered_since + opt_.heartbeat_timeout <= now) timed_out.push_back(id);
  for (ClientId id : timed_out) {
    error(id, Op::err_timeout);
    out_.push_back(Out::close(id, "heartbeat timeout"));
    forget(id);
  }
  for (auto& [id, cl] : clients_) {
    if (cl.next_heartbeat > now) continue;
    send(id, op_body(Op::heartbeat));
    // Measured from when the heartbeat was due, so timeouts stay on the heartbeat grid.
    if (!cl.unanswered_since) cl.unanswered_since = cl.next_heartbeat;
    const auto behind = (now - cl.next_heartbeat) / opt_.heartbeat_interval;
    cl.next_heartbeat += opt_.heartbeat_interval * (behind + 1);
  }
}

std::optional<TimePoint> Session::next_deadline() const {
  std::optional<TimePoint> best;
  for (const auto& [id, cl] : clients_) {
    TimePoint t = cl.next_heartbeat;
    if (cl.unanswered_since) t = std::min(t, *cl.unanswered_since + opt_.heartbeat_timeout);
    if (!best || t < *best) best = t;
  }
  return best;
}

}  // namespace relaycheck::proto::cs594
