#include "harness/protocols/registry.h"

#include <algorithm>

namespace relaycheck::harness {

// Each protocol's plug-in (harness/protocols/<id>/plugin.cc), one line per protocol, in the order
// listings show them. A new protocol adds its line here.
#define RELAYCHECK_PROTOCOL_PLUGINS(X) \
  X(saxion)                            \
  X(cop)                               \
  X(psuirc)                            \
  X(cs594)                             \
  X(moose)

#define RELAYCHECK_DECLARE_PLUGIN(id) const ProtocolPlugin& id##_plugin();
RELAYCHECK_PROTOCOL_PLUGINS(RELAYCHECK_DECLARE_PLUGIN)
#undef RELAYCHECK_DECLARE_PLUGIN

const std::vector<const ProtocolPlugin*>& protocol_plugins() {
#define RELAYCHECK_LIST_PLUGIN(id) &id##_plugin(),
  static const std::vector<const ProtocolPlugin*> all = {RELAYCHECK_PROTOCOL_PLUGINS(RELAYCHECK_LIST_PLUGIN)};
#undef RELAYCHECK_LIST_PLUGIN
  return all;
}

const ProtocolPlugin* find_protocol(std::string_view id) {
  for (const ProtocolPlugin* p : protocol_plugins())
    if (p->dialect.protocol() == id) return p;
  return nullptr;
}

std::string protocol_names() {
  std::string list;
  for (const ProtocolPlugin* p : protocol_plugins()) list += (list.empty() ? "" : ", ") + p->id();
  return list;
}

std::string default_protocol() { return protocol_plugins().front()->id(); }

const Dialect* find_dialect(std::string_view protocol) {
  const ProtocolPlugin* p = find_protocol(protocol);
  return p ? &p->dialect : nullptr;
}

std::string known_protocols() { return protocol_names(); }

}  // namespace relaycheck::harness
