#pragma once
// The target implementations, one file each; target.cc picks one from a spec string.
#include <memory>

#include "harness/target.h"
#include "proto/common/address.h"

namespace relaycheck::harness {

std::unique_ptr<Target> make_inprocess_target();
std::unique_ptr<Target> make_address_target(const proto::HostPort& address, const TargetOptions& options);
std::unique_ptr<Target> make_spawn_target(const TargetOptions& options);

}  // namespace relaycheck::harness
