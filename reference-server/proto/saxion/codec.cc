#include "proto/saxion/codec.h"

namespace relaycheck::proto::saxion {

std::variant<std::monostate, Message, DecodeError> Codec::next() {
  auto item = lines_.next();
  if (auto* line = std::get_if<std::string>(&item)) return Message::parse(*line);
  if (auto* err = std::get_if<DecodeError>(&item)) return *err;
  return std::monostate{};
}

}  // namespace relaycheck::proto::saxion
