#include "proto/cs594/framer.h"

namespace relaycheck::proto::cs594 {

const char* message_of(framer_errc e) {
  switch (e) {
    case framer_errc::value_too_large:
      return "JSON value too large";
    case framer_errc::too_deep:
      return "JSON value nested too deeply";
  }
  return nullptr;
}

DecodeError JsonFramer::fail(framer_errc e, std::size_t at) {
  error_ = DecodeError{make_error_code(e), consumed_ + at};
  buffer_.clear();
  buffer_.shrink_to_fit();
  pos_ = scan_ = 0;
  return *error_;
}

std::variant<std::monostate, std::string, DecodeError> JsonFramer::next() {
  if (error_) return *error_;
  while (true) {
    if (mode_ == Mode::between) {
      while (pos_ < buffer_.size() && is_space(buffer_[pos_])) ++pos_;
      if (pos_ == buffer_.size()) break;
      const char first = buffer_[pos_];
      scan_ = pos_ + 1;
      if (max_bytes_ == 0) return fail(framer_errc::value_too_large, pos_);
      if (first == '{' || first == '[') {
        mode_ = Mode::container;
        depth_ = 1;
        in_string_ = escape_ = false;
        if (depth_ > max_depth_) return fail(framer_errc::too_deep, pos_);
      } else if (first == '"') {
        mode_ = Mode::string;
        escape_ = false;
      } else {
        mode_ = Mode::token;
      }
    }
    bool complete = false;
    while (scan_ < buffer_.size() && !complete) {
      const char c = buffer_[scan_];
      if (mode_ == Mode::token && (is_space(c) || c == '{' || c == '[' || c == '"')) {
        complete = true;  // the delimiter belongs to what follows
        break;
      }
      if (scan_ - pos_ + 1 > max_bytes_) return fail(framer_errc::value_too_large, scan_);
      if (mode_ == Mode::string || (mode_ == Mode::container && in_string_)) {
        if (escape_)
          escape_ = false;
        else if (c == '\\')
          escape_ = true;
        else if (c == '"') {
          if (mode_ == Mode::string)
            complete = true;
          else
            in_string_ = false;
        }
      } else if (mode_ == Mode::container) {
        if (c == '"') {
          in_string_ = true;
        } else if (c == '{' || c == '[') {
          if (++depth_ > max_depth_) return fail(framer_errc::too_deep, scan_);
        } else if (c == '}' || c == ']') {
          if (--depth_ == 0) complete = true;
        }
      }
      ++scan_;
    }
    if (!complete) break;
    std::string value = buffer_.substr(pos_, scan_ - pos_);
    pos_ = scan_;
    mode_ = Mode::between;
    return value;
  }
  // Need more bytes: drop what has been handed out so the buffer holds at most one value.
  if (pos_ > 0) {
    buffer_.erase(0, pos_);
    consumed_ += pos_;
    scan_ -= std::min(scan_, pos_);
    pos_ = 0;
  }
  if (mode_ == Mode::between) scan_ = 0;
  return std::monostate{};
}

}  // namespace relaycheck::proto::cs594
