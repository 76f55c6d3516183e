// One self-contained HTML page per run (no network fetches): a summary, the failures and root
// causes first, then a table per protocol and spec area with expected/actual/transcript, and
// status filters that hide emptied sections. With several runs it adds a cross-target matrix
// (scenario x target), filtered too. A link ending in #hide=pass,skip opens the page with those
// statuses filtered out.
#include <map>
#include <set>
#include <sstream>

#include "reports/markup_escape.h"
#include "reports/writers.h"

namespace relaycheck::reports {

namespace {

std::string fixed1(double v) {
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(1);
  s << v;
  return s.str();
}

// "saxion.ident.name-taken" -> "ident"
std::string area_of(const std::string& id) {
  const auto a = id.find('.');
  const auto b = id.find('.', a + 1);
  return a == std::string::npos || b == std::string::npos ? id : id.substr(a + 1, b - a - 1);
}

constexpr const char* kStyle = R"(
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}h2{font-size:1.2em;margin-top:1.5em}h3{font-size:1.05em;color:#555}
table{border-collapse:collapse;width:100%;margin:.5em 0}
td,th{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f4f4f4}
.pass{background:#e6f4ea}.fail,.error,.xpass{background:#fce8e6}.skip{background:#f1f3f4}
.xfail{background:#fef7e0}.flaky{background:#fff3cd}
.badge{display:inline-block;padding:0 6px;border-radius:3px;font-weight:600}
pre{background:#f8f8f8;padding:6px;overflow:auto;max-height:24em;margin:.3em 0}
.filters label{margin-right:1em}.meta{color:#555}
.tier-decision{font-style:italic}.not-counted{color:#777;font-size:.9em}
details.root-cause{border:1px solid #e0b4b4;border-radius:4px;padding:.3em .6em;margin:.4em 0}
[data-empty=yes]{display:none}
)";

constexpr const char* kScript = R"(
function applyFilters(){
  var shown={};
  document.querySelectorAll('.filters input').forEach(function(c){shown[c.value]=c.checked;});
  document.querySelectorAll('tr[data-status]').forEach(function(r){
    r.style.display=shown[r.getAttribute('data-status')]?'':'none';});
  document.querySelectorAll('tr[data-statuses]').forEach(function(r){
    var any=r.getAttribute('data-statuses').split(' ').some(function(st){return shown[st];});
    r.style.display=any?'':'none';});
  // A section (an area, a protocol, the failures) with no row left shown is hidden whole.
  document.querySelectorAll('section.area,section.protocol,section.failures').forEach(function(sec){
    var any=false;sec.querySelectorAll('tr[data-status]').forEach(function(r){if(r.style.display!=='none')any=true;});
    sec.setAttribute('data-empty',any?'no':'yes');});
}
document.addEventListener('DOMContentLoaded',function(){
  var hide=(location.hash.match(/hide=([a-z,]+)/)||[])[1];
  document.querySelectorAll('.filters input').forEach(function(c){
    if(hide&&hide.split(',').indexOf(c.value)>=0)c.checked=false;
    c.addEventListener('change',applyFilters);});
  applyFilters();});
)";

void summary(const RunResult& run, std::ostream& out) {
  const auto c = run.counts();
  if (run.info.incomplete)
    out << "<p class=\"incomplete\" style=\"background:#fde68a;border:2px solid "
           "#b45309;padding:.5em;font-weight:bold\">"
        << "INCOMPLETE RUN: " << xml_escape(run.info.incomplete_reason) << "</p>\n";
  out << "<p class=\"meta\">target <b>" << xml_escape(run.info.target) << "</b> &middot; "
      << xml_escape(run.info.started_at) << " &middot; relaycheck " << xml_escape(run.info.tool_version)
      << (run.info.git_commit.empty() ? "" : " (" + xml_escape(run.info.git_commit.substr(0, 12)) + ")")
      << (run.info.seed.empty() ? "" : " &middot; seed " + xml_escape(run.info.seed))
      << (run.info.clock.empty() ? "" : " &middot; clock: " + xml_escape(run.info.clock)) << " &middot; "
      << fixed1(run.info.duration_ms) << " ms<br><code>" << xml_escape(run.info.command_line) << "</code></p>\n<p>";
  for (Status s : kAllStatuses)
    out << "<span class=\"badge " << to_string(s) << "\">" << c.at(s) << ' ' << to_string(s) << "</span> ";
  out << "&mdash; <b>" << (run.ok() ? "nothing unexpected" : "UNEXPECTED RESULTS") << "</b></p>\n";
  // Per tier: the spec's words (must/should/may) and this project's decisions, which count only
  // with --strict.
  out << "<p class=\"tiers\">";
  const auto tiers = run.counts_by_tier();
  for (const std::string tier : {"spec", "decision"}) {
    const auto& counts = tiers.at(tier);
    out << "<span class=\"tier tier-" << tier << "\"><b>" << tier << ":</b> " << counts.at(Status::pass) << " passed, "
        << counts.at(Status::fail) << " failed";
    if (tier == "decision") out << (run.info.strict ? " (counted: --strict)" : " (not counted; --strict counts them)");
    out << "</span> ";
  }
  out << "</p>\n";
}

// The unexpected results first, each linking to its row with the evidence (root causes next).
void failures(const RunResult& run, std::ostream& out) {
  std::vector<const ScenarioResult*> list;
  for (const auto& r : run.results)
    if (unexpected(r.status)) list.push_back(&r);
  if (list.empty()) return;
  out << "<section class=\"failures\"><h2>Failures <small>(" << list.size() << ")</small></h2>\n"
      << "<table class=\"failures\"><tr><th>status</th><th>scenario</th><th>level</th><th>why</th></tr>\n";
  for (const auto* r : list) {
    out << "<tr data-status=\"" << to_string(r->status) << "\"><td class=\"" << to_string(r->status) << "\">"
        << to_string(r->status)
        << (run.counts_against(*r) ? "" : "<div class=\"not-counted\">decision tier: not counted</div>")
        << "</td><td><a href=\"#" << xml_escape(r->id) << "\"><code>" << xml_escape(r->id)
        << "</code></a></td><td class=\"tier-" << tier_of(r->level) << "\">" << xml_escape(r->level) << "</td><td>"
        << xml_escape(r->message.substr(0, r->message.find('\n')).substr(0, 200)) << "</td></tr>\n";
  }
  out << "</table></section>\n";
}

// Each root cause once, its results folded under it; the rows below link back to it.
void root_causes(const RunResult& run, const std::string& anchor, std::ostream& out) {
  const auto causes = run.root_causes();
  if (causes.empty()) return;
  out << "<h2>Root causes <small>(" << causes.size() << " root cause" << (causes.size() == 1 ? "" : "s") << ", "
      << run.blocked_count() << " blocked)</small></h2>\n";
  for (std::size_t i = 0; i < causes.size(); ++i) {
    const auto& c = causes[i];
    out << "<details class=\"root-cause\" id=\"" << anchor << "root-cause-" << i + 1 << "\"><summary><code>"
        << xml_escape(c.at) << "</code> &mdash; " << c.blocked.size()
        << " failures stop here: " << xml_escape(c.message.substr(0, 200))
        << (c.expected.empty() ? "" : " (expected " + xml_escape(c.expected.substr(0, 200)) + ")")
        << "</summary>\n<ul>";
    for (const auto* r : c.blocked)
      out << "<li><a href=\"#" << xml_escape(r->id) << "\"><code>" << xml_escape(r->id) << "</code></a>"
          << (r->id == c.first ? " (first: its evidence is in its row)" : "") << "</li>";
    out << "</ul></details>\n";
  }
}

void details(const ScenarioResult& r, std::ostream& out) {
  if (r.message.empty() && r.transcript.empty()) return;
  out << "<details><summary>" << xml_escape(r.message.empty() ? "transcript" : r.message.substr(0, 160))
      << "</summary>";
  if (!r.message.empty()) out << "<pre class=\"why\">" << xml_escape(r.message) << "</pre>";
  if (!r.expected.empty()) out << "<div>expected</div><pre class=\"expected\">" << xml_escape(r.expected) << "</pre>";
  if (!r.actual.empty()) out << "<div>arrived</div><pre class=\"actual\">" << xml_escape(r.actual) << "</pre>";
  if (!r.transcript.empty()) {
    out << "<div>transcript</div><pre class=\"transcript\">";
    for (const auto& e : r.transcript) out << xml_escape(format_transcript_entry(e)) << '\n';
    out << "</pre>";
  }
  out << "</details>";
}

void tables(const RunResult& run, const std::string& anchor, std::ostream& out) {
  const auto causes = run.root_causes();
  std::map<std::string, std::map<std::string, std::vector<const ScenarioResult*>>> groups;
  for (const auto& r : run.results) groups[r.protocol][area_of(r.id)].push_back(&r);
  for (const auto& [protocol, areas] : groups) {
    out << "<section class=\"protocol\"><h2>" << xml_escape(protocol) << "</h2>\n";
    for (const auto& [area, items] : areas) {
      out << "<section class=\"area\"><h3>" << xml_escape(area) << " <small>(" << xml_escape(items.front()->file)
          << ")</small></h3>\n"
          << "<table class=\"results\"><tr><th>status</th><th>scenario</th><th>level</th><th>spec</th>"
             "<th>requirement</th><th>ms</th></tr>\n";
      for (const auto* r : items) {
        out << "<tr data-status=\"" << to_string(r->status) << "\" id=\"" << xml_escape(r->id) << "\" data-tier=\""
            << tier_of(r->level) << "\"><td class=\"" << to_string(r->status) << "\">" << to_string(r->status)
            << (unexpected(r->status) && !run.counts_against(*r)
                    ? "<div class=\"not-counted\">decision tier: not counted</div>"
                    : "")
            << "</td><td><code>" << xml_escape(r->id) << "</code></td><td class=\"tier-" << tier_of(r->level) << "\">"
            << xml_escape(r->level) << "</td><td>" << xml_escape(r->spec) << "</td><td>" << xml_escape(r->requirement);
        if (r->blocked_by) {
          std::size_t n = 0;
          while (n < causes.size() && !(causes[n].at == r->blocked_by->at && causes[n].first == r->blocked_by->first))
            ++n;
          out << "<div class=\"blocked-by\">blocked by <a href=\"#" << anchor << "root-cause-" << n + 1
              << "\">root cause " << n + 1 << "</a> at <code>" << xml_escape(r->blocked_by->at) << "</code>"
              << (r->blocked_by->first == r->id
                      ? " (the first failure there)"
                      : ", first failed in <code>" + xml_escape(r->blocked_by->first) + "</code>")
              << "</div>";
        }
        details(*r, out);
        out << "</td><td>" << fixed1(r->duration_ms) << "</td></tr>\n";
      }
      out << "</table></section>\n";
    }
    out << "</section>\n";
  }
}

void matrix(const std::vector<RunResult>& runs, std::ostream& out) {
  std::set<std::string> ids;
  for (const auto& run : runs)
    for (const auto& r : run.results) ids.insert(r.id);
  out << "<h2>Across targets</h2>\n<table class=\"matrix\"><tr><th>scenario</th>";
  for (const auto& run : runs) out << "<th>" << xml_escape(run.info.target) << "</th>";
  out << "</tr>\n";
  for (const auto& id : ids) {
    // The status filters apply here too: a row is shown while any of its statuses is.
    std::string statuses, cells;
    for (const auto& run : runs) {
      const ScenarioResult* found = nullptr;
      for (const auto& r : run.results)
        if (r.id == id) found = &r;
      if (!found) {
        cells += "<td>&ndash;</td>";
        continue;
      }
      statuses += (statuses.empty() ? "" : " ") + std::string(to_string(found->status));
      cells += "<td class=\"" + std::string(to_string(found->status)) + "\">" + to_string(found->status) + "</td>";
    }
    out << "<tr data-statuses=\"" << statuses << "\"><td><code>" << xml_escape(id) << "</code></td>" << cells
        << "</tr>\n";
  }
  out << "</table>\n";
}

}  // namespace

void write_html(const std::vector<RunResult>& runs, std::ostream& out) {
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>relaycheck report</title><style>"
      << kStyle << "</style><script>" << kScript << "</script></head><body>\n<h1>relaycheck report</h1>\n";
  out << "<div class=\"filters\">show: ";
  for (Status s : kAllStatuses)
    out << "<label><input type=\"checkbox\" value=\"" << to_string(s) << "\" checked> " << to_string(s) << "</label>";
  out << "</div>\n";
  if (runs.size() > 1) matrix(runs, out);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const auto& run = runs[i];
    if (runs.size() > 1) out << "<hr><h2>" << xml_escape(run.info.target) << "</h2>\n";
    const std::string anchor = runs.size() > 1 ? "run" + std::to_string(i + 1) + "-" : "";
    summary(run, out);
    failures(run, out);
    root_causes(run, anchor, out);
    tables(run, anchor, out);
  }
  out << "</body></html>\n";
}

}  // namespace relaycheck::reports
