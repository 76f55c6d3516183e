#include "proto/cs594/message.h"

namespace relaycheck::proto::cs594 {

Message Message::parse(std::string_view text) {
  // No exceptions: a parse failure comes back as a discarded value. The framer has bounded the
  // nesting depth, so the recursive parser's stack is bounded too.
  json value = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return Message{json(), false};
  return Message{std::move(value), true};
}

std::string Message::to_text() const {
  if (!valid_json) return "null";
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace relaycheck::proto::cs594
