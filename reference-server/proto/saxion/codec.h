#pragma once
// saxion wire codec: lines ended by "\n", "\r\n" or "\r"; the server writes "\n".
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "proto/common/line_codec.h"
#include "proto/saxion/message.h"

namespace relaycheck::proto::saxion {

// A line longer than this without a terminator ends the connection (specs/README.md, saxion).
inline constexpr std::size_t kMaxLineBytes = 64 * 1024;
// The server's own lines echo or relay a client line behind a short prefix ("BCST <name> ", at
// most 6 + 14 bytes), so they may be that much longer; readers of server output allow for it.
inline constexpr std::size_t kMaxServerLineBytes = kMaxLineBytes + 32;

class Codec {
 public:
  explicit Codec(std::size_t max_line_bytes = kMaxLineBytes) : lines_(max_line_bytes) {}

  void feed(std::string_view bytes) { lines_.feed(bytes); }
  // Its buffer, for FramedEngine's Storage (framed_engine.h).
  void storage(auto&& visit) { lines_.storage(visit); }
  std::variant<std::monostate, Message, DecodeError> next();
  // The same as views into the codec's buffer, valid until the next feed(): for readers that only
  // look at the line (the fuzz target re-decodes every line the server writes).
  std::variant<std::monostate, MessageView, DecodeError> next_view();

  // The payload must not contain line terminators; callers only relay decoded payloads.
  static std::string encode(const Message& m);
  // The same into `out` (replacing its content, keeping its capacity).
  static void encode_into(const Message& m, std::string& out);

 private:
  LineSplitter lines_;
};

}  // namespace relaycheck::proto::saxion
