#include "proto/saxion/codec.h"

namespace relaycheck::proto::saxion {

std::variant<std::monostate, Message, DecodeError> Codec::next() {
  auto item = lines_.next_view();
  if (auto* line = std::get_if<std::string_view>(&item)) return Message::parse(*line);
  if (auto* err = std::get_if<DecodeError>(&item)) return *err;
  return std::monostate{};
}

std::variant<std::monostate, MessageView, DecodeError> Codec::next_view() {
  auto item = lines_.next_view();
  if (auto* line = std::get_if<std::string_view>(&item)) return MessageView::parse(*line);
  if (auto* err = std::get_if<DecodeError>(&item)) return *err;
  return std::monostate{};
}

std::string Codec::encode(const Message& m) {
  std::string out;
  encode_into(m, out);
  return out;
}

void Codec::encode_into(const Message& m, std::string& out) {
  out.clear();
  out.reserve(m.command.size() + 1 + m.payload.size() + 1);  // at most one allocation
  out += m.command;
  if (!m.payload.empty()) (out += ' ') += m.payload;
  out += '\n';
}

}  // namespace relaycheck::proto::saxion
