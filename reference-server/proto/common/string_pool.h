#pragma once
// Spare strings, one pool per thread: code that makes many short-lived strings (the engine's
// send buffers, the sessions' reply payloads, the codecs' line buffers) hands them back when
// done and takes them again instead of allocating. An allocation costs more than the work around
// it under ASan, and the fuzz targets make a new engine for every input, so the pool outlives
// engines. Bounded: at most kMaxStrings strings of at most kMaxCapacity bytes each (256 KiB a
// thread); the bound on their number is well above what one event sends (a write of many lines
// sends a reply to each before any comes back).
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "proto/common/thread_spare.h"

namespace relaycheck::proto::string_pool {

inline constexpr std::size_t kMaxStrings = 256;
inline constexpr std::size_t kMaxCapacity = 1024;
// A new string from take() has room for this much: most lines fit, so the one allocation a
// string makes serves it from then on.
inline constexpr std::size_t kMinCapacity = 64;

struct Spares {
  std::vector<std::string> strings;
};

// An empty string with room for at least kMinCapacity bytes: a spare one when there is one.
inline std::string take() {
  Spares* pool = ThreadSpare<Spares>::get();
  if (!pool || pool->strings.empty()) {
    std::string s;
    s.reserve(kMinCapacity);
    return s;
  }
  std::string s = std::move(pool->strings.back());
  pool->strings.pop_back();
  s.clear();
  return s;
}

// `s`'s storage for a later take(): kept when it is on the heap and not too big, else freed.
inline void give(std::string&& s) {
  const std::size_t capacity = s.capacity();
  if (capacity <= std::string().capacity() || capacity > kMaxCapacity) return;
  Spares* pool = ThreadSpare<Spares>::get();
  if (!pool || pool->strings.size() >= kMaxStrings) return;
  if (pool->strings.capacity() == 0) pool->strings.reserve(kMaxStrings);
  pool->strings.push_back(std::move(s));
}

// A string holding `parts` joined: in the string itself when short, else in a spare string (or
// one allocation).
template <class... Parts>
std::string join(const Parts&... parts) {
  const std::size_t size = (std::string_view(parts).size() + ... + 0);
  std::string out = size > std::string().capacity() ? take() : std::string();
  out.reserve(size);
  (out.append(std::string_view(parts)), ...);
  return out;
}

}  // namespace relaycheck::proto::string_pool
