#pragma once
// Runs one case against the target and judges what came back (the oracle): the target died or
// refused connections (crash), a barrier probe that had been answered before got no reply in
// time, nor did a fresh connection's (hang), a reply did not decode (violation), a sanitizer
// wrote a report on the spawned target's stderr (sanitizer). A probe that does not fit the
// target (unanswered, or answered otherwise, or by a close) switches to a silence window.
#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "harness/barrier.h"
#include "harness/netfuzz/fuzz_case.h"
#include "harness/netfuzz/fuzz_target.h"
#include "harness/netfuzz/protocol_hints.h"
#include "harness/netfuzz/timeouts.h"
#include "harness/protocols/dialect.h"

namespace relaycheck::harness::netfuzz {

// deviation: a well-formed reply other than the reference engine's (fuzz --differential).
enum class FindingKind { crash, hang, violation, sanitizer, deviation };
const char* to_string(FindingKind k);

// A run of consecutive sends on one connection, written together and then synchronised.
struct Segment {
  enum class End {
    answered,    // the barrier probe after it was answered
    unprobed,    // it ended inside a frame: nothing is due yet, nothing awaited
    silence,     // no probe fits (the state, or its kind was switched off): a silence window
    closed,      // the server closed the connection (or died)
    unanswered,  // the probe was written but not answered in time while the target still serves:
                 // the connection goes on, synchronised by silence windows from here on
  };
  int conn = 0;
  std::size_t begin = 0, end = 0;  // sends [begin, end)
  End how = End::unprobed;
  std::size_t kinds_begin = 0, kinds_end = 0;        // the Outcome::reply_kinds read while it ran
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
  // Every reply but heartbeats, in the order read, with the segment it was read in (the
  // differential comparison's side of the target; the farewells after end-of-file are left out).
  struct Reply {
    int conn = 0;
    std::size_t segment = 0;
    json frame;
  };
  std::vector<Reply> replies;
  std::vector<Segment> segments;
  std::vector<FinalProbe> final_probes;  // connections whose final barrier probe was answered
  std::vector<int> quiet_at_end;         // open at the end, between frames, no probe fits: a silence window
  std::vector<int> half_closed;          // ended inside a frame: end-of-file written, the server's close awaited
  // Read to the reference's count (Executor::run's `expected`): what a connection kept open
  // still had to say was read, so a reply missing at its end shows. Those closed then are listed.
  bool read_to_expected = false;
  std::vector<int> closed_at_end;
  std::size_t frames_sent = 0;
};

// What a connection should have got by the end of a case (the reference engine's, given the run
// so far): its frames, and how many of them its final probe's reply pattern matches.
struct ExpectedReplies {
  std::size_t frames = 0;
  std::size_t probe_like = 0;
};

// The reference engine alongside the target (fuzz --differential). Told every write as it goes
// out, it says how many replies like a probe's answer a connection has had so far: a probe's
// read waits for that many, so a reply like the answer that the case drew is not taken for it
// (which would let the next writes race this connection's). At the end it says what each
// connection should have got.
class ReplyPacer {
 public:
  virtual ~ReplyPacer() = default;
  // Every write, as it goes out (whether or not the target took it: the reference gets them all).
  virtual void wrote(int conn, const std::string& bytes, std::size_t segment) = 0;
  virtual void closed(int conn) = 0;              // our end-of-file on a connection left inside a frame
  virtual void barrier(std::size_t segment) = 0;  // segment `segment` (0-based) was synchronised
  virtual std::size_t matching(int conn, const json& pattern) = 0;
  virtual std::vector<ExpectedReplies> expected(const Outcome& trace) = 0;
};

using Clock = std::chrono::steady_clock;

class Executor {
 public:
  // `mode`: silence never probes (a profile's `barrier: silence`).
  Executor(FuzzTarget& target, const Dialect& dialect, const ProtocolHints& hints,
           BarrierMode mode = BarrierMode::probe);
  // `pacer` (fuzz --differential): probes are read as it says, and before leaving, each
  // connection still open is read on to the reference's count, so a missing last reply shows.
  Outcome run(const FuzzCase& c, ReplyPacer* pacer = nullptr);
  // A fresh connection's barrier probe while it fits the target (else connections are
  // synchronised by a silence window). Later probes follow each connection's state
  // (Dialect::barrier_tracker), each kind switched off on its own when it does not fit.
  std::optional<BarrierProbe> barrier() const { return fitting(barrier_); }
  // The silence window now (calibrated from the round trips seen, bounded).
  Millis silence_window() { return book_.silence_window(dialect_.protocol()).first; }
  // Each probe kind switched to silence, with why, once; and the windows used.
  std::vector<std::string> barrier_notes() const { return book_.notes(); }
  std::size_t barrier_switches() const { return switches_; }
  // Server heartbeats answered so far (a PING, a HEARTBEAT), as a conforming client does.
  std::size_t heartbeats_answered() const { return heartbeats_answered_; }
  // How long a probe (and a fresh connection's) may take before it counts as unanswered, instead
  // of the adaptive limit and the ceiling: shorter while a hang is minimised, where every
  // candidate that still hangs costs that long. Nothing: the normal waits.
  void set_hang_patience(std::optional<Millis> patience) { hang_patience_ = patience; }
  // How long a probe's reply may take now (adaptive, 1 s to 3 s).
  Millis probe_limit() const { return timeout_.limit(); }
  // The same, or the hang patience when one is set.
  Millis probe_patience() const {
    return hang_patience_ ? std::min(*hang_patience_, timeout_.limit()) : timeout_.limit();
  }

 private:
  struct Conn;
  Outcome run_case(const FuzzCase& c);
  enum class Wait { synced, closed, unanswered, dead, hang, violation };
  // Reads until the reply to `probe` arrives; without `probe`, until the connection's probe
  // tracker no longer waits for replies to choose its probe.
  Wait read_until_barrier(Conn& conn, Outcome& out, const BarrierProbe* probe);
  // How a fresh connection fares: its probe answered (or, with no probe that fits, it was
  // accepted); the probe drew another reply, a close or (never answered before) nothing, so it
  // does not fit (switched off here); no reply to a probe that was answered before (silent);
  // the connection refused, or the target died meanwhile (refused). `why` says what happened.
  enum class Fresh { answered, misfit, silent, refused };
  Fresh check_fresh_connection(std::string& why);
  Wait read_quiet_window(Conn& conn, Outcome& out, Millis window, Clock::time_point written = {});
  // Reads until `conn` has `want.frames` replies in `out`. While fewer of them match `probe`'s
  // answer than the reference's, an answer to a probe written is owed: waited for as a probe's;
  // else a silence window with nothing new ends it.
  Wait read_to_count(Conn& conn, Outcome& out, const ExpectedReplies& want, const BarrierProbe* probe);
  // The probe if its kind still fits the target.
  std::optional<BarrierProbe> fitting(const std::optional<BarrierProbe>& probe) const;
  std::string kind_of(const BarrierProbe& probe) const;
  // Switches a probe kind to silence for the rest of the run (recorded once, with why).
  void misfit(const BarrierProbe& probe, const std::string& why);
  void observe_round_trip(std::chrono::microseconds rtt);
  // Decodes what arrived; true when a barrier reply was among it. Sets a violation.
  // Stops after the frame matching `reply`, or (`settling`) the one after which the connection's
  // probe tracker is no longer pending.
  // `answers`: how many frames matching `reply` end it (counted down), one when null.
  bool drain(Conn& conn, Outcome& out, bool& violation, const json* reply, bool settling = false,
             std::size_t* answers = nullptr);
  void answer_heartbeat(Conn& conn, const HeartbeatAnswer& answer);

  FuzzTarget& target_;
  const Dialect& dialect_;
  const ProtocolHints& hints_;
  std::optional<BarrierProbe> barrier_;  // a fresh connection's, fitting or not
  BarrierMode mode_;
  BarrierBook book_;                      // probe kinds switched off, and the silence window
  std::set<std::string> answered_kinds_;  // probe kinds answered at least once this run
  std::size_t switches_ = 0;
  std::size_t heartbeats_answered_ = 0;
  bool waits_for_close_ = true;  // false when the target kept its first connection open after our end-of-file
  bool close_decided_ = false;
  std::optional<Millis> hang_patience_;
  ReplyPacer* pacer_ = nullptr;  // for the case being run
  AdaptiveTimeout timeout_{std::chrono::milliseconds(1000), std::chrono::milliseconds(3000)};
};

}  // namespace relaycheck::harness::netfuzz
