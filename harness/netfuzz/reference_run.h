#pragma once
// The reference answer for a case: its writes run through the protocol's reference engine
// in-process (same connections, same writes in the same order, the barrier probes the executor
// wrote written at the same points, virtual time advanced at each barrier), and per connection
// the frames the engine sent, decoded with the dialect (heartbeats left out), and whether it
// closed the connection.
#include <cstddef>
#include <string>
#include <vector>

#include "harness/netfuzz/executor.h"
#include "harness/netfuzz/fuzz_case.h"
#include "harness/protocols/dialect.h"

namespace relaycheck::harness::netfuzz {

struct ReferenceFrame {
  json frame;
  // 0: the greeting; i + 1: the executor's segment i drew it; segments.size() + 1: the final probes
  std::size_t segment = 0;
  // The bytes written on its own connection since the last frame a write drew there ("" for a
  // greeting or a notification caused elsewhere): what it answers, for allowances that need it.
  std::string drawn_by;
  std::size_t write = 0;  // the case's n-th write (1-based) that drew it, 0 for none: one answer's frames share it
};

struct ReferenceConn {
  std::vector<ReferenceFrame> frames;
  bool closed = false;
  std::size_t closed_at = 0;  // when it was found closed (numbered as ReferenceFrame::segment)
  std::string closed_by;      // the bytes written there since its last answer, when a write drew the close
  bool undecodable = false;   // the engine's own bytes did not decode (a dialect bug): not compared
};

struct ReferenceRun {
  std::vector<ReferenceConn> conns;
};

// `trace` is the target's run of `c` (which probes were written where, which connections got a
// final probe). `step`: the virtual time advanced after each segment (the wire's barrier wait).
// Throws TargetError when the reference server has no such protocol.
ReferenceRun run_reference(const std::string& protocol, const Dialect& dialect, const FuzzCase& c, const Outcome& trace,
                           Millis step = Millis{10});

}  // namespace relaycheck::harness::netfuzz
