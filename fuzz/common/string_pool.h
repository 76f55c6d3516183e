#pragma once
// Spare strings, one pool per thread, for the fuzz harness: the records of each input and the
// payloads a mutator adds hand their strings back at the next input and take them again instead
// of allocating (under ASan an allocation costs more than the parse around it). Only capacity
// goes round, never content. Bounded: at most kMaxStrings strings of at most kMaxCapacity bytes.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace relaycheck::fuzz::string_pool {

inline constexpr std::size_t kMaxStrings = 256;
inline constexpr std::size_t kMaxCapacity = 1024;
// A new string from take() has room for this much: most lines fit.
inline constexpr std::size_t kMinCapacity = 64;

namespace detail {
// Null once the thread's pool is destroyed (thread exit, in an order its users do not control):
// a string given back after that is just freed.
struct Pool {
  std::vector<std::string> strings;
  ~Pool() { gone = true; }
  static inline thread_local bool gone = false;  // trivially destructible: readable to the end
};
inline std::vector<std::string>* strings() {
  static thread_local Pool pool;
  return Pool::gone ? nullptr : &pool.strings;
}
}  // namespace detail

// An empty string with room for at least kMinCapacity bytes: a spare one when there is one.
inline std::string take() {
  std::vector<std::string>* pool = detail::strings();
  if (!pool || pool->empty()) {
    std::string s;
    s.reserve(kMinCapacity);
    return s;
  }
  std::string s = std::move(pool->back());
  pool->pop_back();
  s.clear();
  return s;
}

// `s`'s storage for a later take(): kept when it is on the heap and not too big, else freed.
inline void give(std::string&& s) {
  const std::size_t capacity = s.capacity();
  if (capacity <= std::string().capacity() || capacity > kMaxCapacity) return;
  std::vector<std::string>* pool = detail::strings();
  if (!pool || pool->size() >= kMaxStrings) return;
  if (pool->capacity() == 0) pool->reserve(kMaxStrings);
  pool->push_back(std::move(s));
}

}  // namespace relaycheck::fuzz::string_pool
