#pragma once
// run's progress line: how many scenarios are done and, while the run waits, on what (the
// scenarios still running and for how long), so a long timer wait is not a silent counter.
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "reports/events.h"

namespace relaycheck::harness::cli {

class ProgressLine final : public reports::EventSink {
 public:
  // `inner`: the run's --events sink, if any (every event is passed on). `tty`: stderr is a
  // terminal (a line redrawn every second); else a plain line after `quiet_for` without a result.
  ProgressLine(reports::EventSink* inner, bool tty, std::chrono::seconds quiet_for = std::chrono::seconds{15});
  ~ProgressLine() override;

  void run_started(const reports::RunInfo& info) override;
  void scenario_started(const std::string& id) override;
  void transcript(const std::string& id, const reports::TranscriptEntry& entry) override;
  void verdict(const reports::ScenarioResult& result) override;
  void run_finished(const reports::RunResult& run) override;

  // The runner's on_result: the counter (on a tty the line is redrawn at once).
  void finished(std::size_t done, std::size_t total);
  // A line of its own (a failure, --verbose), never torn by the redrawn line.
  void print(const std::string& line);
  // "running: <protocol>.area.one 12s, <protocol>.area.two 9s, +3 more"; empty when none.
  std::string running() const;
  void stop();  // ends the redraw thread and clears the tty line

 private:
  void tick();
  std::string line_locked() const;
  void redraw_locked() const;

  reports::EventSink* inner_;
  const bool tty_;
  const std::chrono::seconds quiet_for_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::string, std::chrono::steady_clock::time_point> running_;
  std::size_t done_ = 0, total_ = 0;
  std::chrono::steady_clock::time_point last_result_ = std::chrono::steady_clock::now();
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace relaycheck::harness::cli
