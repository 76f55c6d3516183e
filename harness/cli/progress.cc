#include "harness/cli/progress.h"

#include <algorithm>
#include <iostream>
#include <vector>

namespace relaycheck::harness::cli {

using SteadyClock = std::chrono::steady_clock;

ProgressLine::ProgressLine(reports::EventSink* inner, bool tty, std::chrono::seconds quiet_for)
    : inner_(inner), tty_(tty), quiet_for_(quiet_for), thread_([this] { tick(); }) {}

ProgressLine::~ProgressLine() { stop(); }

void ProgressLine::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (tty_) std::cerr << "\r\033[K" << std::flush;
}

void ProgressLine::run_started(const reports::RunInfo& info) {
  if (inner_) inner_->run_started(info);
}
void ProgressLine::scenario_started(const std::string& id) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    running_[id] = SteadyClock::now();
  }
  if (inner_) inner_->scenario_started(id);
}
void ProgressLine::transcript(const std::string& id, const reports::TranscriptEntry& entry) {
  if (inner_) inner_->transcript(id, entry);
}
void ProgressLine::verdict(const reports::ScenarioResult& result) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    running_.erase(result.id);
  }
  if (inner_) inner_->verdict(result);
}
void ProgressLine::run_finished(const reports::RunResult& run) {
  if (inner_) inner_->run_finished(run);
}

void ProgressLine::finished(std::size_t done, std::size_t total) {
  std::lock_guard<std::mutex> lock(mutex_);
  done_ = done;
  total_ = total;
  last_result_ = SteadyClock::now();
  if (tty_) redraw_locked();
}

void ProgressLine::print(const std::string& line) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (tty_) std::cerr << "\r\033[K";
  std::cerr << line << '\n';
  if (tty_) redraw_locked();
}

void ProgressLine::redraw_locked() const {
  const std::string counter = "[" + std::to_string(done_) + "/" + (total_ ? std::to_string(total_) : "?") + "] ";
  std::cerr << "\r\033[K" << counter << line_locked().substr(0, 200) << std::flush;
}

std::string ProgressLine::running() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return line_locked();
}

// The longest-running first: those are what the run waits on.
std::string ProgressLine::line_locked() const {
  if (running_.empty()) return {};
  std::vector<std::pair<SteadyClock::time_point, std::string>> by_age;
  for (const auto& [id, since] : running_) by_age.emplace_back(since, id);
  std::sort(by_age.begin(), by_age.end());
  const auto now = SteadyClock::now();
  std::string out = "running: ";
  const std::size_t shown = std::min<std::size_t>(by_age.size(), 3);
  for (std::size_t i = 0; i < shown; ++i) {
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(now - by_age[i].first).count();
    out += (i ? ", " : "") + by_age[i].second + " " + std::to_string(secs) + "s";
  }
  if (by_age.size() > shown) out += ", +" + std::to_string(by_age.size() - shown) + " more";
  return out;
}

void ProgressLine::tick() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::seconds{1});
    if (stopping_ || (total_ == 0 && running_.empty())) continue;
    const std::string what = line_locked();
    const std::string counter = "[" + std::to_string(done_) + "/" + (total_ ? std::to_string(total_) : "?") + "] ";
    if (tty_) {
      redraw_locked();
    } else if (!what.empty() && SteadyClock::now() - last_result_ >= quiet_for_) {
      std::cerr << counter << "waiting; " << what << '\n';
      last_result_ = SteadyClock::now();  // once per quiet stretch, not every second
    }
  }
}

}  // namespace relaycheck::harness::cli
