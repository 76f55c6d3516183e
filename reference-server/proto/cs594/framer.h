#pragma once
// Splits a byte stream into JSON values without parsing them: values may be separated by
// whitespace or sent back to back with no delimiter at all (specs/README.md, cs594: real
// clients do both). Objects and arrays end at their matching close bracket (strings and escapes
// are tracked, so brackets inside strings do not count), a string at its closing quote, and any
// other token (a number, true, garbage) at the next whitespace, '{', '[' or '"'.
//
// The framer does not check that a value is valid JSON; the parser does that, so text such as
// {"op": } is still one value and the stream stays in step after it. What the framer cannot
// get past is a value larger than the size limit or nested deeper than the depth limit: that is
// a DecodeError at the offset where the limit was crossed, and the framer stays failed.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>

#include "proto/common/decode_error.h"
#include "proto/common/error_category.h"

namespace relaycheck::proto::cs594 {

enum class framer_errc { value_too_large = 1, too_deep = 2 };
constexpr const char* category_name(framer_errc) { return "cs594"; }
const char* message_of(framer_errc e);
inline std::error_code make_error_code(framer_errc e) { return error_code_of(e); }

class JsonFramer {
 public:
  JsonFramer(std::size_t max_value_bytes, std::size_t max_depth) : max_bytes_(max_value_bytes), max_depth_(max_depth) {}

  void feed(std::string_view bytes) {
    if (!error_) buffer_.append(bytes);
  }
  // The next complete value's text, nothing when more bytes are needed, or the error.
  std::variant<std::monostate, std::string, DecodeError> next();

  bool failed() const { return error_.has_value(); }
  // Bytes of a value that has started but not finished.
  std::size_t pending() const { return buffer_.size() - pos_; }

 private:
  enum class Mode { between, container, string, token };
  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  DecodeError fail(framer_errc e, std::size_t at);

  std::size_t max_bytes_, max_depth_;
  std::string buffer_;
  std::size_t pos_ = 0;       // start of the current value (or of the unread bytes)
  std::size_t scan_ = 0;      // next byte to look at
  std::size_t consumed_ = 0;  // stream offset of buffer_[0]
  Mode mode_ = Mode::between;
  std::size_t depth_ = 0;
  bool in_string_ = false, escape_ = false;
  std::optional<DecodeError> error_;
};

}  // namespace relaycheck::proto::cs594

template <>
struct std::is_error_code_enum<relaycheck::proto::cs594::framer_errc> : std::true_type {};
