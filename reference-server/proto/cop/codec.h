#pragma once
// cop wire codec. There is no outer frame: each frame's extent follows from its opcode's layout,
// so the decoder parses field by field and waits, without re-parsing, until the bytes a field
// needs have arrived. Memory is bounded by the largest frame (3 strings of kMaxStringBytes).
// After an error the codec stays failed.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>

#include "proto/common/decode_error.h"
#include "proto/common/error_category.h"
#include "proto/cop/frame.h"

namespace relaycheck::proto::cop {

// specs/README.md, cop: a string longer than this, or a negative length, is a protocol error.
inline constexpr std::int32_t kMaxStringBytes = 1024;

enum class errc {
  unknown_opcode = 1,
  negative_length,
  string_too_long,
  invalid_utf8,
};
constexpr const char* category_name(errc) { return "cop"; }
const char* message_of(errc e);
inline std::error_code make_error_code(errc e) { return error_code_of(e); }

class Codec {
 public:
  void feed(std::string_view bytes);
  std::variant<std::monostate, Frame, DecodeError> next();

  // Bytes fed but not yet decoded, handed over when the connection becomes a raw bridge.
  std::string take_unparsed();
  std::size_t buffered() const { return buffer_.size() - pos_; }
  bool failed() const { return failed_; }

  static std::string encode(const Frame& f);

 private:
  std::string buffer_;
  std::size_t pos_ = 0;       // start of the current frame in buffer_
  std::size_t consumed_ = 0;  // stream offset of buffer_[0]
  std::size_t need_ = 1;      // don't try to parse before buffered() reaches this
  bool failed_ = false;
  DecodeError error_{};
};

// Encoding pieces, also used by the harness to build malformed frames.
void put_int32(std::string& out, std::int32_t v);
void put_int64(std::string& out, std::int64_t v);
void put_string(std::string& out, std::string_view s);

}  // namespace relaycheck::proto::cop

template <>
struct std::is_error_code_enum<relaycheck::proto::cop::errc> : std::true_type {};
