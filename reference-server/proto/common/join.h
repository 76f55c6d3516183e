#pragma once
// Strings joined into one, with one allocation at most: the sessions build their replies from a
// few parts (a command word, a name, a payload).
#include <string>
#include <string_view>

namespace relaycheck::proto {

template <class... Parts>
std::string join(const Parts&... parts) {
  std::string out;
  out.reserve((std::string_view(parts).size() + ... + 0));
  (out.append(std::string_view(parts)), ...);
  return out;
}

}  // namespace relaycheck::proto
