#include "harness/dialects/dialect.h"
#include "harness/dialects/saxion.h"
#include "harness/dialects/psuirc.h"
#include "harness/dialects/cop.h"
#include "harness/dialects/cs594.h"

#include <vector>

namespace relaycheck::harness {

namespace {
const std::vector<const Dialect*>& all_dialects() {
  static const SaxionDialect saxion;
  static const PsuircDialect psuirc;
  static const CopDialect cop;
  static const Cs594Dialect cs594;
  static const std::vector<const Dialect*> all = {&saxion, &cop, &psuirc, &cs594};
  return all;
}
}  // namespace

const Dialect* find_dialect(std::string_view protocol) {
  for (const Dialect* d : all_dialects())
    if (d->protocol() == protocol) return d;
  return nullptr;
}

std::string known_protocols() {
  std::string list;
  for (const Dialect* d : all_dialects()) list += (list.empty() ? "" : ", ") + d->protocol();
  return list;
}

}  // namespace relaycheck::harness
