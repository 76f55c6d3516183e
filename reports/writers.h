#pragma once
// Every report format, from one RunResult. Writers to files go through write_atomically, so an
// interrupted run never leaves a partial report that looks complete.
#include <ostream>
#include <string>
#include <vector>

#include "reports/result.h"

namespace relaycheck::reports {

void write_text(const RunResult& run, std::ostream& out, bool verbose);
// Every count on one line (passed, failed, errors, skipped, xfail, xpass, flaky, the decision
// tier): the text report's last line, and what `run` always prints on stderr at its end.
std::string summary_line(const RunResult& run);
void write_json(const RunResult& run, std::ostream& out);
void write_junit(const RunResult& run, std::ostream& out);
// Several runs (e.g. of different targets) give a cross-target matrix on top.
void write_html(const std::vector<RunResult>& runs, std::ostream& out);

// One scenario's wire bytes (ScenarioResult::wire) as a pcapng capture of loopback TCP streams.
void write_pcapng(const ScenarioResult& result, std::ostream& out);

// Reads a JSON report back (for `relaycheck report`). Throws std::runtime_error naming what is
// wrong.
RunResult read_json(const std::string& text, const std::string& name);

// Writes via a temporary file in the same directory and renames it into place.
// Throws std::runtime_error naming the path on failure.
void write_atomically(const std::string& path, const std::string& content);

// One transcript line as people read it: "  +12ms alice > IDENT alice".
std::string format_transcript_entry(const TranscriptEntry& e);

}  // namespace relaycheck::reports
