#include "proto/cs594/codec.h"

namespace relaycheck::proto::cs594 {

std::variant<std::monostate, Message, DecodeError> Codec::next() {
  auto item = framer_.next();
  if (auto* text = std::get_if<std::string>(&item)) return Message::parse(*text);
  if (auto* err = std::get_if<DecodeError>(&item)) return *err;
  return std::monostate{};
}

}  // namespace relaycheck::proto::cs594
