#pragma once
// The error replies of the saxion spec's table. The code is normative; the text after it is
// informational (specs/README.md).
#include <string_view>

namespace relaycheck::proto::saxion {

enum class Fail {
  unknown_command = 0,    // FAIL00
  name_taken = 1,         // FAIL01 "User already logged in"
  bad_name = 2,           // FAIL02
  login_first = 3,        // FAIL03
  login_twice = 4,        // FAIL04
  pong_without_ping = 5,  // FAIL05
  only_user = 6,          // FAIL06
  no_such_user = 7,       // FAIL07
  message_to_self = 8,    // FAIL08
};

std::string_view fail_code(Fail f);  // "FAIL03"
std::string_view fail_text(Fail f);  // "Please log in first"

}  // namespace relaycheck::proto::saxion
