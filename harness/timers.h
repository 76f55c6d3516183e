#pragma once
// Named spec timers (docs/scenarios.md, "Timers"): the durations the scenarios wait on, one
// table per protocol plug-in (harness/protocols/<id>/plugin.cc), and how a run's clock (real, scaled reference server,
// faked time) turns a scenario's spec-time duration into the real time the runner waits.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/common/time.h"

namespace relaycheck::harness {

using proto::Millis;

struct NamedTimer {
  const char* protocol;
  const char* name;         // ${protocol.name} in a scenario
  Millis value;             // the spec's value (or this project's decision where it has none)
  const char* server_flag;  // the reference server's flag that sets it (relaycheck-server --help)
};

// Every plug-in's table (timer_table.cc asks the registry).
const std::vector<NamedTimer>& named_timers();
const NamedTimer* find_timer(std::string_view protocol, std::string_view name);

// A scenario duration: `500ms` (a round-trip allowance, never scaled) or an expression of spec
// time that names a timer, e.g. `${<protocol>.inactivity} + 20s`, `2 * ${<protocol>.heartbeat_interval}`,
// `${scaled:200ms}` (a margin of a timer check, scaled with the timers).
struct DurationValue {
  Millis spec{0};
  bool scaled = false;  // named: divided by the run's time scale over the network
};
// Parses one; throws std::invalid_argument with a message naming what is wrong. Timers must be
// `protocol`'s own.
DurationValue parse_duration_expression(std::string_view text, std::string_view protocol);

// How a run's targets keep time.
struct Clock {
  enum class Mode { real, scaled, faketime };
  Mode mode = Mode::real;
  double factor = 1;  // scaled: the reference server's timers divided by it; faketime: libfaketime's rate
  bool accelerated() const { return mode != Mode::real && factor > 1; }
};

// No reference-server timer is scaled below this: the shortest timer of a protocol caps its scale
// (a loopback round trip under load must stay well inside every timer).
inline constexpr Millis kShortestScaledTimer{500};
// A scaled `within` deadline is never shorter than this (loopback round trips under load).
inline constexpr Millis kScaledDeadlineFloor{100};

// The factor a protocol's named durations are divided by: 1 for real time; the requested factor
// capped by kShortestScaledTimer for a scaled reference server; the factor itself under faketime
// (the whole process runs fast, every timer alike).
double protocol_scale(const Clock& clock, std::string_view protocol);

// Real time for a named duration at `scale`: deadlines never under kScaledDeadlineFloor (unless
// the spec value itself is shorter); "not before" waits (advance, quiet caps) exactly scaled.
Millis real_time(Millis spec, double scale, bool deadline);

// The reference server's timer flags for `protocol` at `scale` ({"--ping-interval", "1000ms", ...});
// none at scale 1.
std::vector<std::string> scaled_server_flags(std::string_view protocol, double scale);

// "real time", "reference server timers / 60 (<protocol> 60, <protocol> 2, ...)", "faketime x20".
std::string describe(const Clock& clock, const std::vector<std::string>& protocols);

// `--time-scale N`, `clock: {scale: N}` / `{faketime: N}` values: a number >= 1.
std::optional<double> parse_clock_factor(std::string_view text);

}  // namespace relaycheck::harness
