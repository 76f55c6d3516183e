#pragma once
// Deliberate bugs for measuring fuzzers (issue 8's time-to-find benchmark). Compiled only with
// RELAYCHECK_PLANTED_BUGS, which builds the separate relaycheck-server-planted (and a planted
// fuzz build dir); the normal relaycheck-server never contains them. Each call site is marked
// "PLANTED BUG" and kept to a line or two.
#ifdef RELAYCHECK_PLANTED_BUGS
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace relaycheck::proto {

// Dies the way a memory-safety bug would: a message on stderr, then SIGABRT. With
// RELAYCHECK_PLANTED_ONLY=<bug> in the environment only that bug fires (one-frame, four-steps,
// two-clients), so the benchmark can time each alone.
inline void planted_crash(const char* bug, const char* what) {
  const char* only = std::getenv("RELAYCHECK_PLANTED_ONLY");
  if (only && *only && std::strcmp(only, bug) != 0) return;
  std::fprintf(stderr, "relaycheck planted bug %s: %s\n", bug, what);
  std::fflush(stderr);
  std::abort();
}

}  // namespace relaycheck::proto
#endif
