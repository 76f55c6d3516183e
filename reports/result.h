#pragma once
// The result model of a run: what the runner produces and every report writer reads. It knows
// nothing of the runner, the targets or the protocols.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace relaycheck::reports {

enum class Status { pass, fail, skip, xfail, xpass, flaky, error };
inline constexpr Status kAllStatuses[] = {Status::pass,  Status::fail,  Status::skip, Status::xfail,
                                          Status::xpass, Status::flaky, Status::error};

const char* to_string(Status s);
// A status that makes the run fail.
bool unexpected(Status s);

struct TranscriptEntry {
  enum class Kind { connect, sent, received, closed_by_client, closed_by_peer, note };
  long long at_ms = 0;  // since the scenario started (virtual time in-process)
  std::string conn;
  Kind kind = Kind::note;
  std::string text;  // a frame's readable form, or raw bytes escaped
};
const char* to_string(TranscriptEntry::Kind k);

// Bytes as they crossed the wire, for packet captures (kept only when asked for).
struct WireChunk {
  enum class Dir { to_server, to_client, open, close_by_client, close_by_server };
  long long at_ms = 0;
  std::string conn;
  Dir dir = Dir::to_server;
  std::string bytes;
};

struct ScenarioResult {
  std::string id, protocol, spec, requirement, level, file;
  int line = 0;
  Status status = Status::error;
  double duration_ms = 0;
  std::string message;   // why it failed / was skipped; empty on pass
  std::string expected;  // on failure: the pattern that did not match
  std::string actual;    // on failure: what arrived instead
  std::vector<TranscriptEntry> transcript;
  std::vector<WireChunk> wire;  // filled when the run captures (--pcap)
  // What the harness itself did that a reader should know (a barrier probe that did not fit the
  // target and the scenario run again with silence); shown whatever the status.
  std::vector<std::string> notes;
  // Where a failure stopped (status fail): the failing step's file:line:column, the include steps
  // that led there (outermost first; empty: a step of the scenario itself), and why, with the
  // run's own names masked (${uniq}), which is what root-cause grouping compares.
  std::string failed_at;
  std::vector<std::string> failed_via;
  std::string failed_why;
  // Set when this failure stopped at the same step of a shared fragment as others, for the same
  // reason (harness/root_causes.h): that step, and the first scenario (in run order) failing there.
  // The first carries it too, naming itself, so one field finds all of a root cause's results.
  struct BlockedBy {
    std::string at, first;
  };
  std::optional<BlockedBy> blocked_by;
};

// "spec" for level must/should/may (the spec's words), "decision" for the project's own readings.
std::string tier_of(const std::string& level);

// One root cause as the writers show it: the results behind it, in run order (the first is
// `first`), and its reason as the first one's message and expected pattern say it.
struct RootCause {
  std::string at, first, message, expected;
  std::vector<const ScenarioResult*> blocked;
};

struct RunInfo {
  std::string tool_version;
  std::string git_commit;  // of relaycheck's own source, when built from a git checkout
  std::string target;      // with the profile file, when one was used
  std::string command_line;
  std::string seed;        // the run's seed (relaycheck run --seed repeats it)
  std::string clock;       // how the target kept time, e.g. "reference server timers / 60 (...)"; empty: real
  std::string started_at;  // ISO 8601 UTC
  double duration_ms = 0;
  // --strict: decision-tier failures count (h2spec's strict mode); without it they are reported
  // apart and never fail the run.
  bool strict = false;
  // The run was cut short (SIGINT, SIGTERM): the results are those finished by then.
  bool incomplete = false;
  std::string incomplete_reason;  // e.g. "interrupted by SIGTERM after 3 of 40 scenarios"
};

struct RunResult {
  RunInfo info;
  std::vector<ScenarioResult> results;
  // Run-level facts, each once (barrier probes switched to silence, the silence windows used).
  std::vector<std::string> notes;

  std::map<Status, int> counts() const;
  // Per tier ("spec", "decision"), every status present with 0 when none.
  std::map<std::string, std::map<Status, int>> counts_by_tier() const;
  // An unexpected status that fails the run: in the spec tier always; in the decision tier only
  // with --strict, except `error` (the harness could not judge), which always counts.
  bool counts_against(const ScenarioResult& r) const;
  bool ok() const;  // complete, and nothing that counts against it
  // The results' blocked_by, grouped: one entry per root cause, in the order of their firsts.
  std::vector<RootCause> root_causes() const;
  std::size_t blocked_count() const;  // results behind a root cause, not counting the firsts
};

}  // namespace relaycheck::reports
