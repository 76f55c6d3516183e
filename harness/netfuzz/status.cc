#include "harness/netfuzz/status.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace relaycheck::harness::netfuzz {

namespace {
double rate(double count, double seconds) { return seconds > 0 ? count / seconds : 0; }
}  // namespace

StatusLine::StatusLine(bool enabled) : enabled_(enabled), tty_(::isatty(STDERR_FILENO)) {}

std::string StatusLine::text(const FuzzStats& s) const {
  char line[256];
  std::size_t unreproduced = 0;
  for (const auto& f : s.findings) unreproduced += !f.reproduced;
  std::snprintf(line, sizeof line,
                "fuzz: %.0fs  %llu cases (%.0f/s)  %.0f frames/s  %.0f sessions/s  %zu states  %zu findings", s.seconds,
                static_cast<unsigned long long>(s.cases), rate(static_cast<double>(s.cases), s.seconds),
                rate(static_cast<double>(s.frames), s.seconds), rate(static_cast<double>(s.sessions), s.seconds),
                s.states, s.findings.size());
  std::string out = line;
  if (unreproduced) out += " (" + std::to_string(unreproduced) + " not reproduced)";
  if (s.duplicates) out += "  " + std::to_string(s.duplicates) + " duplicates";
  if (s.barrier_switches) out += "  " + std::to_string(s.barrier_switches) + " probe kinds -> silence";
  return out;
}

void StatusLine::update(const FuzzStats& s) {
  if (!enabled_) return;
  // A probe kind switched to silence is said once, when it happens, on a line of its own.
  if (s.barrier_switches > switches_shown_) {
    switches_shown_ = s.barrier_switches;
    if (tty_) std::cerr << "\r\033[K";
    for (const auto& note : s.barrier_notes)
      if (note.find("switched") != std::string::npos && shown_notes_.insert(note).second)
        std::cerr << "fuzz: " << note << '\n';
  }
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ < (tty_ ? std::chrono::milliseconds(250) : std::chrono::milliseconds(5000))) return;
  last_ = now;
  if (tty_)
    std::cerr << "\r\033[K" << text(s) << std::flush;
  else
    std::cerr << text(s) << '\n';
}

void StatusLine::finish(const FuzzStats& s) {
  if (!enabled_) return;
  if (tty_) std::cerr << "\r\033[K";
  std::cerr << text(s) << '\n';
  for (const auto& note : s.barrier_notes)
    if (shown_notes_.insert(note).second) std::cerr << "fuzz: " << note << '\n';
  for (const auto& f : s.findings) {
    std::cerr << "finding " << f.id << " (" << f.frames << " frames, " << f.bytes << " bytes";
    if (f.duplicates) std::cerr << ", found " << f.duplicates + 1 << " times";
    std::cerr << "): " << f.path << (f.reproduced ? " [reproduced]" : " [NOT reproduced: " + f.replay + "]") << '\n';
  }
}

nlohmann::json summary_json(const FuzzOptions& o, const FuzzStats& s, const std::string& command_line) {
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& f : s.findings)
    findings.push_back({{"id", f.id},
                        {"kind", to_string(f.kind)},
                        {"detail", f.detail},
                        {"path", f.path},
                        {"frames", f.frames},
                        {"bytes", f.bytes},
                        {"found_at_case", f.found_at_case},
                        {"found_after_s", f.found_after_s},
                        {"reproduced", f.reproduced},
                        {"replay", f.replay},
                        {"duplicates", f.duplicates}});
  return {{"protocol", o.protocol},
          {"target", o.target},
          {"seed", o.seed},
          {"jobs", o.jobs},
          {"command_line", command_line},
          {"repeat", "relaycheck fuzz --protocol " + o.protocol + " --target '" + o.target + "' --seed " +
                         std::to_string(o.seed) + " --max-cases " + std::to_string(s.cases) +
                         (o.jobs > 1 ? " --jobs " + std::to_string(o.jobs) : "") +
                         (o.barrier == BarrierMode::silence ? " --barrier silence" : "") +
                         (o.differential ? (o.strict ? " --differential --strict" : " --differential") : "")},
          {"differential", o.differential},
          {"unconfirmed_deviations", s.unconfirmed()},
          {"unconfirmed_signatures", s.unconfirmed_signatures},
          {"strict", o.strict},
          {"duration_s", s.seconds},
          {"cases", s.cases},
          {"frames", s.frames},
          {"sessions", s.sessions},
          {"cases_per_s", rate(static_cast<double>(s.cases), s.seconds)},
          {"frames_per_s", rate(static_cast<double>(s.frames), s.seconds)},
          {"sessions_per_s", rate(static_cast<double>(s.sessions), s.seconds)},
          {"states", s.states},
          {"seeds", s.seeds},
          {"pool", s.pool},
          {"target_starts", s.target_starts},
          {"barrier", to_string(o.barrier)},
          {"barrier_switches", s.barrier_switches},
          {"heartbeats_answered", s.heartbeats_answered},
          {"barrier_notes", s.barrier_notes},
          {"duplicates", s.duplicates},
          {"findings", findings}};
}

}  // namespace relaycheck::harness::netfuzz
