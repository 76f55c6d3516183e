#pragma once
// cop frames (spec 001, section 3.3): a 1-byte opcode followed by the fields its table lists.
// Strings are an int32 big-endian byte count then UTF-8; ids are int64 big-endian.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace relaycheck::proto::cop {

enum class Op : std::uint8_t {
  login = 0,             // client: nickname
  login_accepted = 1,    // server: nickname
  login_refused = 2,     // server: nickname
  private_request = 3,   // sender, receiver
  public_msg = 4,        // sender, message
  private_msg = 5,       // sender, receiver, message
  unknown_user = 6,      // server: the nickname that was not found
  private_accept = 7,    // sender (who asked), receiver (who answers)
  private_refuse = 8,    // sender, receiver
  connect_id = 9,        // server: sender, receiver, id
  private_connect = 10,  // client, on a new connection: id
  private_established = 11,
};
inline constexpr int kOpCount = 12;

// The fields each opcode carries, in wire order after the opcode.
struct Layout {
  int strings;  // 0..3 strings: sender (or nickname), receiver, message as listed per op
  bool has_receiver;
  bool has_message;
  bool has_id;
};
Layout layout_of(Op op);

// Names used in scenarios and logs: "LOGIN", "PUBLIC_MSG", ...
std::string_view op_name(Op op);
std::optional<Op> op_from_name(std::string_view name);
std::optional<Op> op_from_byte(int byte);

struct Frame {
  Op op = Op::login;
  std::string sender;    // ops 0, 1, 2 and 6: the nickname; 3, 4, 5, 7, 8, 9: the sender login
  std::string receiver;  // ops 3, 5, 7, 8, 9
  std::string message;   // ops 4, 5
  std::int64_t id = 0;   // ops 9, 10

  bool operator==(const Frame&) const = default;
};

// Helpers that build frames with exactly the fields their opcode uses.
Frame login(std::string nickname);
Frame login_accepted(std::string nickname);
Frame login_refused(std::string nickname);
Frame unknown_user(std::string nickname);
Frame public_msg(std::string sender, std::string message);
Frame private_msg(std::string sender, std::string receiver, std::string message);
Frame pair_frame(Op op, std::string sender, std::string receiver);  // 3, 7, 8
Frame connect_id(std::string sender, std::string receiver, std::int64_t id);
Frame private_connect(std::int64_t id);
Frame private_established();

}  // namespace relaycheck::proto::cop
