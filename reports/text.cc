#include <iomanip>
#include <sstream>

#include "reports/writers.h"

namespace relaycheck::reports {

std::string format_transcript_entry(const TranscriptEntry& e) {
  const char* arrow = "  ";
  switch (e.kind) {
    case TranscriptEntry::Kind::sent:
      arrow = "> ";
      break;
    case TranscriptEntry::Kind::received:
      arrow = "< ";
      break;
    case TranscriptEntry::Kind::connect:
      arrow = "+ ";
      break;
    case TranscriptEntry::Kind::closed_by_client:
      arrow = "x ";
      break;
    case TranscriptEntry::Kind::closed_by_peer:
      arrow = "X ";
      break;
    case TranscriptEntry::Kind::note:
      arrow = "# ";
      break;
  }
  std::ostringstream s;
  s << std::setw(9) << ("+" + std::to_string(e.at_ms) + "ms") << ' ' << (e.conn.empty() ? "-" : e.conn) << ' ' << arrow
    << e.text;
  return s.str();
}

namespace {
std::string upper(const char* s) {
  std::string u(s);
  for (auto& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return u;
}

void write_result(const RunResult& run, const ScenarioResult& r, std::ostream& out) {
  const bool bad = unexpected(r.status);
  out << std::left << std::setw(6) << upper(to_string(r.status)) << r.id << "  (" << r.file << ':' << r.line << ", "
      << r.level << ", " << std::fixed << std::setprecision(1) << r.duration_ms << " ms)"
      << (bad && !run.counts_against(r) ? "  [decision tier: not counted without --strict]" : "") << '\n';
  for (const auto& n : r.notes) out << "      note: " << n << '\n';
  if (r.status == Status::pass) return;
  out << "      requirement: " << r.requirement << "\n      spec: " << r.spec << '\n';
  if (!r.message.empty()) out << "      why: " << r.message << '\n';
  if (!r.expected.empty()) out << "      expected: " << r.expected << '\n';
  if (!r.actual.empty()) out << "      actual:   " << r.actual << '\n';
  if (bad && !r.transcript.empty()) {
    out << "      transcript:\n";
    for (const auto& e : r.transcript) out << "      " << format_transcript_entry(e) << '\n';
  }
}

// "spec: 380 passed, 0 failed; decision: 12 passed, 1 failed (not counted; --strict counts them)"
void tier_line(const RunResult& run, std::ostream& out) {
  const auto tiers = run.counts_by_tier();
  const auto& decision = tiers.at("decision");
  int decision_total = 0;
  for (const auto& [status, n] : decision) decision_total += n;
  auto counts = [](const std::map<Status, int>& c) {
    std::string s = std::to_string(c.at(Status::pass)) + " passed, " + std::to_string(c.at(Status::fail)) + " failed";
    for (Status st : {Status::xpass, Status::error})
      if (c.at(st)) s += ", " + std::to_string(c.at(st)) + ' ' + to_string(st);
    return s;
  };
  out << "spec: " << counts(tiers.at("spec"));
  if (decision_total)
    out << "; decision: " << counts(decision)
        << (run.info.strict ? " (counted: --strict)" : " (not counted; --strict counts them)");
  out << '\n';
}

}  // namespace

std::string summary_line(const RunResult& run) {
  const auto c = run.counts();
  std::size_t not_counted = 0;
  for (const auto& r : run.results) not_counted += unexpected(r.status) && !run.counts_against(r);
  const auto& decision = run.counts_by_tier().at("decision");
  std::ostringstream out;
  out << "relaycheck: " << c.at(Status::pass) << " passed, " << c.at(Status::fail) << " failed, " << c.at(Status::error)
      << " errors, " << c.at(Status::skip) << " skipped, " << c.at(Status::xfail) << " xfail, " << c.at(Status::xpass)
      << " xpass, " << c.at(Status::flaky) << " flaky; of these, decision tier: " << decision.at(Status::pass)
      << " passed, " << decision.at(Status::fail) << " failed"
      << (not_counted ? ", " + std::to_string(not_counted) + " not counted without --strict" : "")
      << (run.info.strict ? " (counted: --strict)" : "");
  return out.str();
}

void write_text(const RunResult& run, std::ostream& out, bool verbose) {
  for (const auto& r : run.results) {
    if (r.blocked_by) continue;  // under its root cause, below
    if (!unexpected(r.status) && !verbose && r.status == Status::pass && r.notes.empty()) continue;
    write_result(run, r, out);
  }
  // Each root cause once: the first failure there in full, the others it blocked by id.
  for (const auto& cause : run.root_causes()) {
    out << "ROOT CAUSE at " << cause.at << ": " << cause.blocked.size()
        << " failures stop at this step of a shared fragment"
        << (cause.expected.empty() ? "" : ", expecting " + cause.expected) << '\n';
    for (const auto* r : cause.blocked)
      if (r->id == cause.first) write_result(run, *r, out);
    out << "      blocked by it:";
    for (const auto* r : cause.blocked)
      if (r->id != cause.first) out << "\n        " << r->id << (run.counts_against(*r) ? "" : "  [decision tier]");
    out << '\n';
  }
  const auto c = run.counts();
  out << "\nrelaycheck " << run.info.tool_version
      << (run.info.git_commit.empty() ? "" : " (" + run.info.git_commit.substr(0, 12) + ")") << ", "
      << run.info.started_at << (run.info.seed.empty() ? "" : ", seed " + run.info.seed)
      << (run.info.clock.empty() ? "" : "\nclock: " + run.info.clock) << "\ntarget " << run.info.target << ": "
      << run.results.size() << " scenarios in " << std::fixed << std::setprecision(0) << run.info.duration_ms << " ms";
  for (Status s : {Status::xfail, Status::xpass, Status::flaky, Status::error})
    if (c.at(s)) out << ", " << c.at(s) << ' ' << to_string(s);
  out << '\n';
  for (const auto& n : run.notes) out << "note: " << n << '\n';
  tier_line(run, out);
  if (const auto causes = run.root_causes(); !causes.empty())
    out << "root causes: " << causes.size() << " root cause" << (causes.size() == 1 ? "" : "s") << ", "
        << run.blocked_count() << " blocked\n";
  out << summary_line(run) << '\n';
  if (run.info.incomplete) out << "relaycheck: INCOMPLETE: " << run.info.incomplete_reason << '\n';
}

}  // namespace relaycheck::reports
