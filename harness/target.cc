#include "harness/target.h"

#include "harness/target_impl.h"

namespace relaycheck::harness {

std::unique_ptr<Target> make_target(std::string_view spec, const TargetOptions& options) {
  if (spec == "inprocess") return make_inprocess_target(options);
  if (spec == "spawn") return make_spawn_target(options);
  if (auto hp = proto::parse_host_port(spec)) return make_address_target(*hp, options);
  throw TargetError("unknown target '" + std::string(spec) + "' (expected inprocess, spawn or HOST:PORT)");
}

}  // namespace relaycheck::harness
