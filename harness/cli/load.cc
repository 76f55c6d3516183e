// relaycheck load: many clients against one server, every delivery checked (docs/load.md).
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>

#include <boost/asio/ip/tcp.hpp>

#include "harness/cli/args.h"
#include "harness/cli/commands.h"
#include "harness/cli/outputs.h"
#include "harness/load/report.h"
#include "harness/load/run.h"
#include "harness/load/scenario_load.h"
#include "harness/load/spawned_server.h"
#include "harness/profile.h"
#include "harness/protocols/dialect.h"
#include "harness/server_access.h"
#include "harness/target.h"
#include "harness/transport/connection.h"
#include "harness/transport/interrupt.h"
#include "proto/common/duration.h"

namespace relaycheck::harness::cli {

namespace {

std::chrono::milliseconds duration_arg(const Args& args, const std::string& name, const std::string& fallback) {
  const std::string text = args.one(name, fallback);
  auto d = proto::parse_duration(text);
  if (!d || d->count() <= 0)
    throw UsageError("--" + name + ": expected a duration such as 10s or 500ms, got '" + text + "'");
  return *d;
}

struct ReportTo {
  std::string format;  // text | json
  std::string path;    // empty: stdout
};

std::vector<ReportTo> reports_arg(const Args& args) {
  std::vector<ReportTo> out;
  for (const auto& text : args.all("report")) {
    const auto colon = text.find(':');
    ReportTo r{text.substr(0, colon), colon == std::string::npos ? "" : text.substr(colon + 1)};
    if (r.format != "text" && r.format != "json")
      throw UsageError("--report: unknown format '" + r.format +
                       "' for load (expected text or json, optionally :PATH)");
    if (colon != std::string::npos && r.path.empty()) throw UsageError("--report " + r.format + ": empty path");
    out.push_back(r);
  }
  if (out.empty()) out.push_back({"text", ""});
  return out;
}

// The live status line on stderr: rewritten in place on a terminal, a line every 5 s otherwise.
class StatusLine {
 public:
  explicit StatusLine(bool enabled) : enabled_(enabled), tty_(::isatty(STDERR_FILENO)) {}
  void show(const std::string& text, double elapsed) {
    if (!enabled_) return;
    if (tty_) {
      std::cerr << "\r\033[K" << text << std::flush;
      shown_ = true;
    } else if (elapsed >= next_) {
      std::cerr << "relaycheck load: " << text << '\n';
      next_ = elapsed + 5;
    }
  }
  void done() {
    if (shown_) std::cerr << "\r\033[K" << std::flush;
  }

 private:
  bool enabled_, tty_, shown_ = false;
  double next_ = 0;
};

void write_reports(const std::vector<ReportTo>& reports, const std::string& text, const std::string& json_text) {
  for (const auto& r : reports) {
    const std::string& body = r.format == "json" ? json_text : text;
    if (r.path.empty()) {
      std::cout << body;
      continue;
    }
    std::ofstream out(r.path);
    out << body;
    if (!out) throw UsageError("--report: cannot write " + r.path);
  }
}

// The last status update, for the report of an interrupted run (SIGINT, SIGTERM).
struct LoadProgress {
  std::mutex mutex;
  std::optional<load::LoadStats> stats;
  double elapsed = 0;
  std::string line;
};

}  // namespace

int load_command(const Args& args) {
  const auto protocols = protocols_arg(args.all("protocol"));
  if (protocols.size() != 1) throw UsageError("load needs exactly one --protocol");
  const std::string protocol = protocols.front();
  const int clients = args.integer("clients", 10, 1, 100000);
  load::LoadConfig config;
  config.clients = clients;
  config.duration = duration_arg(args, "duration", "10s");
  config.setup_timeout = duration_arg(args, "setup-timeout", "20s");
  config.message_bytes = static_cast<std::size_t>(args.integer("message-bytes", 64, 16, 400));
  if (args.has("rate")) {
    try {
      config.rate = std::stod(args.one("rate", "0"));
    } catch (const std::exception&) {
      config.rate = 0;
    }
    if (!(config.rate > 0)) throw UsageError("--rate: expected messages per second over all clients, > 0");
  }
  const auto reports = reports_arg(args);
  for (const auto& r : reports)  // ready before the clients start (cli/outputs.h)
    if (!r.path.empty()) prepare_output_file("--report " + r.format, r.path);
  const std::string target_spec = args.one("target", "spawn");
  if (args.has("server-arg") && (target_spec != "spawn" || args.has("profile")))
    throw UsageError("--server-arg needs --target spawn");
  if (args.has("profile") && args.has("target")) throw UsageError("give --profile or --target, not both");

  const Dialect* dialect = find_dialect(protocol);
  auto pattern = load::make_pattern(protocol);
  if (!pattern && !args.has("scenario"))
    throw UsageError("no load pattern for " + protocol + " (patterns: " + load::patterns_known() +
                     "); use --scenario ID");

  // The server: spawned here (its memory is then reported) or already listening.
  std::unique_ptr<load::SpawnedServer> spawned;
  proto::HostPort address;
  load::TargetFacts facts;  // the server's key and control channel, for patterns that use them
  if (args.has("profile")) {
    // The same profile file, and the same launcher, as `run --profile`.
    const Profile profile = load_profile(args.one("profile", ""), scenario_root(args.one("scenarios", "")));
    if (profile.role != "server")
      throw UsageError("profile " + profile.name + " is a client profile; load needs a server");
    if (profile.launch) {
      transport::LaunchRequest request;
      request.protocol = protocol;
      request.label = "profile " + profile.name;
      spawned = std::make_unique<load::SpawnedServer>(*profile.launch, request);
      address = spawned->address();
    } else {
      auto hp = proto::parse_host_port(profile.address);
      if (!hp) throw UsageError("profile " + profile.name + ": address '" + profile.address + "' is not HOST:PORT");
      address = *hp;
      facts.attribute = [attributes = profile.attributes](const std::string& name) -> std::optional<std::string> {
        if (auto it = attributes.find(name); it != attributes.end()) return it->second;
        return std::nullopt;
      };
      facts.channel = [channels = profile.channels](const std::string& name) -> std::optional<proto::HostPort> {
        if (auto it = channels.find(name); it != channels.end()) return it->second;
        return std::nullopt;
      };
    }
  } else if (target_spec == "spawn") {
    std::vector<std::string> extra = pattern ? pattern->server_args(clients) : std::vector<std::string>{};
    for (const auto& a : args.all("server-arg")) extra.push_back(a);
    const auto server_argv =
        load::reference_server_argv(args.one("server-bin", default_server_binary()), protocol, extra);
    spawned = std::make_unique<load::SpawnedServer>(server_argv, std::chrono::seconds(10));
    address = spawned->address();
  } else {
    auto hp = proto::parse_host_port(target_spec);
    if (!hp) throw UsageError("--target: expected spawn or HOST:PORT, got '" + target_spec + "'");
    address = *hp;
  }
  const auto endpoint = resolve_endpoints(address).front();
  if (spawned) {
    facts.attribute = [&spawned](const std::string& name) { return spawned->attribute(name); };
    facts.channel = [&spawned](const std::string& name) { return spawned->channel(name); };
  }
  if (!spawned) {
    // A target that cannot be reached at all is a target error (exit 2), not a failed run. (A
    // launched one is ready already: no connection it would count.)
    transport::Connection probe;
    if (auto why = probe.connect({endpoint}, Millis{3000}); !why.empty())
      throw TargetError("cannot connect to " + proto::format_host_port(address) + ": " + why);
  }
  const std::string target_label = (spawned ? "spawn " : "") + proto::format_host_port(address);

  StatusLine status(!args.has("quiet"));
  LoadProgress progress;
  const transport::InterruptScope partial_report([&](int sig) {
    std::lock_guard<std::mutex> lock(progress.mutex);
    const std::string why = std::string("interrupted by ") + (sig == SIGINT ? "SIGINT" : "SIGTERM");
    std::string text;
    nlohmann::json json = {{"protocol", protocol}, {"target", target_label}};
    if (progress.stats) {
      const load::LoadReport partial{
          protocol,     target_label, config,      load::LoadOutcome{*progress.stats, progress.elapsed, 0, false},
          std::nullopt, std::nullopt, std::nullopt};
      std::ostringstream out;
      load::write_text(partial, out);
      text = out.str();
      json = load::to_json(partial);
    } else if (!progress.line.empty()) {
      text = progress.line + "\n";
      json["last_status"] = progress.line;
    }
    text += "relaycheck load: INCOMPLETE: " + why + "\n";
    json["incomplete"] = true;
    json["incomplete_reason"] = why;
    write_reports(reports, text, json.dump(2) + "\n");
  });

  if (args.has("scenario")) {
    load::ScenarioLoadReport r =
        load::run_scenario_load(scenario_root(args.one("scenarios", "")), protocol, args.one("scenario", ""), address,
                                config, [&](const std::string& line, double elapsed) {
                                  status.show(line, elapsed);
                                  if (transport::interrupted()) return;
                                  std::lock_guard<std::mutex> lock(progress.mutex);
                                  progress.line = line;
                                });
    status.done();
    if (transport::interrupted()) transport::await_interrupt_exit();
    if (spawned) {
      r.rss_end_kib = spawned->rss_kib();
      r.rss_peak_kib = spawned->peak_rss_kib();
      r.target_ended = spawned->ended();
    }
    r.target = target_label;
    std::ostringstream text;
    load::write_text(r, text);
    nlohmann::json json = load::to_json(r);
    json["incomplete"] = false;
    write_reports(reports, text.str(), json.dump(2) + "\n");
    return r.passed() ? kExitOk : kExitFailed;
  }

  load::LoadReport report{protocol,
                          target_label,
                          config,
                          load::run_load(*pattern, *dialect, endpoint, facts, config,
                                         [&](const load::LoadStats& s, double elapsed) {
                                           status.show(load::status_line(s, elapsed), elapsed);
                                           if (transport::interrupted()) return;
                                           std::lock_guard<std::mutex> lock(progress.mutex);
                                           progress.stats = s;
                                           progress.elapsed = elapsed;
                                         }),
                          std::nullopt,
                          std::nullopt,
                          std::nullopt};
  status.done();
  if (transport::interrupted()) transport::await_interrupt_exit();
  if (spawned) {
    report.rss_end_kib = spawned->rss_kib();
    report.rss_peak_kib = spawned->peak_rss_kib();
    report.target_ended = spawned->ended();
  }
  std::ostringstream text;
  load::write_text(report, text);
  nlohmann::json json = load::to_json(report);
  json["incomplete"] = false;
  write_reports(reports, text.str(), json.dump(2) + "\n");
  return report.passed() ? kExitOk : kExitFailed;
}

}  // namespace relaycheck::harness::cli
