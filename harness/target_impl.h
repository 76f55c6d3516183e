#pragma once
// The makers of the target kinds (target.h lists the kinds and their files): make_target picks
// from a --target string; a profile's launch makes a launched or a client target.
#include <memory>

#include "harness/profile.h"
#include "harness/target.h"
#include "proto/common/address.h"
#include "proto/common/engine.h"
#include "proto/common/protocol_info.h"

namespace relaycheck::harness {

std::unique_ptr<Target> make_inprocess_target(const TargetOptions& options = {});
// The reference engine's options for a run: the seed, where the protocol takes one.
proto::OptionValues reference_options(const std::string& protocol, const TargetOptions& options);
// A transport over a given engine, on virtual time (tests use it with decorated engines).
std::unique_ptr<Transport> make_inprocess_transport(std::unique_ptr<proto::Engine> engine);
std::unique_ptr<Target> make_address_target(const proto::HostPort& address, const TargetOptions& options);
std::unique_ptr<Target> make_spawn_target(const TargetOptions& options);
std::unique_ptr<Target> make_launch_target(const LaunchSpec& spec, const std::string& label,
                                           const TargetOptions& options);
// A client under test, launched per scenario with {port} pointing at relaycheck as the server.
// `attributes` are what relaycheck holds as that server (e.g. "private-key-pem", its key pair).
std::unique_ptr<Target> make_client_target(const LaunchSpec& spec, const std::string& label,
                                           std::map<std::string, std::string> attributes = {});

}  // namespace relaycheck::harness
