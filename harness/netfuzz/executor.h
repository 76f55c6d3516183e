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
};

struct Outcome {
  std::optional<FindingKind> finding;
  std::string detail;
  std::vector<std::string> reply_kinds;  // "<conn>:<kind>" of every reply, in the order read
  std::vector<Segment> segments;
  std::vector<int> final_probes;  // connections whose final barrier probe was answered
  std::size_t frames_sent = 0;
};

class Executor {
 public:
  Executor(FuzzTarget& target, const Dialect& dialect, const ProtocolHints& hints);
  Outcome run(const FuzzCase& c);
  // The barrier probe, if the dialect has one (else connections are synchronised by a quiet window).
  const std::optional<BarrierProbe>& barrier() const { return barrier_; }

 private:
  struct Conn;
  enum class Wait { synced, closed, stuck, hang, violation };
  Wait read_until_barrier(Conn& conn, Outcome& out);
  // After a probe went unanswered: whether a fresh connection's probe is answered.
  bool fresh_connection_answers();
  Wait read_quiet_window(Conn& conn, Outcome& out, Millis window);
  // Decodes what arrived; true when a barrier reply was among it. Sets a violation.
  bool drain(Conn& conn, Outcome& out, bool& violation);

  FuzzTarget& target_;
  const Dialect& dialect_;
  const ProtocolHints& hints_;
  std::optional<BarrierProbe> barrier_;
  bool waits_for_close_ = true;  // false when the target kept its first connection open after our end-of-file
  bool close_decided_ = false;
  AdaptiveTimeout timeout_{std::chrono::milliseconds(1000), std::chrono::milliseconds(3000)};
};

}  // namespace relaycheck::harness::netfuzz
