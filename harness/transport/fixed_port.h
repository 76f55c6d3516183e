#pragma once
// One launched instance at a time per fixed port (a profile's `port:`), across threads: two
// servers with a hard-coded port cannot both listen on it.
#include <cstdint>

namespace relaycheck::harness::transport {

class FixedPortLock {
 public:
  explicit FixedPortLock(std::uint16_t port);  // waits until no other holder of `port` is left
  ~FixedPortLock();                            // may run on another thread than the constructor
  FixedPortLock(const FixedPortLock&) = delete;
  FixedPortLock& operator=(const FixedPortLock&) = delete;

 private:
  std::uint16_t port_;
};

}  // namespace relaycheck::harness::transport
