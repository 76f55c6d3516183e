#include "proto/saxion/fail_codes.h"

namespace relaycheck::proto::saxion {

namespace {
struct Entry {
  std::string_view code;
  std::string_view text;
};
constexpr Entry kTable[] = {
    {"FAIL00", "Unknown command"},
    {"FAIL01", "User already logged in"},
    {"FAIL02", "Username has an invalid format or length"},
    {"FAIL03", "Please log in first"},
    {"FAIL04", "User cannot login twice"},
    {"FAIL05", "Pong without ping"},
    {"FAIL06", "You are the only connected user"},
    {"FAIL07", "User does not exist"},
    {"FAIL08", "Cannot send private message to yourself"},
};
}  // namespace

std::string_view fail_code(Fail f) { return kTable[static_cast<int>(f)].code; }
std::string_view fail_text(Fail f) { return kTable[static_cast<int>(f)].text; }

}  // namespace relaycheck::proto::saxion
