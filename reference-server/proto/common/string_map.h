#pragma once
// A map keyed by std::string that is looked up by std::string_view without building a string:
// the sessions look names up in every command, with names from views into the client's line.
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace relaycheck::proto {

struct StringHash : std::hash<std::string_view> {
  using is_transparent = void;  // find/count/contains take any string-like key
};

template <class Value>
using StringMap = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;

}  // namespace relaycheck::proto
