#include <nlohmann/json.hpp>

#include "reports/writers.h"

namespace relaycheck::reports {

void write_json(const RunResult& run, std::ostream& out) {
  using nlohmann::json;
  json summary = {{"total", run.results.size()}, {"ok", run.ok()}};
  for (const auto& [status, n] : run.counts()) summary[to_string(status)] = n;
  // Per tier: "spec" (must/should/may) and "decision", which counts only with --strict.
  for (const auto& [tier, counts] : run.counts_by_tier())
    for (const auto& [status, n] : counts) summary["tiers"][tier][to_string(status)] = n;
  json causes = json::array();
  for (const auto& c : run.root_causes()) {
    json ids = json::array();
    for (const auto* r : c.blocked) ids.push_back(r->id);
    causes.push_back(
        {{"at", c.at}, {"first", c.first}, {"message", c.message}, {"expected", c.expected}, {"results", ids}});
  }
  summary["root_causes"] = causes.size();
  summary["blocked"] = run.blocked_count();
  json results = json::array();
  for (const auto& r : run.results) {
    json item = {{"id", r.id},          {"protocol", r.protocol},        {"spec", r.spec},
                 {"level", r.level},    {"requirement", r.requirement},  {"file", r.file},
                 {"line", r.line},      {"status", to_string(r.status)}, {"duration_ms", r.duration_ms},
                 {"message", r.message}};
    if (!r.expected.empty()) item["expected"] = r.expected;
    if (!r.actual.empty()) item["actual"] = r.actual;
    if (!r.notes.empty()) item["notes"] = r.notes;
    item["tier"] = tier_of(r.level);
    if (unexpected(r.status)) item["counted"] = run.counts_against(r);
    if (!r.failed_at.empty()) {
      item["failed_at"] = r.failed_at;
      item["failed_via"] = r.failed_via;
      item["failed_why"] = r.failed_why;
    }
    if (r.blocked_by) item["blocked_by"] = {{"at", r.blocked_by->at}, {"first", r.blocked_by->first}};
    if (unexpected(r.status)) {
      json t = json::array();
      for (const auto& e : r.transcript)
        t.push_back({{"at_ms", e.at_ms}, {"conn", e.conn}, {"kind", to_string(e.kind)}, {"text", e.text}});
      item["transcript"] = std::move(t);
    }
    results.push_back(std::move(item));
  }
  json doc = {{"tool", {{"name", "relaycheck"}, {"version", run.info.tool_version}, {"commit", run.info.git_commit}}},
              {"target", run.info.target},
              {"command_line", run.info.command_line},
              {"seed", run.info.seed},
              {"clock", run.info.clock.empty() ? "real time" : run.info.clock},
              {"started_at", run.info.started_at},
              {"duration_ms", run.info.duration_ms},
              {"incomplete", run.info.incomplete},
              {"strict", run.info.strict},
              {"summary", summary},
              {"root_causes", causes},
              {"results", results}};
  if (run.info.incomplete) doc["incomplete_reason"] = run.info.incomplete_reason;
  if (!run.notes.empty()) doc["notes"] = run.notes;  // run-level: barrier switches, silence windows
  // Invalid UTF-8 from a misbehaving server must not make the report unwritable.
  out << doc.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
}

}  // namespace relaycheck::reports
