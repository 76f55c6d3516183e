#include "proto/cs594/ops.h"

namespace relaycheck::proto::cs594 {

namespace {
struct Entry {
  Op op;
  std::string_view name;
};
constexpr Entry kTable[] = {
    {Op::err, "ERR"},
    {Op::login, "LOGIN"},
    {Op::list_rooms, "LIST_ROOMS"},
    {Op::list_users, "LIST_USERS"},
    {Op::join_room, "JOIN_ROOM"},
    {Op::leave_room, "LEAVE_ROOM"},
    {Op::message, "MESSAGE"},
    {Op::user_exit, "USER_EXIT"},
    {Op::heartbeat, "HEARTBEAT"},
    {Op::whisper, "WHISPER"},
    {Op::err_unknown, "ERR_UNKNOWN"},
    {Op::err_illegal_op, "ERR_ILLEGAL_OP"},
    {Op::err_illegal_len, "ERR_ILLEGAL_LEN"},
    {Op::err_name_exists, "ERR_NAME_EXISTS"},
    {Op::err_illegal_name, "ERR_ILLEGAL_NAME"},
    {Op::err_illegal_msg, "ERR_ILLEGAL_MSG"},
    {Op::err_malformed, "ERR_MALFORMED"},
    {Op::err_timeout, "ERR_TIMEOUT"},
    {Op::err_illegal_wisp, "ERR_ILLEGAL_WISP"},
    {Op::err_not_in_room, "ERR_NOT_IN_ROOM"},
};
}  // namespace

std::optional<std::string_view> op_name(std::int64_t code) {
  for (const auto& e : kTable)
    if (static_cast<std::int64_t>(e.op) == code) return e.name;
  return std::nullopt;
}

std::optional<Op> op_from_name(std::string_view name) {
  if (name == "HEART_BEAT") return Op::heartbeat;
  if (name == "LIST ROOMS") return Op::list_rooms;
  for (const auto& e : kTable)
    if (e.name == name) return e.op;
  return std::nullopt;
}

}  // namespace relaycheck::proto::cs594
