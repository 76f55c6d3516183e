#pragma once
// One saxion line: a command word and the rest of the line after the first space.
#include <string>
#include <string_view>

namespace relaycheck::proto::saxion {

struct Message;

// The same split as views into a line, for readers that only look (no copy of the line).
struct MessageView {
  std::string_view command;
  std::string_view payload;

  MessageView() = default;
  MessageView(std::string_view c, std::string_view p) : command(c), payload(p) {}
  MessageView(const Message& m);  // NOLINT(google-explicit-constructor): a view of a message

  static MessageView parse(std::string_view line);
};

struct Message {
  std::string command;
  std::string payload;  // everything after the first space; may itself contain spaces

  static Message parse(std::string_view line);
  std::string to_line() const;  // without terminator
  bool operator==(const Message&) const = default;
};

}  // namespace relaycheck::proto::saxion
