#pragma once
// Shrinks a finding's case while it still reproduces: fewest frames first (delta debugging over
// the writes, then whole connections), then fewest bytes within each write. Every candidate is
// re-checked with `reproduces`, which runs it against the target.
#include <chrono>
#include <cstddef>
#include <functional>

#include "harness/netfuzz/fuzz_case.h"

namespace relaycheck::harness::netfuzz {

struct MinimiseLimits {
  std::size_t max_checks = 400;
  // Wall-clock budget (0: none): a hang takes seconds to confirm, so its checks add up.
  std::chrono::milliseconds max_time{0};
};

// `reproduces(c)` is true when c still shows the finding. Returns the smallest case found;
// `checks` (if given) counts the re-checks made.
FuzzCase minimise(const FuzzCase& found, const std::function<bool(const FuzzCase&)>& reproduces,
                  MinimiseLimits limits = {}, std::size_t* checks = nullptr);

}  // namespace relaycheck::harness::netfuzz
