#pragma once
// An incremental splitter of a byte stream into lines, shared by the line-based protocols.
// Accepts "\n", "\r\n" and "\r" as terminators across any split of the input, and bounds the
// buffered bytes: a line longer than the limit is an error, reported at the offset where the
// limit was crossed. After an error the codec stays failed.
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>

#include "proto/common/decode_error.h"
#include "proto/common/error_category.h"

namespace relaycheck::proto {

enum class line_errc { line_too_long = 1 };
constexpr const char* category_name(line_errc) { return "line"; }
const char* message_of(line_errc e);
inline std::error_code make_error_code(line_errc e) { return error_code_of(e); }

// Which bytes end a line. `any`: "\n", "\r\n" and a bare "\r" (saxion). `lf_or_crlf`: only
// "\n", with one "\r" right before it dropped; a bare "\r" elsewhere is an ordinary byte of the
// line (psuirc). In both modes the limit counts the line without its terminator.
enum class LineEnds { any, lf_or_crlf };

// The first "\r" or "\n" at or after `from`, or npos. memchr for each byte in windows (libc's
// vector search rather than a compare per byte); the window bounds the rescan when one kind of
// terminator is far ahead of the other.
inline std::size_t find_line_end(std::string_view s, std::size_t from = 0) {
  constexpr std::size_t kWindow = 256;
  while (from < s.size()) {
    const std::size_t n = std::min(kWindow, s.size() - from);
    const char* p = s.data() + from;
    const auto* lf = static_cast<const char*>(std::memchr(p, '\n', n));
    const std::size_t before_lf = lf ? static_cast<std::size_t>(lf - p) : n;
    if (const auto* cr = static_cast<const char*>(std::memchr(p, '\r', before_lf)))
      return from + static_cast<std::size_t>(cr - p);
    if (lf) return from + before_lf;
    from += n;
  }
  return std::string_view::npos;
}

class LineSplitter {
 public:
  explicit LineSplitter(std::size_t max_line_bytes, LineEnds ends = LineEnds::any)
      : max_line_(max_line_bytes), ends_(ends) {}

  void feed(std::string_view bytes);
  // The next complete line without its terminator, nothing when more bytes are needed, or the
  // error that stopped the stream.
  std::variant<std::monostate, std::string, DecodeError> next();
  // The same, the line as a view into the splitter's buffer, valid until the next feed(): no
  // copy for codecs that parse the line at once.
  std::variant<std::monostate, std::string_view, DecodeError> next_view();

  bool failed() const { return error_.has_value(); }
  // The stream offset of the first byte of the line next() returned last.
  std::size_t line_start() const { return line_start_; }
  std::size_t buffered() const { return buffer_.size() - pos_; }
  // Its buffer, for FramedEngine's Storage (framed_engine.h).
  void storage(auto&& visit) { visit(buffer_); }

 private:
  std::variant<std::monostate, std::string_view, DecodeError> next_lf_or_crlf();

  std::size_t max_line_;
  LineEnds ends_;
  std::size_t line_start_ = 0;
  std::string buffer_;
  std::size_t pos_ = 0;       // start of the unread part of buffer_
  std::size_t scanned_ = 0;   // buffer_[pos_, scanned_) holds no terminator: not searched again
  std::size_t consumed_ = 0;  // stream offset of buffer_[0]
  bool skip_lf_ = false;      // the last line ended with '\r'; a '\n' right after belongs to it
  std::optional<DecodeError> error_;
};

}  // namespace relaycheck::proto

template <>
struct std::is_error_code_enum<relaycheck::proto::line_errc> : std::true_type {};
