#include "proto/cop/codec.h"

#include "proto/common/utf8.h"

namespace relaycheck::proto::cop {

namespace {

std::int32_t get_int32(const std::string& b, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + static_cast<std::size_t>(i)]);
  return static_cast<std::int32_t>(v);
}

std::int64_t get_int64(const std::string& b, std::size_t at) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + static_cast<std::size_t>(i)]);
  return static_cast<std::int64_t>(v);
}

}  // namespace

const char* message_of(errc e) {
  switch (e) {
    case errc::unknown_opcode:
      return "unknown opcode";
    case errc::negative_length:
      return "negative string length";
    case errc::string_too_long:
      return "string longer than 1024 bytes";
    case errc::invalid_utf8:
      return "string is not valid UTF-8";
  }
  return nullptr;
}

void Codec::feed(std::string_view bytes) {
  if (failed_) return;
  // Compact before growing so a long-lived connection keeps no consumed bytes around.
  if (pos_ > 0 && pos_ >= buffer_.size() / 2) {
    buffer_.erase(0, pos_);
    consumed_ += pos_;
    pos_ = 0;
  }
  buffer_.append(bytes);
}

std::string Codec::take_unparsed() {
  std::string rest = buffer_.substr(pos_);
  consumed_ += buffer_.size();
  buffer_.clear();
  pos_ = 0;
  need_ = 1;
  return rest;
}

std::variant<std::monostate, Frame, DecodeError> Codec::next() {
  if (failed_) return error_;
  if (buffered() < need_) return std::monostate{};
  auto fail = [&](errc e, std::size_t at) -> DecodeError {
    failed_ = true;
    error_ = DecodeError{make_error_code(e), consumed_ + at};
    return error_;
  };
  std::size_t at = pos_;
  const auto op = op_from_byte(static_cast<unsigned char>(buffer_[at]));
  if (!op) return fail(errc::unknown_opcode, at);
  ++at;
  const Layout lay = layout_of(*op);
  Frame f;
  f.op = *op;
  std::string* fields[3] = {&f.sender, lay.has_receiver ? &f.receiver : &f.message, &f.message};
  for (int s = 0; s < lay.strings; ++s) {
    if (buffer_.size() < at + 4) {
      need_ = at + 4 - pos_;
      return std::monostate{};
    }
    const std::int32_t len = get_int32(buffer_, at);
    if (len < 0) return fail(errc::negative_length, at);
    if (len > kMaxStringBytes) return fail(errc::string_too_long, at);
    const auto n = static_cast<std::size_t>(len);
    if (buffer_.size() < at + 4 + n) {
      need_ = at + 4 + n - pos_;
      return std::monostate{};
    }
    std::string_view text(buffer_.data() + at + 4, n);
    if (find_invalid_utf8(text)) return fail(errc::invalid_utf8, at + 4);
    fields[s]->assign(text);
    at += 4 + n;
  }
  if (lay.has_id) {
    if (buffer_.size() < at + 8) {
      need_ = at + 8 - pos_;
      return std::monostate{};
    }
    f.id = get_int64(buffer_, at);
    at += 8;
  }
  pos_ = at;
  need_ = 1;
  return f;
}

void put_int32(std::string& out, std::int32_t v) {
  const auto u = static_cast<std::uint32_t>(v);
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((u >> shift) & 0xFF));
}

void put_int64(std::string& out, std::int64_t v) {
  const auto u = static_cast<std::uint64_t>(v);
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((u >> shift) & 0xFF));
}

void put_string(std::string& out, std::string_view s) {
  put_int32(out, static_cast<std::int32_t>(s.size()));
  out.append(s);
}

std::string Codec::encode(const Frame& f) {
  std::string out;
  out.push_back(static_cast<char>(f.op));
  const Layout lay = layout_of(f.op);
  if (lay.strings >= 1) put_string(out, f.sender);
  if (lay.has_receiver) put_string(out, f.receiver);
  if (lay.has_message) put_string(out, f.message);
  if (lay.has_id) put_int64(out, f.id);
  return out;
}

}  // namespace relaycheck::proto::cop
