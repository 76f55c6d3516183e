#pragma once
// The cs594 operation and error codes (spec: "Operation Codes", "Error Messages"). On the wire
// they are integers in the "op" field (specs/README.md, cs594).
#include <cstdint>
#include <optional>
#include <string_view>

namespace relaycheck::proto::cs594 {

enum class Op : std::int64_t {
  err = 0x0,
  login = 0x1,
  list_rooms = 0x2,
  list_users = 0x3,
  join_room = 0x4,
  leave_room = 0x5,
  message = 0x6,
  user_exit = 0x7,
  heartbeat = 0x8,
  whisper = 0x9,
  err_unknown = 0xA,
  err_illegal_op = 0xB,
  err_illegal_len = 0xC,
  err_name_exists = 0xD,
  err_illegal_name = 0xE,
  err_illegal_msg = 0xF,
  err_malformed = 0x10,
  err_timeout = 0x11,
  err_illegal_wisp = 0x12,
  err_not_in_room = 0x13,
};

// "LOGIN", "ERR_ILLEGAL_OP", ... as the spec spells them; nullopt for a number outside the table.
std::optional<std::string_view> op_name(std::int64_t code);
// The inverse; also accepts the spec's variant spellings "HEART_BEAT" and "LIST ROOMS".
std::optional<Op> op_from_name(std::string_view name);

}  // namespace relaycheck::proto::cs594
