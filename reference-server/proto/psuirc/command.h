#pragma once
// A logged-in client's line: "command argument..." (spec 3). The command is a word matched in any
// letter case; `rest` is everything after the first space. Nothing is trimmed: an extra space
// becomes part of an argument, where the label rules refuse it.
#include <optional>
#include <string>
#include <string_view>

namespace relaycheck::proto::psuirc {

enum class Command { liro, lime, room, join, leve, send, help, exit, unknown };

struct ParsedLine {
  Command command = Command::unknown;
  std::string_view word;                 // the command word as sent
  std::optional<std::string_view> rest;  // after the first space; none when there is no space
};

ParsedLine parse_line(std::string_view line);
// "send <room> <message>": the room and the message, split at the first space of `rest`.
struct SendArgs {
  std::string_view room;
  std::optional<std::string_view> message;
};
SendArgs split_send(std::string_view rest);

}  // namespace relaycheck::proto::psuirc
