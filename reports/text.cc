#include <iomanip>
#include <sstream>

#include "reports/writers.h"

namespace relaycheck::reports {

std::string format_transcript_entry(const TranscriptEntry& e) {
  const char* arrow = "  ";
  switch (e.kind) {
    case TranscriptEntry::Kind::sent: arrow = "> "; break;
    case TranscriptEntry::Kind::received: arrow = "< "; break;
    case TranscriptEntry::Kind::connect: arrow = "+ "; break;
    case TranscriptEntry::Kind::closed_by_client: arrow = "x "; break;
    case TranscriptEntry::Kind::closed_by_peer: arrow = "X "; break;
    case TranscriptEntry::Kind::note: arrow = "# "; break;
  }
  std::ostringstream s;
  s << std::setw(9) << ("+" + std::to_string(e.at_ms) + "ms") << ' ' << (e.conn.empty() ? "-" : e.conn) << ' '
    << arrow << e.text;
  return s.str();
}

namespace {
std::string upper(const char* s) {
  std::string u(s);
  for (auto& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return u;
}
}  // namespace

void write_text(const RunResult& run, std::ostream& out, bool verbose) {
  for (const auto& r : run.results) {
    const bool bad = unexpected(r.status);
    if (!bad && !verbose && r.status == Status::pass) continue;
    out << std::left << std::setw(6) << upper(to_string(r.status)) << r.id << "  (" << r.file << ':' << r.line
        << ", " << r.level << ", " << std::fixed << std::setprecision(1) << r.duration_ms << " ms)\n";
    if (r.status == Status::pass) continue;
    out << "      requirement: " << r.requirement << "\n      spec: " << r.spec << '\n';
    if (!r.message.empty()) out << "      why: " << r.message << '\n';
    if (!r.expected.empty()) out << "      expected: " << r.expected << '\n';
    if (!r.actual.empty()) out << "      actual:   " << r.actual << '\n';
    if (bad && !r.transcript.empty()) {
      out << "      transcript:\n";
      for (const auto& e : r.transcript) out << "      " << format_transcript_entry(e) << '\n';
    }
  }
  const auto c = run.counts();
  out << "\nrelaycheck " << run.info.tool_version << (run.info.git_commit.empty() ? "" : " (" + run.info.git_commit.substr(0, 12) + ")")
      << ", " << run.info.started_at << (run.info.seed.empty() ? "" : ", seed " + run.info.seed) << "\ntarget " << run.info.target << ": " << run.results.size() << " scenarios in " << std::fixed
      << std::setprecision(0) << run.info.duration_ms << " ms";
  for (Status s : {Status::xfail, Status::xpass, Status::flaky, Status::error})
    if (c.at(s)) out << ", " << c.at(s) << ' ' << to_string(s);
  out << '\n';
  out << "relaycheck: " << c.at(Status::pass) << " passed, " << c.at(Status::fail) << " failed, "
      << c.at(Status::skip) << " skipped\n";
}

}  // namespace relaycheck::reports
