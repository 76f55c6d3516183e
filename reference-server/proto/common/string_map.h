#pragma once
// A map keyed by std::string that is looked up by std::string_view without building a string:
// the sessions look names up in every command, with names from views into the client's line.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include <boost/unordered/unordered_flat_map.hpp>

namespace relaycheck::proto {

struct StringHash : std::hash<std::string_view> {
  using is_transparent = void;  // find/count/contains take any string-like key
};

// Open addressing: no allocation per entry; entries move when the table grows.
template <class Value>
using StringMap = boost::unordered_flat_map<std::string, Value, StringHash, std::equal_to<>>;

}  // namespace relaycheck::proto
