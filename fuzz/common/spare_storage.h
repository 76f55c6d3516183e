#pragma once
// FramedEngine's Storage for the session fuzz targets (proto/common/framed_engine.h): what an
// engine leaves, the next engine of the same type on this thread takes. A target makes an engine
// per input, and under ASan each allocation costs more than the event around it.
// The tables (the engine's and its session's) go over emptied: their capacity, never their
// content. The strings the session writes its replies into, the engine its send buffers and a
// codec its input into come from this thread's string_pool.h, and go back to it once the engine
// is done with them. A target whose frames hold strings gives them back in its own
// recycle(Frame&&) (saxion's and psuirc's session_fuzz.cc); other frames are just freed.
#include <string>
#include <tuple>
#include <utility>

#include "fuzz/common/string_pool.h"

namespace relaycheck::fuzz {

struct SpareStorage {
  template <class... Table>
  static void take(Table&... tables) {
    if (auto* spare = spare_of<Table...>()) swap_all(*spare, tables...);
  }
  template <class... Table>
  static void give(Table&... tables) {
    (tables.clear(), ...);  // capacity only: the next engine starts empty
    if (auto* spare = spare_of<Table...>()) swap_all(*spare, tables...);
  }

  // A string (a codec's buffer) comes from string_pool.h and goes back to it.
  static void take(std::string& s) { s = string_pool::take(); }
  static void give(std::string& s) { string_pool::give(std::move(s)); }

  static std::string string() { return string_pool::take(); }
  static void recycle(std::string&& s) { string_pool::give(std::move(s)); }
  static void recycle(auto&&) {}

 private:
  template <class... Table>
  static void swap_all(std::tuple<Table...>& spare, Table&... tables) {
    using std::swap;  // the containers' own swap (pointers exchanged), not three moves
    std::apply([&](auto&... kept) { (swap(kept, tables), ...); }, spare);
  }

  // Null once the thread's spare is destroyed (thread exit, in an order the engines do not
  // control): an engine that ends after it just frees its tables.
  template <class... Table>
  static std::tuple<Table...>* spare_of() {
    static thread_local bool gone = false;  // trivially destructible: readable to the end
    struct Holder {
      std::tuple<Table...> tables;
      ~Holder() { gone = true; }
    };
    static thread_local Holder holder;
    return gone ? nullptr : &holder.tables;
  }
};

}  // namespace relaycheck::fuzz
