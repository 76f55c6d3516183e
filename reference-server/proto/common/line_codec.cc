#include "proto/common/line_codec.h"

#include <algorithm>

namespace relaycheck::proto {

const char* message_of(line_errc e) {
  switch (e) {
    case line_errc::line_too_long:
      return "line too long";
  }
  return nullptr;
}

void LineSplitter::feed(std::string_view bytes) {
  if (error_) return;
  // Compact before growing so a long-lived connection does not keep consumed bytes around.
  if (pos_ > 0 && pos_ >= buffer_.size() / 2) {
    buffer_.erase(0, pos_);
    consumed_ += pos_;
    scanned_ = scanned_ > pos_ ? scanned_ - pos_ : 0;
    pos_ = 0;
  }
  buffer_.append(bytes);
}

std::variant<std::monostate, std::string, DecodeError> LineSplitter::next() {
  auto item = next_view();
  if (auto* line = std::get_if<std::string_view>(&item)) return std::string(*line);
  if (auto* err = std::get_if<DecodeError>(&item)) return *err;
  return std::monostate{};
}

std::variant<std::monostate, std::string_view, DecodeError> LineSplitter::next_view() {
  if (error_) return *error_;
  if (ends_ == LineEnds::lf_or_crlf) return next_lf_or_crlf();
  if (skip_lf_ && pos_ < buffer_.size()) {
    if (buffer_[pos_] == '\n') ++pos_;
    skip_lf_ = false;
  }
  // A line written a byte at a time is searched once, not once per byte.
  const std::size_t end = find_line_end(buffer_, std::max(pos_, scanned_));
  if (end == std::string::npos) {
    scanned_ = buffer_.size();
    if (buffer_.size() - pos_ > max_line_) {
      error_ = DecodeError{line_errc::line_too_long, consumed_ + pos_ + max_line_};
      return *error_;
    }
    return std::monostate{};
  }
  if (end - pos_ > max_line_) {
    error_ = DecodeError{line_errc::line_too_long, consumed_ + pos_ + max_line_};
    return *error_;
  }
  const std::string_view line = std::string_view(buffer_).substr(pos_, end - pos_);
  line_start_ = consumed_ + pos_;
  skip_lf_ = buffer_[end] == '\r';
  pos_ = end + 1;
  scanned_ = pos_;
  return line;
}

std::variant<std::monostate, std::string_view, DecodeError> LineSplitter::next_lf_or_crlf() {
  const std::size_t end = buffer_.find('\n', std::max(pos_, scanned_));
  const std::size_t start_offset = consumed_ + pos_;
  if (end == std::string::npos) {
    scanned_ = buffer_.size();
    // Unterminated: the line is surely too long once it holds max + 1 bytes that cannot all be
    // kept, i.e. more than max + 1 bytes, or exactly max + 1 whose last is not a possible "\r"
    // of a coming "\r\n". The offset is the first byte past the limit, as for a terminated line.
    const std::size_t have = buffer_.size() - pos_;
    if (have > max_line_ + 1 || (have == max_line_ + 1 && buffer_.back() != '\r')) {
      error_ = DecodeError{line_errc::line_too_long, start_offset + max_line_};
      return *error_;
    }
    return std::monostate{};
  }
  std::size_t length = end - pos_;
  if (length > 0 && buffer_[end - 1] == '\r') --length;
  if (length > max_line_) {
    error_ = DecodeError{line_errc::line_too_long, start_offset + max_line_};
    return *error_;
  }
  const std::string_view line = std::string_view(buffer_).substr(pos_, length);
  line_start_ = start_offset;
  pos_ = end + 1;
  scanned_ = pos_;
  return line;
}

}  // namespace relaycheck::proto
