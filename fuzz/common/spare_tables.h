#pragma once
// FramedEngine's Tables for the session fuzz targets: an engine's tables, emptied, go to the next
// engine of the same type on this thread with their capacity. A target makes an engine per input,
// and under ASan each allocation of those tables costs more than the event around it.
#include <tuple>
#include <utility>

namespace relaycheck::fuzz {

struct SpareTables {
  template <class... Table>
  static void take(Table&... tables) {
    if (auto* spare = spare_of<Table...>()) swap_all(*spare, tables...);
  }
  template <class... Table>
  static void give(Table&... tables) {
    (tables.clear(), ...);  // capacity only: the next engine starts empty
    if (auto* spare = spare_of<Table...>()) swap_all(*spare, tables...);
  }

 private:
  template <class... Table>
  static void swap_all(std::tuple<Table...>& spare, Table&... tables) {
    std::apply([&](auto&... kept) { (std::swap(kept, tables), ...); }, spare);
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
