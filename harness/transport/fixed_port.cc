#include "harness/transport/fixed_port.h"

#include <condition_variable>
#include <mutex>
#include <set>

namespace relaycheck::harness::transport {

namespace {

// Not a std::mutex per port: a transport may be released by another thread than took it.
struct Ports {
  std::mutex mutex;
  std::condition_variable freed;
  std::set<std::uint16_t> held;
};

Ports& ports() {
  static Ports p;
  return p;
}

}  // namespace

FixedPortLock::FixedPortLock(std::uint16_t port) : port_(port) {
  Ports& p = ports();
  std::unique_lock<std::mutex> lock(p.mutex);
  p.freed.wait(lock, [&] { return p.held.count(port) == 0; });
  p.held.insert(port);
}

FixedPortLock::~FixedPortLock() {
  Ports& p = ports();
  {
    std::lock_guard<std::mutex> lock(p.mutex);
    p.held.erase(port_);
  }
  p.freed.notify_all();
}

}  // namespace relaycheck::harness::transport
