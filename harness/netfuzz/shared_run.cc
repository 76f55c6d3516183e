#include "harness/netfuzz/shared_run.h"

#include <algorithm>

namespace relaycheck::harness::netfuzz {

SharedRun::SharedRun(const FuzzOptions& o, std::size_t workers, std::function<void(const FuzzStats&)> progress)
    : o_(o), progress_(std::move(progress)), workers_(workers) {}

double SharedRun::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

bool SharedRun::done() const {
  if (stopped_) return true;
  if (o_.max_cases || o_.max_findings) {
    std::lock_guard<std::mutex> lock(m_);
    std::uint64_t cases = 0;
    for (const FuzzStats& w : workers_) cases += w.cases;
    if (o_.max_cases && cases >= o_.max_cases) return true;
    if (o_.max_findings && findings_.size() >= o_.max_findings) return true;
  }
  return elapsed() >= o_.duration_s;
}

bool SharedRun::add_state(std::vector<std::string> reply_kinds) {
  std::lock_guard<std::mutex> lock(m_);
  return states_.add(std::move(reply_kinds));
}

void SharedRun::report(std::size_t worker, const FuzzStats& own) {
  std::lock_guard<std::mutex> lock(m_);
  workers_[worker] = own;
  if (progress_) progress_(merged_locked());
}

FuzzStats SharedRun::merged() const {
  std::lock_guard<std::mutex> lock(m_);
  return merged_locked();
}

FuzzStats SharedRun::merged_locked() const {
  FuzzStats s;
  for (const FuzzStats& w : workers_) {
    s.cases += w.cases;
    s.frames += w.frames;
    s.sessions += w.sessions;
    s.pool += w.pool;
    s.seeds = std::max(s.seeds, w.seeds);
    s.target_starts += w.target_starts;
    s.barrier_switches += w.barrier_switches;
    s.heartbeats_answered += w.heartbeats_answered;
    for (const auto& note : w.barrier_notes)
      if (std::find(s.barrier_notes.begin(), s.barrier_notes.end(), note) == s.barrier_notes.end())
        s.barrier_notes.push_back(note);
  }
  s.seconds = elapsed();
  s.states = states_.size();
  s.findings = findings_;
  s.duplicates = duplicates_;
  s.unconfirmed_signatures = unconfirmed_;
  return s;
}

std::optional<std::size_t> SharedRun::by_signature(const std::string& signature) const {
  std::lock_guard<std::mutex> lock(m_);
  return book_.by_signature(signature);
}

std::optional<std::size_t> SharedRun::by_writes(const FuzzCase& minimised) const {
  std::lock_guard<std::mutex> lock(m_);
  return book_.by_writes(minimised);
}

void SharedRun::alias(const std::string& signature, std::size_t index) {
  std::lock_guard<std::mutex> lock(m_);
  book_.alias(signature, index);
}

void SharedRun::duplicate(std::size_t index) {
  std::lock_guard<std::mutex> lock(m_);
  ++findings_[index].duplicates;
  ++duplicates_;
}

std::size_t SharedRun::unconfirmed_count(const std::string& signature) const {
  std::lock_guard<std::mutex> lock(m_);
  const auto it = unconfirmed_.find(signature);
  return it == unconfirmed_.end() ? 0 : it->second;
}

void SharedRun::unconfirmed(const std::string& signature) {
  std::lock_guard<std::mutex> lock(m_);
  ++unconfirmed_[signature];
}

std::size_t SharedRun::next_number() const {
  std::lock_guard<std::mutex> lock(m_);
  return findings_.size() + 1;
}

std::size_t SharedRun::file(const std::string& signature, const FuzzCase& minimised, Finding f) {
  std::lock_guard<std::mutex> lock(m_);
  book_.file(signature, minimised, findings_.size());
  findings_.push_back(std::move(f));
  return findings_.size() - 1;
}

std::uint64_t worker_seed(std::uint64_t run_seed, std::size_t index) {
  if (index == 0) return run_seed;
  // splitmix64's finaliser over the seed and the index: well spread, and the same every time.
  std::uint64_t z = run_seed + 0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(index);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return (z ^ (z >> 31)) % 1'000'000'000'000ULL;  // as long as a seed the CLI draws itself
}

}  // namespace relaycheck::harness::netfuzz
