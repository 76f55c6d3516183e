#pragma once
// Strings joined into one, with one allocation at most: the sessions build their replies from a
// few parts (a command word, a name, a payload), with OutputQueue::join (framed_engine.h).
#include <string>
#include <string_view>

namespace relaycheck::proto {

// `parts` appended to `out`.
template <class... Parts>
std::string join_into(std::string out, const Parts&... parts) {
  out.reserve(out.size() + (std::string_view(parts).size() + ... + 0));
  (out.append(std::string_view(parts)), ...);
  return out;
}

}  // namespace relaycheck::proto
