// relaycheck fuzz: the network fuzzer (harness/netfuzz/, docs/fuzzing.md).
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>

#include "harness/cli/args.h"
#include "harness/cli/commands.h"
#include "harness/cli/outputs.h"
#include "harness/netfuzz/engine.h"
#include "harness/netfuzz/fuzz_target.h"
#include "harness/netfuzz/status.h"
#include "harness/profile.h"
#include "harness/protocols/registry.h"
#include "harness/transport/interrupt.h"
#include "proto/common/duration.h"

namespace relaycheck::harness::cli {

namespace {

std::uint64_t unsigned_arg(const Args& args, const std::string& name, std::uint64_t fallback) {
  if (!args.has(name)) return fallback;
  const std::string text = args.one(name, "");
  std::size_t used = 0;
  std::uint64_t n = 0;
  try {
    n = std::stoull(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (text.empty() || used != text.size() || text[0] == '-')
    throw UsageError("--" + name + ": expected a number, got '" + text + "'");
  return n;
}

double seconds_arg(const Args& args, const std::string& name, double fallback) {
  if (!args.has(name)) return fallback;
  const std::string text = args.one(name, "");
  // Plain seconds ("30") or a duration ("30s", "2m", "500ms").
  const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  const auto d = proto::parse_duration(digits ? text + "s" : text);
  if (!d || d->count() <= 0)
    throw UsageError("--" + name + ": expected seconds or a duration such as 30s, got '" + text + "'");
  return static_cast<double>(d->count()) / 1000.0;
}

}  // namespace

int fuzz_command(const Args& args, const std::string& command_line) {
  netfuzz::FuzzOptions o;
  const auto protocols = protocols_arg(args.all("protocol"));
  if (protocols.size() != 1) throw UsageError("fuzz needs exactly one --protocol");
  o.protocol = protocols.front();
  o.target = args.one("target", "");
  if (args.has("profile")) {
    // The same profile file, and the same launcher, as `run --profile` (FuzzTarget reads it again).
    if (!o.target.empty()) throw UsageError("give --profile or --target, not both");
    const Profile profile = load_profile(args.one("profile", ""), scenario_root(args.one("scenarios", "")));
    o.target = "profile:" + std::filesystem::absolute(profile.file).lexically_normal().string();
    if (profile.barrier) o.barrier = *profile.barrier;  // `barrier: probe | silence`; --barrier overrides
    o.wording = profile.wording;  // `wording: loose`: the differential comparison reads text loosely
  }
  if (o.target.empty()) throw UsageError("fuzz needs --target HOST:PORT, spawn or spawn:CMD, or --profile NAME");
  netfuzz::FuzzTarget check_spelling(o.target, o.protocol, 0);  // a bad spec fails here, before any output
  if (args.has("seed")) {
    o.seed = unsigned_arg(args, "seed", 0);
  } else {
    std::random_device device;
    o.seed = (static_cast<std::uint64_t>(device()) << 32 | device()) % 1'000'000'000'000ULL;
  }
  o.duration_s = seconds_arg(args, "duration", 60);
  o.max_cases = unsigned_arg(args, "max-cases", 0);
  o.max_findings = unsigned_arg(args, "max-findings", 0);
  o.out_dir = args.one("out", "out/fuzz");
  o.scenario_root = scenario_root(args.one("scenarios", ""));
  o.minimise = !args.has("no-minimise");
  o.minimise_s = seconds_arg(args, "minimise-time", 60);
  o.cases_per_session = static_cast<std::size_t>(args.integer("cases-per-session", 8, 1, 1000));
  o.jobs = static_cast<std::size_t>(args.integer("jobs", 1, 1, 64));
  // Each worker needs an instance of its own: one address, or one fixed port, is one instance.
  if (o.jobs > 1 && (!check_spelling.spawned() || check_spelling.fixed_port()))
    throw UsageError("--jobs " + std::to_string(o.jobs) +
                     " needs a target the fuzzer launches on a port it picks (spawn, spawn:CMD with {port}, or a "
                     "profile's launch without a fixed port); '" +
                     o.target + "' is one instance");
  o.replay = !args.has("no-replay");
  o.differential = args.has("differential");
  o.strict = args.has("strict");
  if (o.strict && !o.differential) throw UsageError("--strict needs --differential");
  if (const ProtocolPlugin* plugin = find_protocol(o.protocol); o.differential && plugin && plugin->not_comparable)
    throw UsageError("--differential: " + o.protocol +
                     " cannot be compared with the reference: " + plugin->not_comparable);
  if (args.has("barrier")) {
    const auto mode = barrier_mode_from(args.one("barrier", ""));
    if (!mode) throw UsageError("--barrier: expected probe or silence, got '" + args.one("barrier", "") + "'");
    o.barrier = *mode;
  }
  std::string report_path;
  if (args.has("report")) {
    const std::string r = args.one("report", "");
    if (r.rfind("json:", 0) != 0 || r.size() == 5) throw UsageError("--report: expected json:PATH, got '" + r + "'");
    report_path = r.substr(5);
    prepare_output_file("--report json", report_path);  // before any case runs (cli/outputs.h)
  }
  std::error_code ec;
  std::filesystem::create_directories(o.out_dir, ec);
  if (ec) throw UsageError("--out: cannot create '" + o.out_dir + "': " + ec.message());

  const bool quiet = args.has("quiet");
  if (!quiet)
    std::cerr << "relaycheck fuzz: " << o.protocol << " against " << o.target << ", seed " << o.seed
              << (o.jobs > 1 ? ", " + std::to_string(o.jobs) + " workers" : std::string()) << '\n';
  netfuzz::StatusLine status(!quiet);
  // On SIGINT/SIGTERM the findings are already on disk; the summary says how far it got.
  std::mutex latest_mutex;
  netfuzz::FuzzStats latest;
  const transport::InterruptScope partial_summary([&](int sig) {
    std::lock_guard<std::mutex> lock(latest_mutex);
    nlohmann::json summary = netfuzz::summary_json(o, latest, command_line);
    summary["incomplete"] = true;
    summary["incomplete_reason"] = std::string("interrupted by ") + (sig == SIGINT ? "SIGINT" : "SIGTERM");
    const std::string text = summary.dump(2) + "\n";
    std::ofstream(std::filesystem::path(o.out_dir) / "summary.json") << text;
    if (!report_path.empty()) std::ofstream(report_path) << text;
  });
  const auto stats = netfuzz::run_fuzz(o, [&](const netfuzz::FuzzStats& s) {
    status.update(s);
    if (transport::interrupted()) return;
    std::lock_guard<std::mutex> lock(latest_mutex);
    latest = s;
  });
  if (transport::interrupted()) transport::await_interrupt_exit();
  status.finish(stats);

  nlohmann::json summary_doc = netfuzz::summary_json(o, stats, command_line);
  summary_doc["incomplete"] = false;
  const std::string summary = summary_doc.dump(2) + "\n";
  std::ofstream(std::filesystem::path(o.out_dir) / "summary.json") << summary;
  if (!report_path.empty()) {
    std::ofstream out(report_path);
    if (!out) throw UsageError("--report: cannot write '" + report_path + "'");
    out << summary;
  }
  return stats.findings.empty() ? kExitOk : kExitFailed;
}

}  // namespace relaycheck::harness::cli
