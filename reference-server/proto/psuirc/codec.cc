#include "proto/psuirc/codec.h"

#include "proto/common/utf8.h"
#include "proto/psuirc/errors.h"

namespace relaycheck::proto::psuirc {

std::variant<std::monostate, Line, DecodeError> Codec::next() {
  auto item = next_view();
  if (auto* line = std::get_if<LineView>(&item)) return Line{std::string(line->text)};
  if (auto* err = std::get_if<DecodeError>(&item)) return *err;
  return std::monostate{};
}

std::variant<std::monostate, LineView, DecodeError> Codec::next_view() {
  if (error_) return *error_;
  auto item = lines_.next_view();
  if (auto* err = std::get_if<DecodeError>(&item)) return *err;
  auto* text = std::get_if<std::string_view>(&item);
  if (!text) return std::monostate{};
  // Checked once the line is whole, so the offset does not depend on how the bytes were split.
  if (auto bad = find_invalid_utf8(*text)) {
    error_ = DecodeError{errc::invalid_utf8, lines_.line_start() + *bad};
    return *error_;
  }
  return LineView{*text};
}

}  // namespace relaycheck::proto::psuirc
