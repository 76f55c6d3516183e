#include "harness/load/scenario_load.h"

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "harness/load/pattern.h"
#include "harness/loader.h"
#include "harness/runner.h"
#include "harness/target.h"

namespace relaycheck::harness::load {

std::vector<std::string> ScenarioLoadReport::problems() const {
  std::vector<std::string> p;
  if (runs == 0) p.push_back("no run completed");
  if (failures) p.push_back(std::to_string(failures) + " of " + std::to_string(runs) + " runs did not pass");
  if (target_ended) p.push_back("the target ended: " + *target_ended);
  return p;
}

ScenarioLoadReport run_scenario_load(const std::string& scenario_root, const std::string& protocol,
                                     const std::string& id, const proto::HostPort& server, const LoadConfig& config,
                                     const std::function<void(const std::string&, double)>& on_second) {
  const Suite suite = load_suite(scenario_root, {protocol});
  const Scenario* scenario = nullptr;
  for (const auto& s : suite.scenarios)
    if (s.id == id) scenario = &s;
  if (!scenario)
    throw std::invalid_argument("--scenario: no scenario '" + id + "' for " + protocol + " under " + scenario_root);

  ScenarioLoadReport report;
  report.protocol = protocol;
  report.scenario = id;
  report.config = config;
  std::mutex mutex;  // guards report
  const auto start = std::chrono::steady_clock::now();
  const auto end = start + config.duration;
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;
  for (int i = 0; i < config.clients; ++i) {
    workers.emplace_back([&, i] {
      auto target = make_target(proto::format_host_port(server), {});
      RunOptions options;
      options.vars["client"] = Pattern::name(i);
      while (!stop && std::chrono::steady_clock::now() < end) {
        const auto result = run_scenario(*scenario, suite, *target, options);
        std::lock_guard lock(mutex);
        ++report.runs;
        report.durations.add(static_cast<std::uint64_t>(result.duration_ms * 1000));
        if (result.status == reports::Status::pass) {
          ++report.passes;
        } else {
          ++report.failures;
          if (report.samples.size() < 10)
            report.samples.push_back("client " + std::to_string(i) + ": " + reports::to_string(result.status) + ": " +
                                     result.message);
        }
      }
    });
  }
  for (double elapsed = 1; std::chrono::steady_clock::now() < end; elapsed += 1) {
    std::this_thread::sleep_until(start + std::chrono::milliseconds(static_cast<long long>(elapsed * 1000)));
    std::lock_guard lock(mutex);
    on_second(std::to_string(static_cast<int>(elapsed)) + "s  runs " + std::to_string(report.runs) + "  passed " +
                  std::to_string(report.passes) + "  failed " + std::to_string(report.failures),
              elapsed);
  }
  stop = true;
  for (auto& w : workers) w.join();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace relaycheck::harness::load
