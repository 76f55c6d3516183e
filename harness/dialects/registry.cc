#include "harness/dialects/dialect.h"
#include "harness/dialects/saxion.h"

namespace relaycheck::harness {

const Dialect* find_dialect(std::string_view protocol) {
  static const SaxionDialect saxion;
  static const Dialect* const all[] = {&saxion};
  for (const Dialect* d : all)
    if (d->protocol() == protocol) return d;
  return nullptr;
}

}  // namespace relaycheck::harness
