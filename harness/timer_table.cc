// The named spec timers: every plug-in's table (harness/protocols/<id>/plugin.cc) in one list.
#include "harness/protocols/registry.h"
#include "harness/timers.h"

namespace relaycheck::harness {

const std::vector<NamedTimer>& named_timers() {
  static const std::vector<NamedTimer> all = [] {
    std::vector<NamedTimer> v;
    for (const ProtocolPlugin* p : protocol_plugins()) v.insert(v.end(), p->timers.begin(), p->timers.end());
    return v;
  }();
  return all;
}

}  // namespace relaycheck::harness
