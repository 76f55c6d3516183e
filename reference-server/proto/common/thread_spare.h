#pragma once
// One T per thread, for storage that outlives its users: an engine's tables, spare strings. The
// fuzz targets make a new engine for every input, and under ASan an allocation costs more than
// the work around it, so what one engine leaves the next one takes.
//
// get() is null once the thread's T is destroyed (at thread exit, in an order the users do not
// control): a user destroyed after it then just frees its own storage.
namespace relaycheck::proto {

template <class T>
class ThreadSpare {
 public:
  static T* get() { return gone_ ? nullptr : &holder_.value; }

 private:
  struct Holder {
    T value{};
    ~Holder() { gone_ = true; }
  };
  static inline thread_local bool gone_ = false;  // trivially destructible: readable to the end
  static inline thread_local Holder holder_;
};

}  // namespace relaycheck::proto
