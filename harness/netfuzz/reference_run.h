#pragma once
// The reference answer for a case: its writes run through the protocol's reference engine
// in-process (same connections, same writes in the same order, the barrier probes the executor
// wrote written at the same points, virtual time advanced at each barrier), and per connection
// the frames the engine sent, decoded with the dialect (heartbeats left out), and whether it
// closed the connection.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/netfuzz/executor.h"
#include "harness/netfuzz/fuzz_case.h"
#include "harness/protocols/dialect.h"
#include "harness/target.h"

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

// The reference engine fed one write at a time, as the executor writes. fuzz --differential
// keeps one for as long as the target instance lives, case after case, so what a long-running
// target keeps between cases (a chat room) the reference keeps too; run_reference replays a
// finished case through a new one.
class ReferenceStepper {
 public:
  // Throws TargetError when the reference server has no such protocol.
  ReferenceStepper(const std::string& protocol, const Dialect& dialect, Millis step = Millis{10});
  ~ReferenceStepper();
  // A case begins: `conns` new connections, connected in order (their greetings filed under 0).
  void begin_case(int conns);
  // `bytes` written on `conn` during segment `segment` (0-based; the frames it draws are filed
  // under segment + 1, as ReferenceFrame::segment numbers them).
  void write(int conn, const std::string& bytes, std::size_t segment);
  void close(int conn);
  // A segment's barrier passed: the virtual time moves on by `step`, and every connection's
  // frames so far are filed under `filed_as`.
  void barrier(std::size_t filed_as);
  // Every frame the engine has sent so far, filed under `filed_as`.
  void collect_all(std::size_t filed_as);
  // How many of `conn`'s frames so far match `pattern`.
  std::size_t matching(int conn, const json& pattern);
  // The case's run so far.
  const ReferenceRun& run() const { return run_; }
  // The case ends as the executor leaves: every connection of it closed.
  void end_case();

 private:
  struct Side;
  std::unique_ptr<Transport> transport_;
  const Dialect& dialect_;
  Millis step_;
  std::vector<Side> sides_;
  std::size_t writes_ = 0;  // the case's writes so far
  ReferenceRun run_;
};

// `trace` is the target's run of `c` (which probes were written where, which connections got a
// final probe). `step`: the virtual time advanced after each segment (the wire's barrier wait).
// Throws TargetError when the reference server has no such protocol.
ReferenceRun run_reference(const std::string& protocol, const Dialect& dialect, const FuzzCase& c, const Outcome& trace,
                           Millis step = Millis{10});

// The executor's pacer for one case, on a stepper that outlives it (the target instance's): the
// case begins on it when made and ends when destroyed (after the executor's farewells); at the
// executor's end its run of the case is kept for the comparison.
class ReferencePacer final : public ReplyPacer {
 public:
  ReferencePacer(ReferenceStepper& stepper, const FuzzCase& c);
  ~ReferencePacer() override;
  ReferencePacer(const ReferencePacer&) = delete;
  ReferencePacer& operator=(const ReferencePacer&) = delete;
  void wrote(int conn, const std::string& bytes, std::size_t segment) override { stepper_.write(conn, bytes, segment); }
  void closed(int conn) override { stepper_.close(conn); }
  void barrier(std::size_t segment) override { stepper_.barrier(segment + 1); }
  std::size_t matching(int conn, const json& pattern) override { return stepper_.matching(conn, pattern); }
  std::vector<ExpectedReplies> expected(const Outcome& trace) override;
  // The reference's run of the case (set once expected() was asked: the executor got to its end).
  const std::optional<ReferenceRun>& run() const { return run_; }

 private:
  ReferenceStepper& stepper_;
  std::optional<ReferenceRun> run_;
};

// Per connection, what the executor reads on to (Executor::run's `expected`): the frames, and
// those the connection's final probe's reply pattern matches in `trace`.
std::vector<ExpectedReplies> expected_replies(const ReferenceRun& run, const Outcome& trace);

}  // namespace relaycheck::harness::netfuzz
