#pragma once
// ${uniq}: a short name part unique to one scenario run, so scenarios run against one shared,
// long-running server never meet the users, rooms and nicknames of earlier or parallel runs.
#include <string>

namespace relaycheck::harness {

// Both forms of one scenario run's unique part; lower-case letters and digits only, so they fit
// every protocol's name rules (the strictest, ^[A-Za-z0-9_]{3,14}$, with a prefix of up to 8 characters).
struct UniqueName {
  std::string full;    // ${uniq}: exactly 6 characters, distinct for 36^6 runs of this process
  std::string short2;  // ${uniq2}: its last 2 characters, distinct for 1296 consecutive runs
};

// The next run's unique part: a random per-process offset plus a counter, scattered so that two
// processes running at the same time rarely meet (thread-safe).
UniqueName next_unique_name();

}  // namespace relaycheck::harness
