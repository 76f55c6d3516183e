#include <iomanip>
#include <map>
#include <sstream>

#include "reports/writers.h"

namespace relaycheck::reports {

namespace {
// XML 1.0 text: escape markup and drop characters XML cannot carry.
std::string xml_escape(const std::string& s) {
  std::string o;
  o.reserve(s.size());
  for (unsigned char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      case '\'': o += "&apos;"; break;
      default:
        if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') o += "?";
        else o += static_cast<char>(c);
    }
  }
  return o;
}

std::string seconds(double ms) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(3) << ms / 1000.0;
  return s.str();
}
}  // namespace

void write_junit(const RunResult& run, std::ostream& out) {
  std::map<std::string, std::vector<const ScenarioResult*>> by_protocol;
  for (const auto& r : run.results) by_protocol[r.protocol].push_back(&r);
  const auto total = run.counts();
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"relaycheck\" tests=\"" << run.results.size() << "\" failures=\""
      << total.at(Status::fail) + total.at(Status::xpass) << "\" errors=\"" << total.at(Status::error)
      << "\" skipped=\"" << total.at(Status::skip) + total.at(Status::xfail) << "\" time=\""
      << seconds(run.info.duration_ms) << "\">\n";
  for (const auto& [protocol, items] : by_protocol) {
    int failures = 0, errors = 0, skipped = 0;
    double ms = 0;
    for (auto* r : items) {
      failures += r->status == Status::fail || r->status == Status::xpass;
      errors += r->status == Status::error;
      skipped += r->status == Status::skip || r->status == Status::xfail;
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
    out << "    </properties>\n";
    for (auto* r : items) {
      const auto area_end = r->id.rfind('.');
      const std::string classname = area_end == std::string::npos ? protocol : r->id.substr(0, area_end);
      out << "    <testcase classname=\"" << xml_escape(classname) << "\" name=\"" << xml_escape(r->id)
          << "\" file=\"" << xml_escape(r->file) << "\" line=\"" << r->line << "\" time=\""
          << seconds(r->duration_ms) << "\"";
      if (r->status == Status::pass || r->status == Status::flaky) {
        out << "/>\n";
        continue;
      }
      out << ">\n";
      std::ostringstream body;
      body << "requirement: " << r->requirement << "\nspec: " << r->spec << '\n';
      if (!r->expected.empty()) body << "expected: " << r->expected << '\n';
      if (!r->actual.empty()) body << "actual: " << r->actual << '\n';
      for (const auto& e : r->transcript) body << format_transcript_entry(e) << '\n';
      const std::string message = xml_escape(r->message);
      switch (r->status) {
        case Status::fail:
        case Status::xpass:
          out << "      <failure type=\"" << to_string(r->status) << "\" message=\"" << message << "\">"
              << xml_escape(body.str()) << "</failure>\n";
          break;
        case Status::error:
          out << "      <error message=\"" << message << "\">" << xml_escape(body.str()) << "</error>\n";
          break;
        default:
          out << "      <skipped message=\"" << to_string(r->status) << ": " << message << "\"/>\n";
      }
      out << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace relaycheck::reports
