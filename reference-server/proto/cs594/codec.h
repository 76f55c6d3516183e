#pragma once
// cs594 wire codec: a stream of JSON values in, one JSON object per line out (specs/README.md,
// cs594). Bounded: a value over kMaxValueBytes or nested deeper than kMaxDepth ends the stream.
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "proto/common/decode_error.h"
#include "proto/cs594/framer.h"
#include "proto/cs594/message.h"

namespace relaycheck::proto::cs594 {

inline constexpr std::size_t kMaxValueBytes = 64 * 1024;
inline constexpr std::size_t kMaxDepth = 32;

class Codec {
 public:
  explicit Codec(std::size_t max_value_bytes = kMaxValueBytes, std::size_t max_depth = kMaxDepth)
      : framer_(max_value_bytes, max_depth) {}

  void feed(std::string_view bytes) { framer_.feed(bytes); }
  std::variant<std::monostate, Message, DecodeError> next();
  std::size_t pending() const { return framer_.pending(); }

  static std::string encode(const Message& m) { return m.to_text() + '\n'; }

 private:
  JsonFramer framer_;
};

}  // namespace relaycheck::proto::cs594
