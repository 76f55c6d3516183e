#pragma once
// How a run knows "nothing more will arrive" over the network: by a probe the dialect says is
// harmless, or by a silence window calibrated from the round trips seen so far. One
// BarrierBook per run, shared by every scenario (and by the network fuzzer): it holds each
// protocol's window and which protocols were switched from probes to silence, and why.
#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "proto/common/time.h"

namespace relaycheck::harness {

using proto::Millis;

// `barrier:` in a profile, `--barrier` on run: probe where the dialect has a harmless one, or never.
enum class BarrierMode { probe, silence };
const char* to_string(BarrierMode m);
std::optional<BarrierMode> barrier_mode_from(const std::string& text);

// A window of silence long enough to trust: `factor` times the largest request->reply round trip
// seen so far, within [floor, ceiling]; `initial` until one is seen. Not thread-safe alone.
class SilenceWindow {
 public:
  struct Limits {
    Millis floor{100};
    Millis ceiling{1000};
    Millis initial{300};
    long long factor = 8;
  };
  SilenceWindow() = default;
  explicit SilenceWindow(Limits limits) : limits_(limits) {}

  void observe(Millis round_trip) { largest_ = std::max(largest_.value_or(Millis{0}), round_trip); }
  Millis window() const {
    if (!largest_) return std::clamp(limits_.initial, limits_.floor, limits_.ceiling);
    return std::clamp(Millis{largest_->count() * limits_.factor}, limits_.floor, limits_.ceiling);
  }
  std::optional<Millis> largest_round_trip() const { return largest_; }
  const Limits& limits() const { return limits_; }
  // How the window was chosen, for transcripts: "240ms (8 x largest round trip 30ms, within 100..1000ms)".
  std::string explain() const;

 private:
  Limits limits_;
  std::optional<Millis> largest_;
};

// The run's barrier state, per protocol; thread-safe (scenarios run in parallel with --jobs).
class BarrierBook {
 public:
  explicit BarrierBook(SilenceWindow::Limits limits = {}) : limits_(limits) {}

  void observe_round_trip(const std::string& protocol, Millis round_trip);
  // The window to wait now, and its explanation; recorded as used (for the summary).
  std::pair<Millis, std::string> silence_window(const std::string& protocol);
  // True once the protocol's probes were found not to fit the target: use silence from now on.
  bool probes_disabled(const std::string& protocol) const;
  // Switches the protocol to silence; true the first time (when the reason is recorded).
  bool disable_probes(const std::string& protocol, const std::string& reason);
  // Run-level notes for the report: each switch to silence once, and each protocol's windows.
  std::vector<std::string> notes() const;

 private:
  struct PerProtocol {
    SilenceWindow window;
    std::optional<std::string> switched;  // why probes were switched off
    long long windows_used = 0;
    Millis smallest{0}, largest{0};
  };
  PerProtocol& at(const std::string& protocol);

  SilenceWindow::Limits limits_;
  mutable std::mutex mutex_;
  std::map<std::string, PerProtocol> protocols_;
};

}  // namespace relaycheck::harness
