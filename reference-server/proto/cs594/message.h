#pragma once
// One cs594 frame: a JSON value (an object with an integer "op" when well formed). A value whose
// text is not JSON is still a frame, marked invalid, so the session can answer ERR_MALFORMED and
// the connection goes on (specs/README.md, cs594: invalid JSON is ERR_MALFORMED).
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace relaycheck::proto::cs594 {

using nlohmann::json;

struct Message {
  json body;  // null when !valid_json
  bool valid_json = true;

  static Message parse(std::string_view text);
  // The body as one line of JSON, without the terminator. Invalid UTF-8 cannot occur in parsed
  // values; in values built by hand it is replaced rather than thrown on.
  std::string to_text() const;

  friend bool operator==(const Message& a, const Message& b) {
    return a.valid_json == b.valid_json && a.body == b.body;
  }
};

}  // namespace relaycheck::proto::cs594
