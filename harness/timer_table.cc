// The named spec timers, one table per protocol. Each value is the spec's where it gives one
// (its sentence quoted) or this project's decision (docs/protocols/<id>.md); the reference
// server's defaults are the same values.
#include "harness/timers.h"

namespace relaycheck::harness {

using namespace std::chrono_literals;

namespace {

// cop (001): "When a client has been inactive for more than 5 minutes he is disconnected."
const std::vector<NamedTimer> kCop = {
    {"cop", "inactivity", 300s, "--inactivity-timeout"},
};

// saxion (002): the spec gives neither ("PING: Periodic ping sent to the client to check
// connectivity"; Unhappy Flow "S:PING S:DSCN Pong timeout"): decisions, docs/protocols/saxion.md.
const std::vector<NamedTimer> kSaxion = {
    {"saxion", "ping_interval", 10s, "--ping-interval"},  // from login, then from each PING
    {"saxion", "pong_timeout", 3s, "--pong-timeout"},     // PING unanswered -> DSCN Pong timeout
};

// cs594 (003): "A heartbeat should be sent back and forth between the server and all connected
// clients every second. If a heartbeat has not been responded to within 5 seconds, the
// connection is considered to be disconnected."
const std::vector<NamedTimer> kCs594 = {
    {"cs594", "heartbeat_interval", 1s, "--heartbeat-interval"},
    {"cs594", "heartbeat_timeout", 5s, "--heartbeat-timeout"},
};

// moose (000): "'probe' commands are sent from the server if the client has not sent a command
// for a certain period of time (default is 7 seconds). Upon receiving a 'probe' the client
// should respond with a 'probeACK' within (default 3) seconds". The ring timeout is this
// project's decision (a ring no one accepts; docs/protocols/moose.md).
const std::vector<NamedTimer> kMoose = {
    {"moose", "probe_after", 7s, "--probe-after"},
    {"moose", "probe_timeout", 3s, "--probe-timeout"},
    {"moose", "ring_timeout", 60s, "--ring-timeout"},
};

// psuirc (004) has no timers.

}  // namespace

const std::vector<NamedTimer>& named_timers() {
  static const std::vector<NamedTimer> all = [] {
    std::vector<NamedTimer> v;
    for (const auto* table : {&kCop, &kSaxion, &kCs594, &kMoose}) v.insert(v.end(), table->begin(), table->end());
    return v;
  }();
  return all;
}

}  // namespace relaycheck::harness
