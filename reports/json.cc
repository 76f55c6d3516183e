#include <nlohmann/json.hpp>

#include "reports/writers.h"

namespace relaycheck::reports {

void write_json(const RunResult& run, std::ostream& out) {
  using nlohmann::json;
  json summary = {{"total", run.results.size()}, {"ok", run.ok()}};
  for (const auto& [status, n] : run.counts()) summary[to_string(status)] = n;
  json results = json::array();
  for (const auto& r : run.results) {
    json item = {{"id", r.id},           {"protocol", r.protocol},       {"spec", r.spec},
                 {"level", r.level},     {"requirement", r.requirement}, {"file", r.file},
                 {"line", r.line},       {"status", to_string(r.status)}, {"duration_ms", r.duration_ms},
                 {"message", r.message}};
    if (!r.expected.empty()) item["expected"] = r.expected;
    if (!r.actual.empty()) item["actual"] = r.actual;
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
              {"started_at", run.info.started_at},
              {"duration_ms", run.info.duration_ms},
              {"summary", summary},
              {"results", results}};
  // Invalid UTF-8 from a misbehaving server must not make the report unwritable.
  out << doc.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
}

}  // namespace relaycheck::reports
