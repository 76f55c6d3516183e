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
};

struct RunInfo {
  std::string tool_version;
  std::string git_commit;  // of relaycheck's own source, when built from a git checkout
  std::string target;      // with the profile file, when one was used
  std::string command_line;
  std::string seed;        // the run's seed (relaycheck run --seed repeats it)
  std::string started_at;  // ISO 8601 UTC
  double duration_ms = 0;
};

struct RunResult {
  RunInfo info;
  std::vector<ScenarioResult> results;

  std::map<Status, int> counts() const;
  bool ok() const;  // no unexpected status
};

}  // namespace relaycheck::reports
