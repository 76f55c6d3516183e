#pragma once
// Runs one case against the target and judges what came back (the oracle): the target died or
// refused connections (crash), a barrier probe got no reply in time (hang), a reply did not
// decode (violation), a sanitizer wrote a report on the spawned target's stderr (sanitizer).
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "harness/dialects/dialect.h"
#include "harness/netfuzz/fuzz_case.h"
#include "harness/netfuzz/fuzz_target.h"
#include "harness/netfuzz/protocol_hints.h"
#include "harness/netfuzz/timeouts.h"

namespace relaycheck::harness::netfuzz {

enum class FindingKind { crash, hang, violation, sanitizer };
const char* to_string(FindingKind k);

// A run of consecutive sends on one connection, written together and then synchronised.
struct Segment {
  enum class End {
    answered,  // the barrier probe after it was answered
    unprobed,  // it ended inside a frame (or the dialect has no probe): a quiet window instead
    closed,    // the server closed the connection (or died)
    stuck,     // the probe was not answered, but a fresh connection's was: this one is wedged
  };
  int conn = 0;
  std::size_t begin = 0, end = 0;  // sends [begin, end)
  End how = End::unprobed;
  std::size_t kinds_begin = 0, kinds_end = 0;  // the Outcome::reply_kinds read while it ran
  std::optional<BarrierProbe> probe = std::nullopt;  // the probe written after it (they depend on the state)
};

// A connection's last probe, when it was answered at the end of the case.
struct FinalProbe {
  int conn = 0;
  BarrierProbe probe;
};

struct Outcome {
  std::optional<FindingKind> finding;
  std::string detail;
  std::vector<std::string> reply_kinds;  // "<conn>:<kind>" of every reply, in the order read
  std::vector<Segment> segments;
  std::vector<FinalProbe> final_probes;  // connections whose final barrier probe was answered
  std::size_t frames_sent = 0;
};

class Executor {
 public:
  Executor(FuzzTarget& target, const Dialect& dialect, const ProtocolHints& hints);
  Outcome run(const FuzzCase& c);
  // A fresh connection's barrier probe, if the dialect has one (else connections are synchronised
  // by a quiet window). Later probes follow each connection's state (Dialect::barrier_tracker).
  const std::optional<BarrierProbe>& barrier() const { return barrier_; }
  // How long a probe (and a fresh connection's) may take before it counts as unanswered, instead
  // of the adaptive limit and the ceiling: shorter while a hang is minimised, where every
  // candidate that still hangs costs that long. Nothing: the normal waits.
  void set_hang_patience(std::optional<Millis> patience) { hang_patience_ = patience; }

 private:
  struct Conn;
  enum class Wait { synced, closed, stuck, hang, violation };
  // Reads until the reply matching `reply` arrives; without `reply`, until the connection's probe
  // tracker no longer waits for replies to choose its probe.
  Wait read_until_barrier(Conn& conn, Outcome& out, const json* reply);
  // After a probe went unanswered: whether a fresh connection's probe is answered.
  bool fresh_connection_answers();
  Wait read_quiet_window(Conn& conn, Outcome& out, Millis window);
  // Decodes what arrived; true when a barrier reply was among it. Sets a violation.
  // Stops after the frame matching `reply`, or (`settling`) the one after which the connection's
  // probe tracker is no longer pending.
  bool drain(Conn& conn, Outcome& out, bool& violation, const json* reply, bool settling = false);

  FuzzTarget& target_;
  const Dialect& dialect_;
  const ProtocolHints& hints_;
  std::optional<BarrierProbe> barrier_;
  bool waits_for_close_ = true;  // false when the target kept its first connection open after our end-of-file
  bool close_decided_ = false;
  std::optional<Millis> hang_patience_;
  AdaptiveTimeout timeout_{std::chrono::milliseconds(1000), std::chrono::milliseconds(3000)};
};

}  // namespace relaycheck::harness::netfuzz
