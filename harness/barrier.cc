#include "harness/barrier.h"

namespace relaycheck::harness {

const char* to_string(BarrierMode m) { return m == BarrierMode::probe ? "probe" : "silence"; }

std::optional<BarrierMode> barrier_mode_from(const std::string& text) {
  if (text == "probe") return BarrierMode::probe;
  if (text == "silence") return BarrierMode::silence;
  return std::nullopt;
}

std::string SilenceWindow::explain() const {
  const std::string bounds =
      "within " + std::to_string(limits_.floor.count()) + ".." + std::to_string(limits_.ceiling.count()) + "ms";
  if (!largest_) return std::to_string(window().count()) + "ms (no round trip measured yet; " + bounds + ")";
  return std::to_string(window().count()) + "ms (" + std::to_string(limits_.factor) + " x largest round trip " +
         std::to_string(largest_->count()) + "ms, " + bounds + ")";
}

BarrierBook::PerProtocol& BarrierBook::at(const std::string& protocol) {
  auto it = protocols_.find(protocol);
  if (it == protocols_.end()) it = protocols_.emplace(protocol, PerProtocol{SilenceWindow(limits_)}).first;
  return it->second;
}

void BarrierBook::observe_round_trip(const std::string& protocol, Millis round_trip) {
  std::lock_guard<std::mutex> lock(mutex_);
  at(protocol).window.observe(round_trip);
}

std::pair<Millis, std::string> BarrierBook::silence_window(const std::string& protocol) {
  std::lock_guard<std::mutex> lock(mutex_);
  PerProtocol& p = at(protocol);
  const Millis w = p.window.window();
  p.smallest = p.windows_used == 0 ? w : std::min(p.smallest, w);
  p.largest = std::max(p.largest, w);
  ++p.windows_used;
  return {w, p.window.explain()};
}

bool BarrierBook::probes_disabled(const std::string& protocol) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = protocols_.find(protocol);
  return it != protocols_.end() && it->second.switched.has_value();
}

bool BarrierBook::disable_probes(const std::string& protocol, const std::string& reason) {
  std::lock_guard<std::mutex> lock(mutex_);
  PerProtocol& p = at(protocol);
  if (p.switched) return false;
  p.switched = reason;
  return true;
}

std::vector<std::string> BarrierBook::notes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [protocol, p] : protocols_) {
    if (p.switched)
      out.push_back(protocol + ": barrier probes switched to silence windows for the rest of the run: " + *p.switched);
    if (p.windows_used > 0) {
      std::string line = protocol + ": " + std::to_string(p.windows_used) + " silence window" +
                         (p.windows_used == 1 ? "" : "s") + " of " + std::to_string(p.smallest.count()) +
                         (p.smallest == p.largest ? "" : ".." + std::to_string(p.largest.count())) + "ms";
      if (auto rt = p.window.largest_round_trip())
        line += " (largest round trip seen " + std::to_string(rt->count()) + "ms)";
      out.push_back(line);
    }
  }
  return out;
}

}  // namespace relaycheck::harness
