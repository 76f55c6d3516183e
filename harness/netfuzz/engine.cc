#include "harness/netfuzz/engine.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "harness/netfuzz/deviation_scenario.h"
#include "harness/netfuzz/differential.h"
#include "harness/netfuzz/finding_book.h"
#include "harness/netfuzz/minimiser.h"
#include "harness/netfuzz/mutator.h"
#include "harness/netfuzz/replay.h"
#include "harness/netfuzz/scenario_writer.h"
#include "harness/netfuzz/seeds.h"
#include "harness/netfuzz/shared_run.h"
#include "harness/target.h"
#include "harness/target_impl.h"

namespace relaycheck::harness::netfuzz {

namespace {

// What makes two findings the same bug: the kind and the first report line, without numbers.
std::string signature(FindingKind kind, const std::string& detail) {
  // A deviation is the same one when its first differing reply is (frame kind and field).
  if (kind == FindingKind::deviation) return "deviation:" + deviation_signature(detail);
  std::string key;
  std::istringstream lines(detail);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("planted bug") != std::string::npos || line.find("ERROR: ") != std::string::npos ||
        line.find("runtime error") != std::string::npos || line.find("does not decode") != std::string::npos) {
      key = line;
      break;
    }
  }
  if (const auto at = detail.find("the target"); key.empty() && at != std::string::npos) key = detail.substr(at);
  static const std::regex numbers("[0-9]+");
  return std::string(to_string(kind)) + ":" + std::regex_replace(key, numbers, "#");
}

struct PoolEntry {
  FuzzCase c;
  std::uint64_t weight;
};

// One worker: its own target instance, seed stream, pool and executor; the states and findings
// are the run's (SharedRun).
class Fuzzer {
 public:
  Fuzzer(const FuzzOptions& o, SharedRun& shared, std::size_t index)
      : o_(o),
        shared_(shared),
        index_(index),
        seed_(worker_seed(o.seed, index)),
        dialect_(*find_dialect(o.protocol)),
        target_(o.target, o.protocol, seed_),
        executor_(target_, dialect_, hints_for(o.protocol), o.barrier) {}

  void run(std::vector<FuzzCase> seeds) {
    mutator_.emplace(dialect_, seed_, Mutator::dictionary_from(seeds, dialect_));
    stats_.seeds = seeds.size();
    target_.start();
    // The seeds as they are first: their states are the baseline, and a seed may already fail.
    for (auto& s : seeds) {
      if (done()) break;
      if (execute(s, {0}, 1).front()) add_to_pool(s, 1);
    }
    if (pool_cases_.empty()) pool_add_all(seeds);
    while (!done()) {
      // One session: the parent's login once, then several children's frames over the same
      // connections, each child judged by the replies its own frames got.
      const std::size_t parent = pick_parent();
      std::vector<FuzzCase> children;
      for (std::size_t i = 0; i < o_.cases_per_session; ++i)
        children.push_back(mutator_->mutate(pool_[parent].c, pool_cases_));
      std::vector<std::size_t> starts;
      const FuzzCase session = join_session(pool_[parent].c, children, starts);
      const auto novel = execute(session, starts, children.size());
      for (std::size_t i = 0; i < children.size(); ++i)
        if (novel[i]) {
          add_to_pool(children[i], 2);
          pool_[parent].weight += 1;  // parents that lead somewhere new get picked more
        }
    }
    finish();
  }

 private:
  bool done() const { return target_gone_ || shared_.done(); }
  double elapsed() const { return shared_.elapsed(); }

  void pool_add_all(const std::vector<FuzzCase>& seeds) {
    for (const auto& s : seeds) add_to_pool(s, 1);
  }
  void add_to_pool(const FuzzCase& c, std::uint64_t weight) {
    if (pool_.size() >= kMaxPool) return;
    pool_.push_back({c, weight});
    pool_cases_.push_back(c);
    stats_.pool = pool_.size();
  }
  std::size_t pick_parent() {
    std::uint64_t total = 0;
    for (const auto& e : pool_) total += e.weight;
    std::uint64_t r = mutator_->below(total);
    for (std::size_t i = 0; i < pool_.size(); ++i) {
      if (r < pool_[i].weight) return i;
      r -= pool_[i].weight;
    }
    return pool_.size() - 1;
  }

  // The parent's prefix, then each child's frames after it; `starts` gets where each child's
  // frames begin in the session.
  static FuzzCase join_session(const FuzzCase& parent, const std::vector<FuzzCase>& children,
                               std::vector<std::size_t>& starts) {
    FuzzCase session;
    session.origin = parent.origin;
    session.conns = parent.conns;
    session.sends.assign(parent.sends.begin(),
                         parent.sends.begin() + static_cast<long>(std::min(parent.prefix, parent.sends.size())));
    for (const auto& child : children) {
      starts.push_back(session.sends.size());
      session.conns = std::max(session.conns, child.conns);
      session.sends.insert(session.sends.end(),
                           child.sends.begin() + static_cast<long>(std::min(child.prefix, child.sends.size())),
                           child.sends.end());
    }
    if (children.size() == 1) starts.front() = 0;
    return session;
  }

  // Runs a session of `count` cases starting at `starts`; per case, whether it reached a new
  // state. Findings are handled here.
  std::vector<bool> execute(const FuzzCase& session, const std::vector<std::size_t>& starts, std::size_t count) {
    if (target_.starts() != history_starts_) {  // a new instance has received nothing yet
      history_.clear();
      history_starts_ = target_.starts();
    }
    Outcome out = run_case(session);
    stats_.cases += count;
    ++stats_.sessions;
    stats_.frames += out.frames_sent;
    std::vector<std::vector<std::string>> kinds(count);
    for (const Segment& seg : out.segments) {
      const std::size_t child =
          static_cast<std::size_t>(std::upper_bound(starts.begin(), starts.end(), seg.begin) - starts.begin());
      auto& into = kinds[child == 0 ? 0 : child - 1];
      into.insert(into.end(), out.reply_kinds.begin() + static_cast<long>(seg.kinds_begin),
                  out.reply_kinds.begin() + static_cast<long>(seg.kinds_end));
    }
    // The last probes' replies (after every segment) belong to the last case.
    const std::size_t tail = out.segments.empty() ? 0 : out.segments.back().kinds_end;
    kinds.back().insert(kinds.back().end(), out.reply_kinds.begin() + static_cast<long>(tail), out.reply_kinds.end());
    std::vector<bool> novel(count);
    for (std::size_t i = 0; i < count; ++i) novel[i] = !out.finding && !kinds[i].empty() && shared_.add_state(kinds[i]);
    if (out.finding) found(session, out);
    history_.push_back(session);
    if (history_.size() > kHistory) history_.pop_front();
    note_barriers();
    stats_.seconds = elapsed();
    stats_.target_starts = target_.starts();
    shared_.report(index_, stats_);
    return novel;
  }

  // The last `back` sessions of the history, then `c`, as one case from a fresh start.
  FuzzCase with_history(const FuzzCase& c, std::size_t back) const {
    FuzzCase joined;
    joined.origin = c.origin;
    for (auto it = history_.end() - static_cast<long>(back); it != history_.end(); ++it) {
      joined.conns = std::max(joined.conns, it->conns);
      joined.sends.insert(joined.sends.end(), it->sends.begin(), it->sends.end());
    }
    joined.conns = std::max(joined.conns, c.conns);
    joined.sends.insert(joined.sends.end(), c.sends.begin(), c.sends.end());
    joined.prefix = 0;
    return joined;
  }

  // A spawned target that died is started again; so is one that hangs (it serves nobody now).
  void revive(bool hung = false) {
    if (target_.spawned() && (hung || target_.exited())) target_.restart();
  }

  void note_barriers() {
    stats_.heartbeats_answered = executor_.heartbeats_answered();
    if (executor_.barrier_switches() == stats_.barrier_switches) return;
    stats_.barrier_switches = executor_.barrier_switches();
    stats_.barrier_notes = executor_.barrier_notes();
  }

  // Runs a case against a target that is up (a spawned one restarted when it died or hangs).
  Outcome rerun(const FuzzCase& c) {
    revive();
    Outcome again = run_case(c);
    revive(again.finding == FindingKind::hang);
    return again;
  }

  // The executor's run, and with --differential the comparison with the reference engine.
  Outcome run_case(const FuzzCase& c) {
    if (!o_.differential) return executor_.run(c);
    // The reference engine runs alongside: it paces the probes' reads, and its run of the case
    // is what the target's replies are compared with.
    // One stepper per target instance: it keeps what the instance keeps between cases.
    if (!lasting_reference_ || lasting_for_start_ != target_.starts()) {
      lasting_reference_ = std::make_unique<ReferenceStepper>(o_.protocol, dialect_);
      lasting_for_start_ = target_.starts();
    }
    ReferencePacer reference(*lasting_reference_, c);
    Outcome out = executor_.run(c, &reference);
    bool parted = false;
    if (!out.finding && reference.run()) {  // no finding: the executor got to its end and asked
      Comparison cmp = compare_with_reference(o_.protocol, dialect_, hints_for(o_.protocol), *reference.run(), out,
                                              differential_options());
      parted = cmp.parted;
      if (cmp.deviation) {
        out.finding = FindingKind::deviation;
        out.detail = cmp.deviation->detail();
      }
    }
    // After an allowed answer that parted the servers, a deviation or a violation, the target may
    // keep what the reference does not (a room one made and the other refused). Reruns and
    // minimising then start clean, as the written scenario does.
    if (parted || out.finding == FindingKind::deviation || out.finding == FindingKind::violation) start_afresh();
    return out;
  }
  // The target and the lasting reference both start again: a spawned target restarted, else the
  // reference alone (the next case makes it new; a running case's pacer ends on the old one).
  void start_afresh() {
    if (!o_.differential) return;
    if (target_.spawned()) target_.restart();
    lasting_for_start_ = -1;
  }
  DifferentialOptions differential_options() const { return {o_.strict, o_.wording}; }

  void found(const FuzzCase& c, const Outcome& out) {
    const FindingKind kind = *out.finding;
    const std::string sig = signature(kind, out.detail);
    revive(kind == FindingKind::hang);
    // An address that a crash took down stays down: nothing more can be run.
    if (!target_.spawned() && target_.death(Millis{0})) stop_all();
    if (auto earlier = shared_.by_signature(sig)) return duplicate(*earlier);  // the same bug again
    // A deviation must show twice more before it is worth minimising (one read late is not the
    // target's answer); a signature that failed to confirm twice is not tried again.
    if (kind == FindingKind::deviation) {
      if (shared_.unconfirmed_count(sig) >= kMaxUnconfirmed) return;
      for (int i = 0; i < 2; ++i)
        if (const Outcome again = rerun(c); again.finding != kind || signature(kind, again.detail) != sig)
          return unconfirmed(sig);
    }
    const double found_after = elapsed();
    FuzzCase smallest = c;
    Outcome trace = out;
    // What earlier sessions sent to this target instance may have been what did it, shown only
    // now (a target that died slowly, after that session had ended): a case that does not show it
    // alone gets the last session in front, then every session the instance served.
    if (o_.minimise && !target_gone_ && !history_.empty() && rerun(c).finding != kind) {
      for (const std::size_t back : {std::size_t{1}, history_.size()}) {
        FuzzCase joined = with_history(c, back);
        if (Outcome again = rerun(joined); again.finding == kind) {
          smallest = std::move(joined);
          trace = std::move(again);
          break;
        }
        if (back == history_.size()) break;
      }
    }
    const FuzzCase found_case = smallest;
    const Outcome found_trace = trace;
    if (o_.minimise && !target_gone_) {
      // A deviation shrinks while its first differing reply stays the same.
      auto reproduces = [&](const FuzzCase& candidate) {
        const Outcome again = rerun(candidate);
        return again.finding == kind && (kind != FindingKind::deviation || signature(kind, again.detail) == sig);
      };
      MinimiseLimits limits;
      limits.max_time = std::chrono::milliseconds(static_cast<long long>(o_.minimise_s * 1000));
      // A candidate that still hangs costs the whole wait: a shorter one while shrinking (a
      // false "still hangs" is caught by the full-length check of the result below).
      // On a loaded machine the shorter wait grows with the probes' adaptive limit.
      if (kind == FindingKind::hang)
        executor_.set_hang_patience(std::max(kMinimiseHangPatience, executor_.probe_limit() / 2));
      smallest = minimise(found_case, reproduces, limits);
      executor_.set_hang_patience(std::nullopt);
      // The smallest case's own run tells the writer which connections were answered.
      for (int attempt = 0; attempt < 3; ++attempt)
        if ((trace = rerun(smallest)).finding == kind) break;
      // Shrunk by candidates that only seemed to show it (a slow reply taken for a hang): the
      // case as found is written instead, with its own run.
      if (trace.finding != kind) {
        smallest = found_case;
        trace = found_trace;
      }
    }
    // One worker at a time writes, replays and files (the number holds); another worker may have
    // filed this bug meanwhile.
    std::lock_guard<std::mutex> filing(shared_.filing());
    if (auto earlier = shared_.by_signature(sig)) return duplicate(*earlier);
    // Two signatures that shrink to the same writes are one bug.
    if (auto earlier = shared_.by_writes(smallest)) {
      shared_.alias(sig, *earlier);
      return duplicate(*earlier);
    }
    const std::size_t n = shared_.next_number();
    Finding f;
    f.kind = kind;
    f.detail = out.detail;
    f.id = o_.protocol + ".fuzz." + to_string(kind) + "." + std::to_string(n);
    f.frames = smallest.sends.size();
    f.bytes = smallest.bytes();
    f.found_at_case = stats_.cases;
    f.found_after_s = found_after;
    const std::filesystem::path dir = std::filesystem::path(o_.out_dir) / o_.protocol;
    std::filesystem::create_directories(dir);
    f.path = (dir / ("fuzz-" + std::string(to_string(kind)) + "-" + std::to_string(n) + ".yaml")).string();
    FindingText text{o_.protocol, f.id, kind, out.detail,
                     "relaycheck fuzz --protocol " + o_.protocol + " --seed " + std::to_string(o_.seed) +
                         (o_.jobs > 1 ? " --jobs " + std::to_string(o_.jobs) + ", worker " + std::to_string(index_) +
                                            " (seed " + std::to_string(seed_) + ")"
                                      : std::string()) +
                         ", case " + std::to_string(stats_.cases)};
    note_barriers();
    ScenarioTiming timing;
    timing.silence = std::max(executor_.silence_window(), kMinWrittenSilence);
    std::string written_sig = sig;
    if (kind == FindingKind::deviation) {
      // The scenario expects the reference's replies to the smallest case, as its own run wrote them.
      const ReferenceRun ref = run_reference(o_.protocol, dialect_, smallest, trace);
      const Comparison cmp =
          compare_with_reference(o_.protocol, dialect_, hints_for(o_.protocol), ref, trace, differential_options());
      if (cmp.deviation) {
        text.detail = f.detail = cmp.deviation->detail();
        // The smallest case's last run may differ first at another reply than the case as found:
        // the finding is what it writes, so one filed under that signature already is this one.
        written_sig = signature(kind, f.detail);
        if (auto earlier = shared_.by_signature(written_sig); earlier && written_sig != sig) {
          shared_.alias(sig, *earlier);
          return duplicate(*earlier);
        }
      }
      const std::string yaml = deviation_scenario_yaml(text, smallest, trace, ref, cmp);
      std::ofstream(f.path) << yaml;
      f.deviation_line = deviation_step_line(yaml);
    } else {
      std::ofstream(f.path) << scenario_yaml(text, smallest, trace, executor_.barrier(), timing);
    }
    replay(f);
    if (kind == FindingKind::deviation) {
      replay_on_reference(f);
      if (o_.replay && !f.reproduced) {
        std::filesystem::remove(f.path);
        return unconfirmed(sig);
      }
    }
    const std::size_t index = shared_.file(sig, smallest, std::move(f));
    if (written_sig != sig) shared_.alias(written_sig, index);
  }

  void unconfirmed(const std::string& sig) { shared_.unconfirmed(sig); }
  void duplicate(std::size_t earlier) { shared_.duplicate(earlier); }
  // An address target that went down serves no worker any more.
  void stop_all() {
    target_gone_ = true;
    shared_.stop();
  }

  // The written scenario, through the scenario runner, against a fresh target: only a replay
  // that fails makes the finding `reproduced`.
  void replay(Finding& f) {
    if (!o_.replay) {
      f.replay = "not replayed (--no-replay)";
      return;
    }
    if (target_gone_) {
      f.replay = "not replayed: the target at " + o_.target + " no longer accepts connections";
      return;
    }
    // A fixed port holds one instance at a time: the fuzzer's own yields it to the replay's, and
    // is started again after (else the replay's launch would wait for the port forever).
    const auto port = target_.fixed_port();
    if (port) target_.stop();
    try {
      if (!replay_target_)
        replay_target_ = o_.replay_target ? o_.replay_target() : make_replay_target(o_.target, seed_);
      const Replay r = replay_finding(f.path, *replay_target_);
      f.reproduced = r.ran && r.failed;
      f.replay = r.message;
      // A deviation shows at its own step: a failure elsewhere (an answer the table does not
      // know yet, a late read) is not it.
      if (f.reproduced && f.deviation_line && r.failed_line != f.deviation_line) {
        f.reproduced = false;
        f.replay += "; not at the deviation's step (line " + std::to_string(f.deviation_line) + ")";
      }
      if (port && !r.ran)
        f.replay =
            "not replayed: the replay target did not start on fixed port " + std::to_string(*port) + ": " + r.message;
    } catch (const std::exception& e) {
      f.replay = std::string("not replayed: ") + e.what();
    }
    if (port) {
      try {
        target_.start();
      } catch (const std::exception& e) {
        // Nothing more can be fuzzed: the run ends here, with its findings and this reason.
        target_gone_ = true;
        f.replay += "; after the replay the fuzz target did not start again on fixed port " + std::to_string(*port) +
                    ": " + e.what();
      }
    }
    // The replay may have taken an address target down, or left a spawned one as it was.
    if (!target_.spawned() && target_.death(Millis{0})) stop_all();
  }

  // A deviation's scenario must pass on the reference (in-process): else it is not the target's.
  void replay_on_reference(Finding& f) {
    if (!o_.replay) return;
    try {
      auto reference = make_inprocess_target();
      const Replay r = replay_finding(f.path, *reference);
      if (r.ran && !r.failed) {
        f.replay += "; passes on the reference";
      } else {
        f.reproduced = false;
        f.replay += "; but it " + std::string(r.ran ? "fails" : "did not run") + " on the reference too: " + r.message;
      }
    } catch (const std::exception& e) {
      f.reproduced = false;
      f.replay += std::string("; not replayed on the reference: ") + e.what();
    }
  }

  void finish() {
    stats_.seconds = elapsed();
    stats_.barrier_notes = executor_.barrier_notes();
    shared_.report(index_, stats_);
  }

  static constexpr std::size_t kMaxPool = 4096;
  static constexpr std::size_t kMaxUnconfirmed = 2;
  static constexpr Millis kMinimiseHangPatience{500};
  // A written silence window is a real wait on replay, on a target perhaps slower than now.
  static constexpr Millis kMinWrittenSilence{50};
  const FuzzOptions& o_;
  SharedRun& shared_;
  const std::size_t index_;
  const std::uint64_t seed_;
  const Dialect& dialect_;
  FuzzTarget target_;
  Executor executor_;
  std::unique_ptr<ReferenceStepper> lasting_reference_;  // --differential: the target instance's twin
  int lasting_for_start_ = -1;                           // which start of the target it twins
  std::optional<Mutator> mutator_;                       // made once the seeds (its dictionary) are known
  std::vector<PoolEntry> pool_;
  std::vector<FuzzCase> pool_cases_;
  std::unique_ptr<Target> replay_target_;  // made at the first finding
  // The sessions the running target instance has served before the current one (the last
  // kHistory): a target that died slowly may have been killed by any of them.
  static constexpr std::size_t kHistory = 8;
  std::deque<FuzzCase> history_;
  int history_starts_ = -1;  // the target's start count the history belongs to
  bool target_gone_ = false;
  FuzzStats stats_;  // this worker's counters; the findings and states are shared_'s
};

}  // namespace

std::size_t FuzzStats::unconfirmed() const {
  std::size_t n = 0;
  for (const auto& [signature, count] : unconfirmed_signatures) n += count;
  return n;
}

FuzzStats run_fuzz(const FuzzOptions& options, const std::function<void(const FuzzStats&)>& on_progress) {
  const std::size_t jobs = std::max<std::size_t>(options.jobs, 1);
  std::vector<FuzzCase> seeds = load_seeds(options.scenario_root, options.protocol);
  if (seeds.empty()) throw TargetError("no seed scenarios for " + options.protocol + " under " + options.scenario_root);
  SharedRun shared(options, jobs, on_progress);
  std::vector<std::unique_ptr<Fuzzer>> workers;
  for (std::size_t i = 0; i < jobs; ++i) workers.push_back(std::make_unique<Fuzzer>(options, shared, i));
  if (jobs == 1) {
    workers.front()->run(std::move(seeds));
    return shared.merged();
  }
  // A worker that fails (its target cannot start) stops the others; the first failure is thrown.
  std::mutex failure_mutex;
  std::exception_ptr failure;
  std::vector<std::thread> threads;
  for (auto& w : workers)
    threads.emplace_back([&, worker = w.get()] {
      try {
        worker->run(seeds);
      } catch (...) {
        std::lock_guard<std::mutex> lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        shared.stop();
      }
    });
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
  return shared.merged();
}

}  // namespace relaycheck::harness::netfuzz
