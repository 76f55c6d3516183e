// Reads relaycheck's own JSON report back into the result model.
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "reports/writers.h"

namespace relaycheck::reports {

namespace {

Status status_from(const std::string& s, const std::string& name) {
  for (Status st : kAllStatuses)
    if (s == to_string(st)) return st;
  throw std::runtime_error(name + ": unknown status '" + s + "'");
}

TranscriptEntry::Kind kind_from(const std::string& s) {
  for (auto k : {TranscriptEntry::Kind::connect, TranscriptEntry::Kind::sent, TranscriptEntry::Kind::received,
                 TranscriptEntry::Kind::closed_by_client, TranscriptEntry::Kind::closed_by_peer})
    if (s == to_string(k)) return k;
  return TranscriptEntry::Kind::note;
}

}  // namespace

RunResult read_json(const std::string& text, const std::string& name) {
  using nlohmann::json;
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    throw std::runtime_error(name + ": not JSON (byte " + std::to_string(e.byte) + ")");
  }
  if (!doc.is_object() || !doc.contains("results") || !doc["results"].is_array() || !doc.contains("summary"))
    throw std::runtime_error(name + ": not a relaycheck JSON report (no summary/results)");
  RunResult run;
  try {
    run.info.target = doc.value("target", name);
    run.info.command_line = doc.value("command_line", "");
    run.info.seed = doc.value("seed", "");
    if (const std::string c = doc.value("clock", ""); c != "real time") run.info.clock = c;
    run.info.started_at = doc.value("started_at", "");
    run.info.duration_ms = doc.value("duration_ms", 0.0);
    run.notes = doc.value("notes", std::vector<std::string>{});
    run.info.incomplete = doc.value("incomplete", false);
    run.info.strict = doc.value("strict", false);
    run.info.incomplete_reason = doc.value("incomplete_reason", "");
    if (doc.contains("tool")) {
      run.info.tool_version = doc["tool"].value("version", "");
      run.info.git_commit = doc["tool"].value("commit", "");
    }
    for (const auto& item : doc["results"]) {
      ScenarioResult r;
      r.id = item.at("id").get<std::string>();
      r.status = status_from(item.at("status").get<std::string>(), name);
      r.protocol = item.value("protocol", "");
      r.spec = item.value("spec", "");
      r.level = item.value("level", "");
      r.requirement = item.value("requirement", "");
      r.file = item.value("file", "");
      r.line = item.value("line", 0);
      r.duration_ms = item.value("duration_ms", 0.0);
      r.message = item.value("message", "");
      r.expected = item.value("expected", "");
      r.actual = item.value("actual", "");
      r.notes = item.value("notes", std::vector<std::string>{});
      r.failed_at = item.value("failed_at", "");
      r.failed_via = item.value("failed_via", std::vector<std::string>{});
      r.failed_why = item.value("failed_why", "");
      if (item.contains("blocked_by"))
        r.blocked_by = ScenarioResult::BlockedBy{item["blocked_by"].at("at").get<std::string>(),
                                                 item["blocked_by"].at("first").get<std::string>()};
      if (item.contains("transcript"))
        for (const auto& e : item["transcript"])
          r.transcript.push_back(
              {e.value("at_ms", 0LL), e.value("conn", ""), kind_from(e.value("kind", "")), e.value("text", "")});
      run.results.push_back(std::move(r));
    }
  } catch (const json::exception& e) {
    throw std::runtime_error(name + ": malformed result: " + e.what());
  }
  return run;
}

}  // namespace relaycheck::reports
