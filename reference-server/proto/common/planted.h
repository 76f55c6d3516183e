#pragma once
// Deliberate bugs for measuring fuzzers (issue 8's time-to-find benchmark). Compiled only with
// RELAYCHECK_PLANTED_BUGS, which builds the separate relaycheck-server-planted (and a planted
// fuzz build dir); the normal relaycheck-server never contains them. Each call site is marked
// "PLANTED BUG" and kept to a line or two.
#ifdef RELAYCHECK_PLANTED_BUGS
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace relaycheck::proto {

// Whether `bug` is armed: with RELAYCHECK_PLANTED_ONLY=<bug> in the environment only that bug
// fires (one-frame, four-steps, two-clients, hang, bad-reply, heap-overflow), so the benchmark
// and the tests can take each alone.
inline bool planted_armed(const char* bug) {
  const char* only = std::getenv("RELAYCHECK_PLANTED_ONLY");
  return !(only && *only && std::strcmp(only, bug) != 0);
}

// Dies the way a memory-safety bug would: a message on stderr, then SIGABRT.
inline void planted_crash(const char* bug, const char* what) {
  if (!planted_armed(bug)) return;
  std::fprintf(stderr, "relaycheck planted bug %s: %s\n", bug, what);
  std::fflush(stderr);
  std::abort();
}

// A real memory error: copies `text` into a heap block of exactly its size and reads the byte
// after the block (heap-buffer-overflow). AddressSanitizer reports it (relaycheck-server-planted
// is built with it); without ASan it reads a byte of malloc's padding and goes unnoticed.
inline unsigned char planted_overread(const char* bug, const std::string& text) {
  if (!planted_armed(bug) || text.empty()) return 0;
  char* block = static_cast<char*>(std::malloc(text.size()));
  std::memcpy(block, text.data(), text.size());
  const unsigned char past = static_cast<unsigned char>(*static_cast<volatile char*>(block + text.size()));
  std::free(block);
  return past;
}

}  // namespace relaycheck::proto
#endif
