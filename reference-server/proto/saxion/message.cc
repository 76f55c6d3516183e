#include "proto/saxion/message.h"

namespace relaycheck::proto::saxion {

MessageView::MessageView(const Message& m) : command(m.command), payload(m.payload) {}

MessageView MessageView::parse(std::string_view line) {
  const auto space = line.find(' ');
  if (space == std::string_view::npos) return {line, {}};
  return {line.substr(0, space), line.substr(space + 1)};
}

Message Message::parse(std::string_view line) {
  const auto v = MessageView::parse(line);
  return {std::string(v.command), std::string(v.payload)};
}

std::string Message::to_line() const { return payload.empty() ? command : command + ' ' + payload; }

}  // namespace relaycheck::proto::saxion
