#pragma once
// Live events of a run as JSON Lines, written as they happen (for CI annotations and
// dashboards): run start, scenario start, every transcript entry, every verdict, run end.
// Safe to call from several runner threads at once.
#include <mutex>
#include <ostream>
#include <string>

#include "reports/result.h"

namespace relaycheck::reports {

class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void run_started(const RunInfo& info) = 0;
  virtual void scenario_started(const std::string& id) = 0;
  virtual void transcript(const std::string& id, const TranscriptEntry& entry) = 0;
  virtual void verdict(const ScenarioResult& result) = 0;
  virtual void run_finished(const RunResult& run) = 0;
};

class JsonLinesEvents final : public EventSink {
 public:
  explicit JsonLinesEvents(std::ostream& out) : out_(out) {}
  void run_started(const RunInfo& info) override;
  void scenario_started(const std::string& id) override;
  void transcript(const std::string& id, const TranscriptEntry& entry) override;
  void verdict(const ScenarioResult& result) override;
  void run_finished(const RunResult& run) override;

 private:
  void line(const std::string& json_text);
  std::mutex mutex_;
  std::ostream& out_;
};

}  // namespace relaycheck::reports
