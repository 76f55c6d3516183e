#include "proto/cop/frame.h"

#include <array>

namespace relaycheck::proto::cop {

namespace {
constexpr std::array<std::string_view, kOpCount> kNames = {
    "LOGIN",        "LOGIN_ACCEPTED", "LOGIN_REFUSED",  "PRIVATE_REQUEST", "PUBLIC_MSG",      "PRIVATE_MSG",
    "UNKNOWN_USER", "PRIVATE_ACCEPT", "PRIVATE_REFUSE", "CONNECT_ID",      "PRIVATE_CONNECT", "PRIVATE_ESTABLISHED",
};
}  // namespace

Layout layout_of(Op op) {
  switch (op) {
    case Op::login:
    case Op::login_accepted:
    case Op::login_refused:
    case Op::unknown_user:
      return {1, false, false, false};
    case Op::private_request:
    case Op::private_accept:
    case Op::private_refuse:
      return {2, true, false, false};
    case Op::public_msg:
      return {2, false, true, false};
    case Op::private_msg:
      return {3, true, true, false};
    case Op::connect_id:
      return {2, true, false, true};
    case Op::private_connect:
      return {0, false, false, true};
    case Op::private_established:
      return {0, false, false, false};
  }
  return {0, false, false, false};
}

std::string_view op_name(Op op) {
  const auto i = static_cast<std::size_t>(op);
  return i < kNames.size() ? kNames[i] : "?";
}

std::optional<Op> op_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == name) return static_cast<Op>(i);
  return std::nullopt;
}

std::optional<Op> op_from_byte(int byte) {
  if (byte < 0 || byte >= kOpCount) return std::nullopt;
  return static_cast<Op>(byte);
}

Frame login(std::string nickname) { return {Op::login, std::move(nickname), {}, {}, 0}; }
Frame login_accepted(std::string nickname) { return {Op::login_accepted, std::move(nickname), {}, {}, 0}; }
Frame login_refused(std::string nickname) { return {Op::login_refused, std::move(nickname), {}, {}, 0}; }
Frame unknown_user(std::string nickname) { return {Op::unknown_user, std::move(nickname), {}, {}, 0}; }
Frame public_msg(std::string sender, std::string message) {
  return {Op::public_msg, std::move(sender), {}, std::move(message), 0};
}
Frame private_msg(std::string sender, std::string receiver, std::string message) {
  return {Op::private_msg, std::move(sender), std::move(receiver), std::move(message), 0};
}
Frame pair_frame(Op op, std::string sender, std::string receiver) {
  return {op, std::move(sender), std::move(receiver), {}, 0};
}
Frame connect_id(std::string sender, std::string receiver, std::int64_t id) {
  return {Op::connect_id, std::move(sender), std::move(receiver), {}, id};
}
Frame private_connect(std::int64_t id) { return {Op::private_connect, {}, {}, {}, id}; }
Frame private_established() { return {Op::private_established, {}, {}, {}, 0}; }

}  // namespace relaycheck::proto::cop
