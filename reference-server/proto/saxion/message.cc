#include "proto/saxion/message.h"

namespace relaycheck::proto::saxion {

Message Message::parse(std::string_view line) {
  const auto space = line.find(' ');
  if (space == std::string_view::npos) return {std::string(line), {}};
  return {std::string(line.substr(0, space)), std::string(line.substr(space + 1))};
}

std::string Message::to_line() const {
  return payload.empty() ? command : command + ' ' + payload;
}

}  // namespace relaycheck::proto::saxion
