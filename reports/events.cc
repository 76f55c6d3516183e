#include "reports/events.h"

#include <nlohmann/json.hpp>

namespace relaycheck::reports {

using nlohmann::json;

namespace {
std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }
}  // namespace

void JsonLinesEvents::line(const std::string& text) {
  std::lock_guard<std::mutex> lock(mutex_);
  out_ << text << '\n' << std::flush;
}

void JsonLinesEvents::run_started(const RunInfo& info) {
  line(dump({{"event", "run_started"},
             {"target", info.target},
             {"version", info.tool_version},
             {"commit", info.git_commit},
             {"seed", info.seed},
             {"started_at", info.started_at},
             {"command_line", info.command_line}}));
}

void JsonLinesEvents::scenario_started(const std::string& id) {
  line(dump({{"event", "scenario_started"}, {"id", id}}));
}

void JsonLinesEvents::transcript(const std::string& id, const TranscriptEntry& e) {
  line(dump({{"event", "frame"},
             {"id", id},
             {"at_ms", e.at_ms},
             {"conn", e.conn},
             {"kind", to_string(e.kind)},
             {"text", e.text}}));
}

void JsonLinesEvents::verdict(const ScenarioResult& r) {
  line(dump({{"event", "verdict"},
             {"id", r.id},
             {"status", to_string(r.status)},
             {"duration_ms", r.duration_ms},
             {"message", r.message},
             {"file", r.file},
             {"line", r.line}}));
}

void JsonLinesEvents::run_finished(const RunResult& run) {
  json counts = json::object();
  for (const auto& [status, n] : run.counts()) counts[to_string(status)] = n;
  line(dump({{"event", "run_finished"}, {"ok", run.ok()}, {"counts", counts}, {"duration_ms", run.info.duration_ms}}));
}

}  // namespace relaycheck::reports
