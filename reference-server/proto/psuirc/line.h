#pragma once
// One psuirc line, either way: the text without its terminator. Client lines are parsed into a
// command and arguments by the session (command.h); server lines are plain text.
#include <string>
#include <string_view>

namespace relaycheck::proto::psuirc {

struct Line {
  std::string text;
  bool operator==(const Line&) const = default;
};

// The same as a view into the codec's buffer (Codec::next_view), for readers that look at once.
struct LineView {
  std::string_view text;
  LineView(std::string_view t) : text(t) {}  // NOLINT(google-explicit-constructor)
  LineView(const Line& l) : text(l.text) {}  // NOLINT(google-explicit-constructor)
};

}  // namespace relaycheck::proto::psuirc
