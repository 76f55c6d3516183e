#include <iomanip>
#include <map>
#include <sstream>

#include "reports/markup_escape.h"
#include "reports/writers.h"

namespace relaycheck::reports {

namespace {
std::string seconds(double ms) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(3) << ms / 1000.0;
  return s.str();
}

// What a result is in JUnit's terms. A decision-tier failure that does not count (no --strict)
// is skipped, so CI dashboards show no red for a choice the spec leaves open.
enum class Kind { passed, failure, error, skipped };
Kind kind_of(const RunResult& run, const ScenarioResult& r) {
  switch (r.status) {
    case Status::pass:
    case Status::flaky:
      return Kind::passed;
    case Status::fail:
    case Status::xpass:
      return run.counts_against(r) ? Kind::failure : Kind::skipped;
    case Status::error:
      return Kind::error;
    default:
      return Kind::skipped;
  }
}
}  // namespace

void write_junit(const RunResult& run, std::ostream& out) {
  std::map<std::string, std::vector<const ScenarioResult*>> by_protocol;
  for (const auto& r : run.results) by_protocol[r.protocol].push_back(&r);
  std::map<Kind, int> total;
  for (const auto& r : run.results) ++total[kind_of(run, r)];
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"relaycheck\" tests=\"" << run.results.size() << "\" failures=\"" << total[Kind::failure]
      << "\" errors=\"" << total[Kind::error] << "\" skipped=\"" << total[Kind::skipped] << "\" time=\""
      << seconds(run.info.duration_ms) << "\"" << (run.info.incomplete ? " incomplete=\"true\"" : "") << ">\n";
  for (const auto& [protocol, items] : by_protocol) {
    int failures = 0, errors = 0, skipped = 0;
    double ms = 0;
    for (auto* r : items) {
      const Kind k = kind_of(run, *r);
      failures += k == Kind::failure;
      errors += k == Kind::error;
      skipped += k == Kind::skipped;
      ms += r->duration_ms;
    }
    out << "  <testsuite name=\"" << xml_escape(protocol) << "\" tests=\"" << items.size() << "\" failures=\""
        << failures << "\" errors=\"" << errors << "\" skipped=\"" << skipped << "\" time=\"" << seconds(ms)
        << "\" timestamp=\"" << xml_escape(run.info.started_at) << "\">\n";
    out << "    <properties>\n";
    for (const auto& [k, v] : {std::pair<const char*, const std::string&>{"relaycheck.version", run.info.tool_version},
                               {"relaycheck.commit", run.info.git_commit},
                               {"target", run.info.target},
                               {"seed", run.info.seed},
                               {"command_line", run.info.command_line}})
      out << "      <property name=\"" << k << "\" value=\"" << xml_escape(v) << "\"/>\n";
    if (run.info.incomplete)
      out << "      <property name=\"incomplete\" value=\"" << xml_escape(run.info.incomplete_reason) << "\"/>\n";
    out << "    </properties>\n";
    for (auto* r : items) {
      const auto area_end = r->id.rfind('.');
      const std::string classname = area_end == std::string::npos ? protocol : r->id.substr(0, area_end);
      out << "    <testcase classname=\"" << xml_escape(classname) << "\" name=\"" << xml_escape(r->id) << "\" file=\""
          << xml_escape(r->file) << "\" line=\"" << r->line << "\" time=\"" << seconds(r->duration_ms) << "\">\n";
      // The tier per testcase: "spec" (level must/should/may) or "decision".
      out << "      <properties><property name=\"tier\" value=\"" << xml_escape(tier_of(r->level))
          << "\"/><property name=\"level\" value=\"" << xml_escape(r->level) << "\"/></properties>\n";
      const Kind kind = kind_of(run, *r);
      if (kind == Kind::passed) {
        out << "    </testcase>\n";
        continue;
      }
      std::ostringstream body;
      body << "requirement: " << r->requirement << "\nspec: " << r->spec << '\n';
      if (!r->expected.empty()) body << "expected: " << r->expected << '\n';
      if (!r->actual.empty()) body << "actual: " << r->actual << '\n';
      for (const auto& e : r->transcript) body << format_transcript_entry(e) << '\n';
      std::string why = r->message;
      if (r->blocked_by)
        why = "root cause at " + r->blocked_by->at +
              (r->blocked_by->first == r->id ? " (first failure there)"
                                             : " (first failed in " + r->blocked_by->first + ")") +
              ": " + why;
      const std::string message = xml_escape(why);
      switch (kind) {
        case Kind::failure:
          out << "      <failure type=\"" << to_string(r->status) << "\" message=\"" << message << "\">"
              << xml_escape(body.str()) << "</failure>\n";
          break;
        case Kind::error:
          out << "      <error message=\"" << message << "\">" << xml_escape(body.str()) << "</error>\n";
          break;
        default:
          if (unexpected(r->status)) {  // a decision-tier failure of a run without --strict
            out << "      <skipped message=\"decision-tier " << to_string(r->status)
                << ", not counted without --strict: " << message << "\"/>\n      <system-out>" << xml_escape(body.str())
                << "</system-out>\n";
          } else {
            out << "      <skipped message=\"" << to_string(r->status) << ": " << message << "\"/>\n";
          }
      }
      out << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace relaycheck::reports
