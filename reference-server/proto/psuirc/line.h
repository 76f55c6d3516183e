#pragma once
// One psuirc line, either way: the text without its terminator. Client lines are parsed into a
// command and arguments by the session (command.h); server lines are plain text.
#include <string>

namespace relaycheck::proto::psuirc {

struct Line {
  std::string text;
  bool operator==(const Line&) const = default;
};

}  // namespace relaycheck::proto::psuirc
