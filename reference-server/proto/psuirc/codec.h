#pragma once
// psuirc wire codec: lines ended by "\n" or "\r\n" (a bare "\r" is an ordinary byte, which no
// label or message accepts); every line must be well-formed UTF-8. The server writes "\n".
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "proto/common/line_codec.h"
#include "proto/psuirc/line.h"

namespace relaycheck::proto::psuirc {

// Labels (user and room names) and messages: at most 100 KiB each (spec 4).
inline constexpr std::size_t kMaxLabelBytes = 100 * 1024;
inline constexpr std::size_t kMaxMessageBytes = 100 * 1024;
// The longest line a client needs: "send <100 KiB label> <100 KiB message>". Longer is an error.
inline constexpr std::size_t kMaxLineBytes = 4 + 1 + kMaxLabelBytes + 1 + kMaxMessageBytes;

class Codec {
 public:
  explicit Codec(std::size_t max_line_bytes = kMaxLineBytes) : lines_(max_line_bytes, LineEnds::lf_or_crlf) {}

  void feed(std::string_view bytes) { lines_.feed(bytes); }
  // Its buffer, for FramedEngine's Storage (framed_engine.h).
  void storage(auto&& visit) { lines_.storage(visit); }
  // A line, nothing yet, or the error that ended the stream: line_errc::line_too_long at the
  // first byte past the limit, or errc::invalid_utf8 at the first byte of the bad sequence.
  // After an error the codec keeps returning it.
  std::variant<std::monostate, Line, DecodeError> next();
  // The same, the line as a view into the codec's buffer, valid until the next feed().
  std::variant<std::monostate, LineView, DecodeError> next_view();

  // The text must not contain "\n"; the session only writes its own strings and decoded text.
  static std::string encode(const Line& l) { return l.text + '\n'; }
  // The same into `out` (replacing its content, keeping its capacity).
  static void encode_into(const Line& l, std::string& out) {
    out.clear();
    out.reserve(l.text.size() + 1);
    (out += l.text) += '\n';
  }

 private:
  LineSplitter lines_;
  std::optional<DecodeError> error_;
};

}  // namespace relaycheck::proto::psuirc
