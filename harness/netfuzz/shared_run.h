#pragma once
// What the workers of one fuzz run (--jobs N) share: the states reached, the findings (one
// book, one numbering, one directory), the counters the status line shows, and when to stop.
// Each worker keeps its own target instance, seed stream, pool and executor.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "harness/netfuzz/engine.h"
#include "harness/netfuzz/finding_book.h"
#include "harness/netfuzz/state_map.h"

namespace relaycheck::harness::netfuzz {

class SharedRun {
 public:
  SharedRun(const FuzzOptions& o, std::size_t workers, std::function<void(const FuzzStats&)> progress);

  double elapsed() const;
  bool done() const;
  void stop() { stopped_ = true; }  // the target is gone, or a worker failed: every worker ends

  bool add_state(std::vector<std::string> reply_kinds);
  // A worker's own counters after each session; the merged figures go to the progress callback.
  void report(std::size_t worker, const FuzzStats& own);
  FuzzStats merged() const;

  // The finding book, locked per call.
  std::optional<std::size_t> by_signature(const std::string& signature) const;
  std::optional<std::size_t> by_writes(const FuzzCase& minimised) const;
  void alias(const std::string& signature, std::size_t index);
  void duplicate(std::size_t index);
  std::size_t unconfirmed_count(const std::string& signature) const;
  void unconfirmed(const std::string& signature);

  // One worker at a time writes, replays and files a finding, so its number (the next one)
  // holds from the file name to the book. Hold `filing()` across next_number() .. file().
  std::mutex& filing() { return filing_; }
  std::size_t next_number() const;
  std::size_t file(const std::string& signature, const FuzzCase& minimised, Finding f);  // its index

 private:
  FuzzStats merged_locked() const;

  const FuzzOptions& o_;
  std::function<void(const FuzzStats&)> progress_;
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::atomic<bool> stopped_{false};
  mutable std::mutex m_;
  std::mutex filing_;
  std::vector<FuzzStats> workers_;  // each worker's last report (its counters, not its findings)
  StateMap states_;
  FindingBook book_;
  std::vector<Finding> findings_;
  std::size_t duplicates_ = 0;
  std::map<std::string, std::size_t> unconfirmed_;
};

// Worker `index`'s seed: the run's seed itself for worker 0 (so --jobs 1 repeats a run as
// before), a mixed one for the others, so runs with neighbouring seeds do not share streams.
std::uint64_t worker_seed(std::uint64_t run_seed, std::size_t index);

}  // namespace relaycheck::harness::netfuzz
