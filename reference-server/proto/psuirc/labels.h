#pragma once
// Label rules (spec 4): user and room names are readable UTF-8, at least 1 character and at most
// 100 KiB. "Readable" here: no control characters (C0, DEL, C1) and no space, which separates
// arguments. Usernames need at least 2 characters (spec 6). Input is already well-formed UTF-8
// (the codec checks it).
#include <cstddef>
#include <string_view>

namespace relaycheck::proto::psuirc {

bool valid_label(std::string_view text, std::size_t min_chars = 1);
inline bool valid_username(std::string_view text) { return valid_label(text, 2); }
inline bool valid_room_name(std::string_view text) { return valid_label(text, 1); }
// A message: 1 byte to 100 KiB, no control characters (spaces allowed).
bool valid_message(std::string_view text);

}  // namespace relaycheck::proto::psuirc
