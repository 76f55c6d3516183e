#pragma once
// The fuzzer's live status line on stderr (rewritten in place on a terminal, a plain line every
// few seconds otherwise) and its JSON summary at the end.
#include <chrono>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "harness/netfuzz/engine.h"

namespace relaycheck::harness::netfuzz {

class StatusLine {
 public:
  explicit StatusLine(bool enabled);
  void update(const FuzzStats& s);  // rate-limited
  void finish(const FuzzStats& s);  // the last line, always; the barrier notes; each finding and its replay

 private:
  std::string text(const FuzzStats& s) const;
  bool enabled_, tty_;
  std::size_t switches_shown_ = 0;
  std::set<std::string> shown_notes_;  // each barrier note is printed once
  std::chrono::steady_clock::time_point last_{};
};

// seed, duration, counts and rates, states, findings with their files, the command line.
nlohmann::json summary_json(const FuzzOptions& o, const FuzzStats& s, const std::string& command_line);

}  // namespace relaycheck::harness::netfuzz
