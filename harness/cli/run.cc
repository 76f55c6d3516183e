#include <unistd.h>

#include <csignal>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>
#include <sstream>

#include "harness/added_scenarios.h"
#include "harness/cli/args.h"
#include "harness/cli/commands.h"
#include "harness/cli/outputs.h"
#include "harness/cli/progress.h"
#include "harness/loader.h"
#include "harness/match.h"
#include "harness/profile.h"
#include "harness/root_causes.h"
#include "harness/runner.h"
#include "harness/session_transcript.h"
#include "harness/target_impl.h"
#include "harness/transport/interrupt.h"
#include "harness/verdict.h"
#include "proto/common/duration.h"
#include "reports/writers.h"

#ifndef RELAYCHECK_GIT_COMMIT
#define RELAYCHECK_GIT_COMMIT ""
#endif
#ifndef RELAYCHECK_VERSION
#define RELAYCHECK_VERSION "0.0.0"
#endif

namespace relaycheck::harness::cli {

namespace {

struct ReportSpec {
  std::string format;     // text | json | junit
  std::string path;       // empty: stdout
  std::string file_root;  // junit: file attributes relative to this (--junit-root); empty: as loaded
};

ReportSpec parse_report(const std::string& text) {
  const auto colon = text.find(':');
  ReportSpec r{text.substr(0, colon), colon == std::string::npos ? "" : text.substr(colon + 1), {}};
  if (r.format != "text" && r.format != "json" && r.format != "junit" && r.format != "html")
    throw UsageError("--report: unknown format '" + r.format +
                     "' (expected text, json, junit or html, optionally :PATH)");
  if (colon != std::string::npos && r.path.empty()) throw UsageError("--report " + r.format + ": empty path");
  return r;
}

// One session fuzz seed per scenario, DIR/<protocol>/<id>, in the format of
// formats/transcript.h: the conformance suite becomes the fuzzers' seed corpus.
void write_session_transcripts(const std::vector<reports::ScenarioResult>& results, const std::string& dir,
                               bool client_target) {
  if (client_target) {
    std::cerr
        << "relaycheck: --transcript-dir: a client target's conversations are not server fuzz seeds; none written\n";
    return;
  }
  std::size_t written = 0;
  for (const auto& r : results) {
    const auto transcript = session_transcript(r);
    if (!transcript) continue;
    const auto protocol_dir = std::filesystem::path(dir) / r.protocol;
    std::filesystem::create_directories(protocol_dir);
    reports::write_atomically((protocol_dir / r.id).string(), *transcript);
    ++written;
  }
  std::cerr << "relaycheck: wrote " << written << " session transcripts under " << dir << '\n';
}

std::string iso_now() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

std::string render(const ReportSpec& spec, const reports::RunResult& run, bool verbose) {
  std::ostringstream out;
  if (spec.format == "text")
    reports::write_text(run, out, verbose);
  else if (spec.format == "json")
    reports::write_json(run, out);
  else if (spec.format == "html")
    reports::write_html({run}, out);
  else if (!spec.file_root.empty())
    reports::write_junit(files_relative_to(run, spec.file_root, scenario_root("")), out);
  else
    reports::write_junit(run, out);
  return out.str();
}

// What an interrupted run (SIGINT, SIGTERM) reports: the scenarios finished so far, marked
// incomplete. The signal thread writes it unless the run has already written its own reports.
struct PartialRun {
  std::mutex mutex;
  std::vector<reports::ScenarioResult> finished;
  bool reports_written = false;
};

// A profile's `protocol:` keeps the run to what the target speaks; --protocol may narrow it
// further, never widen it.
void restrict_to_profile_protocols(const Profile& profile, const std::vector<std::string>& asked,
                                   std::vector<const Scenario*>& selected) {
  if (profile.protocols.empty()) return;
  const auto speaks = [&](const std::string& id) {
    return std::find(profile.protocols.begin(), profile.protocols.end(), id) != profile.protocols.end();
  };
  std::string spoken;
  for (const auto& id : profile.protocols) spoken += (spoken.empty() ? "" : ", ") + id;
  for (const auto& id : asked)
    if (!speaks(id)) throw UsageError("--protocol " + id + ": profile " + profile.name + " speaks only " + spoken);
  std::erase_if(selected, [&](const Scenario* s) { return !speaks(s->protocol); });
}

// --attribute NAME=TEXT or NAME=@FILE and --channel NAME=HOST:PORT, over a profile's own.
void add_target_facts(const std::vector<std::string>& attributes, const std::vector<std::string>& channels,
                      TargetOptions& o) {
  for (const auto& a : attributes) {
    const auto eq = a.find('=');
    if (eq == 0 || eq == std::string::npos)
      throw UsageError("--attribute: expected NAME=TEXT or NAME=@FILE, got '" + a + "'");
    std::string value = a.substr(eq + 1);
    if (value.rfind('@', 0) == 0) {
      std::ifstream in(value.substr(1));
      if (!in) throw UsageError("--attribute " + a.substr(0, eq) + ": cannot read '" + value.substr(1) + "'");
      std::stringstream content;
      content << in.rdbuf();
      value = content.str();
    }
    o.attributes[a.substr(0, eq)] = value;
  }
  for (const auto& c : channels) {
    const auto eq = c.find('=');
    const auto hp = eq == std::string::npos ? std::nullopt : proto::parse_host_port(c.substr(eq + 1));
    if (eq == 0 || !hp) throw UsageError("--channel: expected NAME=HOST:PORT, got '" + c + "'");
    o.channels[c.substr(0, eq)] = *hp;
  }
}

}  // namespace

int run_command(const Args& args, const std::string& command_line) {
  std::vector<ReportSpec> reports_wanted;
  for (const auto& r : args.all("report")) reports_wanted.push_back(parse_report(r));
  if (reports_wanted.empty()) reports_wanted.push_back({"text", "", {}});
  int to_stdout = args.one("events", "") == "-";
  for (const auto& r : reports_wanted) to_stdout += r.path.empty();
  if (to_stdout > 1) throw UsageError("--report/--events: only one of them can go to stdout; give the others a PATH");
  // Every output path is ready (directories made, writable) before anything runs (outputs.h).
  for (auto& r : reports_wanted) {
    if (!r.path.empty()) prepare_output_file("--report " + r.format, r.path);
    if (r.format == "junit") r.file_root = args.one("junit-root", "");
  }
  if (args.has("junit-root") && std::none_of(reports_wanted.begin(), reports_wanted.end(),
                                             [](const ReportSpec& r) { return r.format == "junit"; }))
    throw UsageError("--junit-root: give a --report junit[:PATH] too");
  if (args.has("events") && args.one("events", "") != "-") prepare_output_file("--events", args.one("events", ""));
  if (args.has("write-baseline")) prepare_output_file("--write-baseline", args.one("write-baseline", ""));
  std::ofstream events_file;
  std::unique_ptr<reports::JsonLinesEvents> events;
  if (args.has("events")) {
    const std::string path = args.one("events", "");
    if (path != "-") {
      events_file.open(path, std::ios::trunc);
      if (!events_file) throw UsageError("--events: cannot write '" + path + "'");
    }
    events = std::make_unique<reports::JsonLinesEvents>(path == "-" ? std::cout : events_file);
  }

  RunOptions options;
  options.jobs = args.integer("jobs", 1, 1, 256);
  options.skip_tags = args.all("skip-tag");
  const std::string pcap_dir = args.one("pcap", "");
  const std::string transcript_dir = args.one("transcript-dir", "");
  options.capture_wire = !pcap_dir.empty() || !transcript_dir.empty();
  for (const auto& [flag, dir] : {std::pair{"--pcap", pcap_dir}, std::pair{"--transcript-dir", transcript_dir}})
    if (!dir.empty()) prepare_output_dir(flag, dir);
  if (args.has("within")) {
    auto d = proto::parse_duration(args.one("within", ""));
    if (!d || d->count() <= 0)
      throw UsageError("--within: expected a duration such as 2s, got '" + args.one("within", "") + "'");
    options.default_within = *d;
  }

  if (args.has("barrier")) {  // wins over a profile's barrier: (applied after it, below)
    if (!barrier_mode_from(args.one("barrier", "")))
      throw UsageError("--barrier: expected probe or silence, got '" + args.one("barrier", "") + "'");
  }

  const Suite suite = load_suite_with(scenario_root(""), protocols_arg(args.all("protocol")), args.all("scenarios"));
  std::vector<const Scenario*> selected;
  const auto filters = args.all("filter");
  for (const auto& s : suite.scenarios) {
    bool keep = filters.empty();
    for (const auto& f : filters) keep = keep || glob_match(f, s.id);
    if (keep) selected.push_back(&s);
  }
  if (selected.empty()) throw UsageError("no scenario matches the given --protocol/--filter");

  TargetOptions target_options;
  target_options.server_binary = args.one("server-bin", "");
  // Every run has a seed, printed in its reports, so a run that used randomness can be repeated.
  std::uint64_t seed = 0;
  if (args.has("seed")) {
    const std::string text = args.one("seed", "");
    std::size_t used = 0;
    try {
      seed = std::stoull(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (text.empty() || used != text.size() || text[0] == '-')
      throw UsageError("--seed: expected a number, got '" + text + "'");
  } else {
    std::random_device device;
    seed = (static_cast<std::uint64_t>(device()) << 32 | device()) % 1'000'000'000'000ULL;
  }
  target_options.seed = seed;
  // --time-scale N: the spawned reference server's timers and the scenarios' named waits divided
  // by N (harness/timers.h). In-process runs keep exact virtual time; other programs: a profile's clock:.
  if (args.has("time-scale")) {
    const auto factor = parse_clock_factor(args.one("time-scale", ""));
    if (!factor)
      throw UsageError("--time-scale: expected a number from 1 to 10000, got '" + args.one("time-scale", "") + "'");
    if (args.has("profile") || args.one("target", "inprocess") != "spawn")
      throw UsageError(
          "--time-scale divides the spawned reference server's timers: use it with --target spawn "
          "(the in-process target runs in virtual time; another program: a profile's clock: {faketime: N})");
    target_options.clock = {Clock::Mode::scaled, *factor};
  }
  std::optional<Profile> profile;
  std::unique_ptr<Target> target;
  if (args.has("profile")) {
    if (args.has("target")) throw UsageError("give --profile or --target, not both");
    profile = load_profile(args.one("profile", ""), scenario_root(""));
    target_options.attributes = profile->attributes;
    target_options.channels = profile->channels;
    restrict_to_profile_protocols(*profile, args.all("protocol"), selected);
  }
  if (args.has("attribute") || args.has("channel")) {
    const bool at_address = profile ? !profile->launch : proto::parse_host_port(args.one("target", "")).has_value();
    if (!at_address) throw UsageError("--attribute/--channel describe a server at an address: give --target HOST:PORT");
    add_target_facts(args.all("attribute"), args.all("channel"), target_options);
  }
  if (profile) {
    if (profile->role == "client")
      target = make_client_target(*profile->launch, "client profile " + profile->name, profile->attributes);
    else if (profile->launch)
      target = make_launch_target(*profile->launch, "profile " + profile->name, target_options);
    else
      target = make_target(profile->address, target_options);
  } else {
    target = make_target(args.one("target", "inprocess"), target_options);
  }
  const int reruns = args.integer("rerun", 0, 0, 10);
  if (profile && profile->launch && profile->launch->fixed_port && options.jobs > 1) {
    // One server on a hard-coded port at a time (the launcher enforces it too): say so once.
    std::cerr << "relaycheck: profile " << profile->name << " uses fixed port " << *profile->launch->fixed_port
              << ": scenarios run one at a time\n";
    options.jobs = 1;
  }
  options.clock = profile ? profile->clock : target_options.clock;
  if (profile) {
    options.vars = profile->vars;
    options.wording = profile->wording;
    if (profile->barrier) options.barrier = *profile->barrier;
  }
  if (args.has("barrier")) options.barrier = *barrier_mode_from(args.one("barrier", ""));
  if (profile) {
    options.capabilities = profile->capabilities;
  }
  // A server under test runs the role: client scenarios; a client under test the role: server ones.
  std::erase_if(selected, [&](const Scenario* s) { return (s->role == "server") != target->plays_server(); });
  if (selected.empty())
    throw UsageError(std::string("no scenario for a ") + (target->plays_server() ? "client" : "server") +
                     " target matches the given --protocol/--filter");
  std::set<std::string> protocols;
  for (const auto* s : selected) protocols.insert(s->protocol);
  for (const auto& p : protocols) target->check(p);

  const bool verbose = args.has("verbose");
  const bool progress = !args.has("quiet");
  const bool tty = ::isatty(STDERR_FILENO);
  PartialRun partial;
  // Between results it says what the run waits on: the scenarios still running (cli/progress.h).
  std::optional<ProgressLine> progress_line;
  if (progress) progress_line.emplace(events.get(), tty);  // passes every event on to --events
  options.on_result = [&](const reports::ScenarioResult& r, std::size_t done, std::size_t total) {
    if (transport::interrupted()) return;  // its server was ended by the interrupt, not by itself
    {
      std::lock_guard<std::mutex> lock(partial.mutex);
      partial.finished.push_back(r);
    }
    if (!progress) return;
    const std::string counter = "[" + std::to_string(done) + "/" + std::to_string(total) + "] ";
    progress_line->finished(done, total);
    if (verbose || reports::unexpected(r.status)) {
      progress_line->print(counter + reports::to_string(r.status) + ' ' + r.id + " (" +
                           std::to_string(static_cast<long long>(r.duration_ms)) + " ms)");
    } else if (!tty && done * 10 / total != (done - 1) * 10 / total) {
      // Not a terminal (CI logs): a plain line at every tenth of the run, with what it still waits on.
      const std::string waiting = progress_line->running();
      progress_line->print(counter + "done" + (waiting.empty() || done == total ? "" : "; " + waiting));
    }
  };

  reports::RunResult run;
  run.info.tool_version = RELAYCHECK_VERSION;
  run.info.target = target->describe();
  if (profile) run.info.target += " (" + profile->file + ")";
  run.info.command_line = command_line;
  run.info.started_at = iso_now();
  run.info.git_commit = RELAYCHECK_GIT_COMMIT;
  run.info.seed = std::to_string(seed);
  if (options.clock.accelerated()) run.info.clock = describe(options.clock, {protocols.begin(), protocols.end()});
  run.info.strict = args.has("strict");  // decision-tier failures count (docs/scenarios.md, "Tiers")
  options.events = progress_line ? static_cast<reports::EventSink*>(&*progress_line) : events.get();
  if (events) events->run_started(run.info);
  const auto start = std::chrono::steady_clock::now();
  // Cleared when run_command leaves, however it leaves: the handler refers to this frame.
  const transport::InterruptScope partial_reports([&, info = run.info](int sig) {
    std::lock_guard<std::mutex> lock(partial.mutex);
    if (partial.reports_written) return;
    reports::RunResult cut;
    cut.info = info;
    cut.results = partial.finished;
    if (profile) apply_known_failures(cut.results, *profile);
    group_root_causes(cut.results);
    cut.info.duration_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    cut.info.incomplete = true;
    cut.info.incomplete_reason = std::string("interrupted by ") + (sig == SIGINT ? "SIGINT" : "SIGTERM") + " after " +
                                 std::to_string(cut.results.size()) + " of " + std::to_string(selected.size()) +
                                 " scenarios";
    for (const auto& r : reports_wanted) {
      const std::string content = render(r, cut, verbose);
      if (r.path.empty())
        std::cout << content << std::flush;
      else
        reports::write_atomically(r.path, content);
    }
    std::cerr << reports::summary_line(cut) << " (incomplete)\n";
  });
  run.results = run_scenarios(selected, suite, *target, options);
  if (progress_line) progress_line->stop();
  if (reruns > 0) rerun_failures(run.results, selected, suite, *target, options, reruns);
  if (transport::interrupted()) transport::await_interrupt_exit();
  run.notes = options.barriers->notes();
  if (args.has("write-baseline")) {
    std::vector<std::pair<std::string, std::string>> failing;
    for (const auto& r : run.results)
      if (r.status == reports::Status::fail || r.status == reports::Status::error)
        failing.emplace_back(r.id, r.message);
    reports::write_atomically(args.one("write-baseline", ""), baseline_yaml(failing));
    std::cerr << "relaycheck: wrote " << failing.size() << " known failures to " << args.one("write-baseline", "")
              << '\n';
  }
  if (profile) apply_known_failures(run.results, *profile);
  group_root_causes(run.results);  // after reruns and known failures: only real failures block
  if (events) events->run_finished(run);
  run.info.duration_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();

  if (!pcap_dir.empty()) {
    for (const auto& r : run.results) {
      if (r.wire.empty()) continue;
      std::ostringstream capture;
      reports::write_pcapng(r, capture);
      reports::write_atomically((std::filesystem::path(pcap_dir) / (r.id + ".pcapng")).string(), capture.str());
    }
  }
  if (!transcript_dir.empty()) write_session_transcripts(run.results, transcript_dir, target->plays_server());
  // From here the complete reports are written; an interrupt now only ends the process.
  std::lock_guard<std::mutex> lock(partial.mutex);
  partial.reports_written = true;
  bool text_on_stdout = false;
  for (const auto& r : reports_wanted) {
    const std::string content = render(r, run, verbose);
    if (r.path.empty())
      std::cout << content << std::flush;
    else
      reports::write_atomically(r.path, content);
    text_on_stdout = text_on_stdout || (r.path.empty() && r.format == "text");
  }
  // Every count, on stderr, whatever went to files (CI logs show it); not twice on one terminal,
  // where the text report just ended with the same line.
  if (!(text_on_stdout && ::isatty(STDOUT_FILENO) && ::isatty(STDERR_FILENO)))
    std::cerr << reports::summary_line(run) << '\n';
  return run.ok() ? kExitOk : kExitFailed;
}

}  // namespace relaycheck::harness::cli
