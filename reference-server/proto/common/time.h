#pragma once
// Time in the protocol core is injected, never read from a clock: a monotonic count of
// milliseconds since an arbitrary origin. The net shell feeds steady_clock; tests, the harness's
// in-process target and the fuzzers feed virtual time.
#include <chrono>

namespace relaycheck::proto {

using Millis = std::chrono::milliseconds;
using TimePoint = std::chrono::time_point<std::chrono::steady_clock, Millis>;

inline TimePoint at_ms(long long ms) { return TimePoint{Millis{ms}}; }

}  // namespace relaycheck::proto
