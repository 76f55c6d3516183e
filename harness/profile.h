#pragma once
// A target profile (scenarios/profiles/<name>.yaml): how to run one implementation under test
// and what it is known not to do. See docs/profiles.md.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/barrier.h"
#include "harness/match.h"
#include "harness/scenario.h"
#include "harness/transport/launch_spec.h"
#include "proto/common/address.h"
#include "proto/common/time.h"

namespace relaycheck::harness {

struct KnownFailure {
  std::string pattern;  // scenario id or glob
  std::string reason;
  Location at;
};

struct Profile {
  std::string name;
  std::string file;
  std::string description;
  std::string role = "server";  // what the target is: a server, or a client (launch only)
  // `protocol:` the protocols the target speaks (one, or a list); empty: say it with --protocol.
  std::vector<std::string> protocols;
  std::optional<LaunchSpec> launch;  // exactly one of launch and address
  std::string address;
  // What the target publishes for clients (e.g. "public-key-pem"), file contents already
  // read; for a launched target these win over its announcements on stdout.
  std::map<std::string, std::string> attributes;
  // An address target's other named channels (e.g. "control"); none given: it has none.
  std::map<std::string, proto::HostPort> channels;
  std::map<std::string, std::string> vars;
  Wording wording = Wording::exact;
  std::optional<BarrierMode> barrier;  // how `quiet` knows nothing more comes (harness/barrier.h)
  Clock clock;                         // `clock:`: real, scaled or faked time (harness/timers.h); also set in launch
  std::optional<std::vector<std::string>>
      capabilities;  // optional features it implements   // preset scenario variables (e.g. a client's inputs)
  std::vector<KnownFailure> known_failures;  // inline, plus those of known_failures_file

  // The known failure that lists this scenario id, if any.
  const KnownFailure* known_failure(const std::string& id) const;
};

// The known failures of the given results, in the format of a known_failures_file.
std::string baseline_yaml(const std::vector<std::pair<std::string, std::string>>& failing_ids_and_messages);

// Loads a profile by path, or by name from <scenario root>/profiles/<name>.yaml.
// Throws ScenarioError (file:line:column) on bad input.
Profile load_profile(const std::string& name_or_path, const std::string& scenario_root);

}  // namespace relaycheck::harness
