#pragma once
// Rules for user and room names (spec: Login, Illegal Name; specs/README.md, cs594): 1..32
// characters (Unicode code points of the UTF-8 text), no '.', which is reserved for whisper
// rooms, and no control characters.
#include <cstddef>
#include <string_view>

namespace relaycheck::proto::cs594 {

inline constexpr std::size_t kMaxNameChars = 32;

enum class NameCheck { ok, bad_length, bad_character };

std::size_t utf8_length(std::string_view text);  // code points; the text is valid UTF-8
NameCheck check_name(std::string_view name);

}  // namespace relaycheck::proto::cs594
