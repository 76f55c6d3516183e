#include "harness/runner.h"

#include <algorithm>
#include <atomic>
#include <deque>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <variant>

#include "harness/barrier.h"
#include "harness/match.h"
#include "harness/protocols/dialect.h"
#include "harness/root_causes.h"
#include "harness/scenario_channels.h"
#include "harness/uniq.h"

namespace relaycheck::harness {

using reports::ScenarioResult;
using reports::Status;
using reports::TranscriptEntry;

namespace {

// A requirement the target did not meet.
struct StepFailure {
  std::string message, expected, actual;
  // Where it stopped and why, as data for root-cause grouping (ScenarioResult::failed_at).
  std::string at;
  std::vector<std::string> via;
  std::string why;
};

std::string escape_bytes(std::string_view bytes) {
  static const char* hex = "0123456789abcdef";
  std::string o;
  for (unsigned char c : bytes) {
    if (c == '\n')
      o += "\\n";
    else if (c == '\r')
      o += "\\r";
    else if (c == '\t')
      o += "\\t";
    else if (c == '\\')
      o += "\\\\";
    else if (c < 0x20 || c == 0x7f)
      o += std::string("\\x") + hex[c >> 4] + hex[c & 15];
    else
      o += static_cast<char>(c);
  }
  if (o.size() > 400) o = o.substr(0, 400) + "... (" + std::to_string(bytes.size()) + " bytes)";
  return o;
}

class ScenarioRun {
 public:
  ScenarioRun(const Scenario& s, const Suite& suite, Transport& t, const RunOptions& o, ScenarioResult& r)
      : scenario_(s), suite_(suite), transport_(t), options_(o), result_(r), dialect_(*find_dialect(s.protocol)) {
    vars_ = o.vars;
    vars_["scenario"] = s.id;
    // Names unique to this run (docs/scenarios.md, "Unique names"): a shared server keeps no
    // user, room or nickname of another run in the way.
    // A caller that presets them (the network fuzzer's seeds, for repeatable cases) keeps its own.
    if (!vars_.count("uniq")) {
      const UniqueName unique = next_unique_name();
      vars_["uniq"] = unique.full;
      vars_["uniq2"] = unique.short2;
    }
  }

  void run() { steps(scenario_.steps, 0); }

  // Why a barrier probe of this run did not fit the target (no reply, a close, another reply),
  // if one did not: a failure after it may be the probe's doing, not the server's.
  const std::optional<std::string>& probe_trouble() const { return probe_trouble_; }

  void close_all() {
    for (auto& [name, c] : conns_) {
      if (c.closed) continue;
      transport_.close(name);
      wire(name, reports::WireChunk::Dir::close_by_client);
    }
  }

 private:
  struct Conn {
    std::unique_ptr<ConnectionCodec> decoder;  // encodes too (Dialect::codec)
    std::deque<json> frames;
    bool closed = false;
    std::string close_detail;
    std::optional<std::string> undecodable;
    std::vector<json> ignored;                // patterns of frames to drop when they arrive (`ignore` step)
    std::unique_ptr<BarrierTracker> barrier;  // the dialect's probe for this connection's state
    bool silence = false;                     // its probe did not fit: silence windows from now on
    std::vector<json> late_probe_replies;     // replies of unanswered probes, dropped if they come
    std::optional<long long> sent_at;         // a send still waiting for its first reply (round trips)
    bool steps_take_heartbeats = false;       // `take_heartbeats`: the runner no longer answers them
    std::string unfinished_write;             // raw bytes sent since the last whole frame
    std::vector<std::string> held_answers;    // heartbeat answers waiting for a whole frame
  };
  enum class Next { frame, closed, timeout };

  void wire(const std::string& conn, reports::WireChunk::Dir dir, std::string_view bytes = {}) {
    if (options_.capture_wire) result_.wire.push_back({transport_.now_ms(), conn, dir, std::string(bytes)});
  }

  void note(const std::string& conn, TranscriptEntry::Kind kind, std::string text) {
    result_.transcript.push_back({transport_.now_ms(), conn, kind, std::move(text)});
    if (options_.events) options_.events->transcript(scenario_.id, result_.transcript.back());
  }

  [[noreturn]] void fail(const Step& step, const std::string& message, std::string expected = {},
                         std::string actual = {}) {
    throw StepFailure{std::string(to_string(step.kind())) + " at " + step.at.str() + ": " + message,
                      std::move(expected),
                      std::move(actual),
                      step.at.str(),
                      includes_,
                      std::string(to_string(step.kind())) + ": " + mask_run_names(message, vars_)};
  }

  void open_conn(const Step& s, const std::string& name, const std::string& channel = {}) {
    Conn c;
    ConnectionContext context;
    context.channel = channel;
    context.plays_server = scenario_.role == "server";
    context.attribute = [this](const std::string& attr) { return transport_.attribute(attr); };
    try {
      c.decoder = dialect_.codec(context);
    } catch (const DialectError& e) {
      throw ScenarioError(s.at, e.what());
    }
    c.barrier = dialect_.barrier_tracker();
    c.steps_take_heartbeats = heartbeats_taken_.count(name) > 0;
    conns_[name] = std::move(c);
  }

  Conn& conn(const Step& step, const std::string& name) {
    auto it = conns_.find(name);
    if (it == conns_.end()) throw ScenarioError(step.at, "no connection named '" + name + "' (connect it first)");
    return it->second;
  }

  void steps(const std::vector<Step>& list, int depth) {
    if (depth > 32)
      throw ScenarioError(list.empty() ? scenario_.at : list.front().at, "include/repeat nested too deeply");
    for (const Step& s : list) step(s, depth);
  }

  std::string name_of(const std::string& v) { return substitute(v, vars_); }

  void step(const Step& s, int depth) {
    // A round trip is a send and the reply its following expects read; anything else between
    // them (a wait, a quiet, a connect) would count its own time.
    if (s.kind() != Step::Kind::send && s.kind() != Step::Kind::expect) forget_round_trips();
    std::visit([&](const auto& body) { run(s, body, depth); }, s.body);
  }

  void run(const Step& s, const ConnectStep& b, int) {
    if (scenario_.role == "server")
      throw ScenarioError(s.at, "connect: in a role: server scenario the client connects; use accept");
    for (const auto& n : b.connections) {
      const std::string name = name_of(n.name);
      const std::string channel = name_of(n.channel);
      if (conns_.count(name) && !conns_[name].closed)
        throw ScenarioError(s.at, "connection '" + name + "' is already open");
      if (channel.empty())
        transport_.open(name);
      else
        transport_.open_channel(name, channel);
      open_conn(s, name, channel);
      wire(name, reports::WireChunk::Dir::open);
      note(name, TranscriptEntry::Kind::connect, "connected");
    }
  }

  void run(const Step& s, const AcceptStep& b, int) {
    if (scenario_.role != "server") throw ScenarioError(s.at, "accept: only role: server scenarios accept connections");
    const std::string name = name_of(b.on);
    if (conns_.count(name) && !conns_[name].closed)
      throw ScenarioError(s.at, "connection '" + name + "' is already open");
    const Millis within{b.within ? wait_ms(*b.within, true) : options_.default_within.count()};
    try {
      transport_.accept(name, within);
    } catch (const TargetError& e) {
      fail(s, e.what(), "a connection from the client", "none");
    }
    open_conn(s, name);
    wire(name, reports::WireChunk::Dir::open);
    note(name, TranscriptEntry::Kind::connect, "client connected");
  }

  void run(const Step& s, const InputStep& b, int) {
    // Twice: a profile's var (say_input: "${said}") may name the scenario's own variables.
    const std::string text = substitute(substitute(b.text, vars_), vars_);
    note("", TranscriptEntry::Kind::note, "input to the client: " + escape_bytes(text));
    if (auto err = transport_.input(text); !err.empty()) fail(s, "cannot type into the client: " + err);
  }

  void run(const Step& s, const IgnoreStep& b, int) {
    Conn& c = conn(s, name_of(b.on));
    c.ignored.clear();
    for (const auto& p : b.frames) c.ignored.push_back(p.value);
  }

  void run(const Step& s, const QuietStep& b, int) {
    std::optional<long long> silence_until;  // shared by the step's connections
    for (const auto& n : b.on) quiet(s, b, name_of(n), silence_until);
  }

  void run(const Step& s, const CloseStep& b, int) {
    for (const auto& n : b.on) {
      const std::string name = name_of(n);
      Conn& c = conn(s, name);
      if (!c.closed) {
        transport_.close(name);
        wire(name, reports::WireChunk::Dir::close_by_client);
      }
      c.closed = true;
      note(name, TranscriptEntry::Kind::closed_by_client, "client closed the connection");
    }
  }

  void run(const Step&, const AdvanceStep& b, int) {
    const Millis d{wait_ms(b.by, false)};
    note("", TranscriptEntry::Kind::note, "advance " + std::to_string(d.count()) + "ms" + scaled_note(b.by));
    forget_round_trips();
    if (answers_heartbeats() && !transport_.exact_quiet())
      pump_all(transport_.now_ms() + d.count());
    else
      transport_.advance(d);
  }

  void run(const Step&, const SetStep& b, int) {
    for (const auto& [k, v] : b.vars) vars_[k] = substitute(v, vars_);
  }

  void run(const Step&, const RepeatStep& b, int depth) {
    const auto saved = vars_.find("i") == vars_.end() ? std::nullopt : std::optional<std::string>(vars_["i"]);
    for (long long i = 0; i < b.times; ++i) {
      vars_["i"] = std::to_string(i);
      steps(b.steps, depth + 1);
    }
    if (saved)
      vars_["i"] = *saved;
    else
      vars_.erase("i");
  }

  void run(const Step&, const TakeHeartbeatsStep& b, int) {
    for (const auto& n : b.on) {
      const std::string name = name_of(n);
      heartbeats_taken_.insert(name);
      if (auto it = conns_.find(name); it != conns_.end()) it->second.steps_take_heartbeats = true;
      note(name, TranscriptEntry::Kind::note, "heartbeats from now on answered by the steps, not the runner");
    }
  }

  void run(const Step& s, const IncludeStep& b, int depth) {
    const auto& space = suite_.fragments.at(scenario_.protocol);
    const Fragment& f = space.at(b.fragment);
    std::map<std::string, std::optional<std::string>> saved;
    for (const auto& [k, v] : b.with) {
      auto it = vars_.find(k);
      saved[k] = it == vars_.end() ? std::nullopt : std::optional<std::string>(it->second);
    }
    for (const auto& [k, v] : b.with) vars_[k] = substitute(v, vars_);
    includes_.push_back(s.at.str() + " include " + f.name);  // a failure inside knows its way in
    steps(f.steps, depth + 1);
    includes_.pop_back();
    for (const auto& [k, v] : saved) {
      if (v)
        vars_[k] = *v;
      else
        vars_.erase(k);
    }
  }

  void run(const Step& s, const SendStep& b, int) {
    const std::string name = name_of(b.on);
    Conn& c = conn(s, name);
    std::string bytes, shown;
    const auto* frames = std::get_if<std::vector<FrameTemplate>>(&b.payload);
    if (frames) {
      for (const auto& f : *frames) {
        const json frame = substitute_all(f.value, vars_);
        std::string encoded;
        try {
          encoded = c.decoder->encode(frame);
        } catch (const DialectError& e) {
          throw ScenarioError(s.at, e.what());
        }
        bytes += encoded;
        shown += (shown.empty() ? "" : " | ") + escape_bytes(encoded);
        if (scenario_.role == "server") c.decoder->on_sent(frame);
        c.barrier->on_sent(frame);
      }
    } else if (const auto* raw = std::get_if<RawText>(&b.payload)) {
      bytes = substitute(raw->text, vars_);
      shown = escape_bytes(bytes);
    } else {
      bytes = std::get<ExactBytes>(b.payload).bytes;
      shown = escape_bytes(bytes);
    }
    if (c.closed) fail(s, "cannot send on '" + name + "': the connection is closed", {}, c.close_detail);
    const std::size_t chop = b.chop.value_or(bytes.size());
    const Millis delay = b.delay;
    note(name, TranscriptEntry::Kind::sent,
         shown + (chop < bytes.size() ? " (in pieces of " + std::to_string(chop) + ")" : std::string()));
    for (std::size_t i = 0; i < bytes.size() || i == 0; i += std::max<std::size_t>(chop, 1)) {
      if (i > 0 && delay.count() > 0) transport_.advance(delay);
      wire(name, reports::WireChunk::Dir::to_server, std::string_view(bytes).substr(i, chop));
      if (auto err = transport_.write(name, std::string_view(bytes).substr(i, chop)); !err.empty()) {
        note(name, TranscriptEntry::Kind::note, "write failed: " + err);
        break;
      }
      if (bytes.empty()) break;
    }
    c.sent_at = transport_.now_ms();
    if (frames)
      c.unfinished_write.clear();
    else
      c.unfinished_write += bytes;
    if (!c.unfinished_write.empty() && dialect_.ends_client_frame(c.unfinished_write)) c.unfinished_write.clear();
    if (c.unfinished_write.empty()) write_held_answers(name, c);
  }

  // Answers held back while a write ended inside a frame: an answer there would split it.
  void write_held_answers(const std::string& name, Conn& c) {
    for (const auto& bytes : c.held_answers) {
      wire(name, reports::WireChunk::Dir::to_server, bytes);
      const std::string err = transport_.write(name, bytes);
      note(name, TranscriptEntry::Kind::note,
           err.empty() ? "held heartbeat answer written" : "held heartbeat answer not written: " + err);
    }
    c.held_answers.clear();
  }

  // Reads and decodes until a frame is queued on `c`, the peer closes, or the deadline passes.
  // Over the network, while heartbeats are answered, the other connections are read too in
  // between, so a heartbeat on one of them does not wait for this step to end.
  Next next(const std::string& name, Conn& c, long long deadline_ms) {
    const bool others = answers_heartbeats() && !transport_.exact_quiet() && conns_.size() > 1;
    bool first = true;
    while (c.frames.empty()) {
      if (c.undecodable) return Next::closed;
      if (c.closed) return Next::closed;
      const long long left = deadline_ms - transport_.now_ms();
      if (left <= 0 && !first) return Next::timeout;
      first = false;
      ReadResult r = transport_.read(name, Millis{std::clamp(left, 0LL, others ? kOthersSliceMs : left)});
      if (r.kind == ReadResult::Kind::timeout) {
        if (others) read_others(name);
        if (transport_.now_ms() >= deadline_ms) return Next::timeout;
        continue;
      }
      take(name, c, std::move(r));
    }
    return Next::frame;
  }

  // How long one connection is waited on before the others are looked at (heartbeats).
  static constexpr long long kOthersSliceMs = 50;

  // Whatever is ready on the other open connections, decoded and queued.
  void read_others(const std::string& except) {
    for (auto& [other, oc] : conns_) {
      if (other == except || oc.closed || oc.undecodable) continue;
      ReadResult r = transport_.read(other, Millis{0});
      if (r.kind != ReadResult::Kind::timeout) take(other, oc, std::move(r));
    }
  }

  // Reads every open connection until `deadline_ms`: a real wait that still answers heartbeats.
  void pump_all(long long deadline_ms) {
    while (transport_.now_ms() < deadline_ms) {
      bool any = false;
      for (auto& [name, c] : conns_) {
        if (c.closed || c.undecodable) continue;
        any = true;
        ReadResult r = transport_.read(name, Millis{0});
        if (r.kind != ReadResult::Kind::timeout) take(name, c, std::move(r));
      }
      const long long left = deadline_ms - transport_.now_ms();
      if (left > 0) transport_.advance(Millis{std::min(left, any ? kOthersSliceMs : left)});
    }
  }

  // One read's result on `name`: a close, or bytes decoded into queued frames.
  void take(const std::string& name, Conn& c, ReadResult r) {
    if (r.kind == ReadResult::Kind::closed) {
      wire(name, reports::WireChunk::Dir::close_by_server);
      c.closed = true;
      c.close_detail = r.detail;
      std::string text = "server closed the connection";
      if (r.detail != "closed") text += " (" + r.detail + ")";
      if (c.decoder->pending_bytes() > 0)
        text += " with " + std::to_string(c.decoder->pending_bytes()) + " bytes of an unfinished frame";
      note(name, TranscriptEntry::Kind::closed_by_peer, text);
      return;
    }
    wire(name, reports::WireChunk::Dir::to_client, r.bytes);
    c.decoder->feed(r.bytes);
    while (true) {
      auto item = c.decoder->next();
      if (auto* f = std::get_if<json>(&item)) {
        received(name, c, std::move(*f));
      } else if (auto* u = std::get_if<Undecodable>(&item)) {
        c.undecodable = u->reason;
        note(name, TranscriptEntry::Kind::note, "undecodable reply: " + u->reason);
        break;
      } else {
        break;
      }
    }
  }

  // A decoded frame: a heartbeat is answered and kept out of expectations (outside heartbeat
  // scenarios), a late probe reply is dropped, an `ignore`d frame noted; the rest is queued.
  void received(const std::string& name, Conn& c, json f) {
    if (answers_heartbeats() && !c.steps_take_heartbeats) {
      if (auto answer = dialect_.heartbeat_answer(f)) {
        std::string how = "answered " + answer->shown;
        std::string bytes;
        try {
          bytes = c.decoder->encode(answer->frame);
        } catch (const DialectError& e) {
          how = std::string("not answered: ") + e.what();
        }
        if (!bytes.empty() && !c.unfinished_write.empty()) {
          c.held_answers.push_back(bytes);
          how += ", held until the scenario's unfinished frame is written";
        } else if (!bytes.empty()) {
          wire(name, reports::WireChunk::Dir::to_server, bytes);
          if (auto err = transport_.write(name, bytes); !err.empty()) how = "answer not written: " + err;
        }
        note(name, TranscriptEntry::Kind::received, dialect_.describe(f) + " (heartbeat, " + how + ")");
        return;
      }
    }
    for (auto it = c.late_probe_replies.begin(); it != c.late_probe_replies.end(); ++it) {
      if (match(*it, f, vars_, options_.wording).ok) {
        note(name, TranscriptEntry::Kind::received, dialect_.describe(f) + " (late reply to a barrier probe, dropped)");
        c.late_probe_replies.erase(it);
        return;
      }
    }
    // Scenarios of timers (heartbeat, slow) expect frames that answer no request: not measured.
    if (c.sent_at && !has_tag("heartbeat") && !has_tag("slow"))
      options_.barriers->observe_round_trip(scenario_.protocol, Millis{transport_.now_ms() - *c.sent_at});
    c.sent_at.reset();
    c.barrier->on_received(f);
    const bool drop = std::any_of(c.ignored.begin(), c.ignored.end(),
                                  [&](const json& p) { return match(p, f, vars_, options_.wording).ok; });
    note(name, TranscriptEntry::Kind::received, dialect_.describe(f) + (drop ? " (ignored)" : ""));
    if (!drop) c.frames.push_back(std::move(f));
  }

  bool has_tag(const char* tag) const {
    return std::find(scenario_.tags.begin(), scenario_.tags.end(), tag) != scenario_.tags.end();
  }
  // Playing the client, heartbeats are answered on each connection until a `take_heartbeats`
  // step hands them to the steps (the scenarios that test heartbeats).
  bool answers_heartbeats() const { return scenario_.role != "server"; }

  // A wait between a send and its reply (a timer, an advance) is no round trip.
  void forget_round_trips() {
    for (auto& [name, c] : conns_) c.sent_at.reset();
  }

  std::string closed_text(const Conn& c) {
    if (c.undecodable) return "a reply that does not decode: " + *c.undecodable;
    return "the connection closed" +
           (c.close_detail.empty() || c.close_detail == "closed" ? "" : " (" + c.close_detail + ")");
  }

  // A pattern as a failure report shows it: with the variables it names filled in.
  std::string shown_pattern(const json& pattern) {
    json filled = pattern;
    try {
      filled = substitute_all(pattern, vars_);
    } catch (const PatternError&) {
      // An undefined variable errors in the match itself; show the pattern as written.
    }
    return filled.dump(-1, ' ', false, json::error_handler_t::replace);
  }

  // A step's wait in real time (harness/timers.h): a named timer expression (`${<protocol>.<timer>}
  // + 20s`) is divided by the run's scale for the protocol; a plain duration is a round-trip
  // allowance, as written. Deadlines keep a floor for loopback round trips.
  long long wait_ms(const DurationValue& d, bool is_deadline) const {
    if (!d.scaled) return d.spec.count();
    return real_time(d.spec, protocol_scale(options_.clock, scenario_.protocol), is_deadline).count();
  }
  std::string scaled_note(const DurationValue& d) const {
    const double scale = protocol_scale(options_.clock, scenario_.protocol);
    if (!d.scaled || scale <= 1) return "";
    std::ostringstream o;
    o << " (" << d.spec.count() << "ms of spec time / " << scale << ")";
    return o.str();
  }

  long long deadline(const std::optional<DurationValue>& within) {
    return transport_.now_ms() + (within ? wait_ms(*within, true) : options_.default_within.count());
  }

  void run(const Step& s, const ExpectStep& b, int) {
    // An expect that allows more than the default waits for a timer, not for a reply.
    if (b.within && (b.within->scaled || b.within->spec > options_.default_within)) forget_round_trips();
    const std::string name = name_of(b.on);
    Conn& c = conn(s, name);
    const long long until = deadline(b.within);
    const long long within = until - transport_.now_ms();
    for (const auto& p : b.frames) {
      const json& pattern = p.value;
      const std::string shown = shown_pattern(pattern);
      switch (next(name, c, until)) {
        case Next::timeout:
          fail(s, "no frame arrived on '" + name + "' within " + std::to_string(within) + "ms", shown, "nothing");
        case Next::closed:
          if (b.or_close && !c.undecodable) {
            note(name, TranscriptEntry::Kind::note, "closed instead of " + shown + ": allowed (or_close)");
            return;
          }
          fail(s, "expected a frame on '" + name + "' but got " + closed_text(c), shown, closed_text(c));
        case Next::frame:
          break;
      }
      json frame = std::move(c.frames.front());
      c.frames.pop_front();
      MatchResult m = match(pattern, frame, vars_, options_.wording);
      if (!m.ok) fail(s, "the frame on '" + name + "' does not match: " + m.why, shown, dialect_.describe(frame));
      for (auto& [k, v] : m.captures) vars_[k] = v;
    }
  }

  [[noreturn]] void unquiet(const Step& s, const std::string& name, const std::string& why) {
    fail(s, "expected nothing more on '" + name + "' but " + why, "nothing", why);
  }

  void quiet(const Step& s, const QuietStep& b, const std::string& name, std::optional<long long>& silence_until) {
    Conn& c = conn(s, name);
    auto stray = [&](const std::string& why) { unquiet(s, name, why); };
    if (!c.frames.empty()) stray("a frame arrived: " + dialect_.describe(c.frames.front()));
    if (c.closed || c.undecodable) stray("got " + closed_text(c));
    if (transport_.exact_quiet()) {
      // In-process the server has answered everything already: what is not here will not come.
      if (next(name, c, transport_.now_ms()) == Next::frame)
        stray("a frame arrived: " + dialect_.describe(c.frames.front()));
      if (c.closed || c.undecodable) stray("got " + closed_text(c));
      return;
    }
    std::string why_silence;
    if (auto probe = barrier_probe(c, why_silence)) return probe_quiet(s, name, c, *probe);
    // One window for all the connections of a step: they were all waited on while it ran.
    if (!silence_until) {
      auto [window, explained] = options_.barriers->silence_window(scenario_.protocol);
      if (b.within && wait_ms(*b.within, false) < window.count()) {
        window = Millis{wait_ms(*b.within, false)};
        explained = std::to_string(window.count()) + "ms (the step's within)";
      }
      silence_until = transport_.now_ms() + window.count();
      note(name, TranscriptEntry::Kind::note, "quiet: silence window " + explained + "; " + why_silence);
    }
    if (next(name, c, *silence_until) == Next::frame) stray("a frame arrived: " + dialect_.describe(c.frames.front()));
    if (c.closed || c.undecodable) stray("got " + closed_text(c));
  }

  // The probe for `c` now, or why the barrier is silence instead.
  std::optional<BarrierProbe> barrier_probe(Conn& c, std::string& why_silence) {
    if (scenario_.role == "server")
      why_silence = "a client under test owes no reply to a probe";
    else if (options_.barrier == BarrierMode::silence)
      why_silence = "barrier: silence";
    else if (has_tag("heartbeat"))
      why_silence = "a probe would count as client activity, which this heartbeat scenario times";
    else if (c.silence)
      why_silence = "this connection's probe did not fit the target";
    else if (options_.barriers->probes_disabled(scenario_.protocol))
      why_silence = "probes switched off for this run (see the run's notes)";
    else if (c.barrier->pending())
      why_silence = "the probe depends on replies still to come";
    else if (auto probe = c.barrier->probe())
      return probe;
    else
      why_silence = "the spec has no harmless probe in this connection's state";
    return std::nullopt;
  }

  // Sends the probe and reads its reply. A probe that goes unanswered, is answered by a close or
  // by something else switches the connection (and the protocol, for the rest of the run) to
  // silence; a failure after such a probe is rerun with silence (run_scenario).
  void probe_quiet(const Step& s, const std::string& name, Conn& c, const BarrierProbe& probe) {
    auto stray = [&](const std::string& why) { unquiet(s, name, why); };
    const std::string shown = escape_bytes(probe.bytes);
    note(name, TranscriptEntry::Kind::sent, shown + " (barrier probe)");
    wire(name, reports::WireChunk::Dir::to_server, probe.bytes);
    if (auto err = transport_.write(name, probe.bytes); !err.empty())
      stray("the barrier probe could not be written: " + err);
    const long long sent = transport_.now_ms();
    const long long until = sent + options_.default_within.count();
    switch (next(name, c, until)) {
      case Next::timeout:
        // Nothing at all arrived for longer than any silence window: quiet holds.
        c.late_probe_replies.push_back(probe.reply_pattern);
        probe_misfit(name, c,
                     "the barrier probe " + shown + " got no reply within " +
                         std::to_string(options_.default_within.count()) + "ms");
        return;
      case Next::closed:
        probe_misfit(name, c, "the barrier probe " + shown + " drew " + closed_text(c));
        unquiet(s, name, "got " + closed_text(c) + " after the barrier probe");
      case Next::frame:
        break;
    }
    json frame = std::move(c.frames.front());
    c.frames.pop_front();
    if (match(probe.reply_pattern, frame, vars_, options_.wording).ok) {
      options_.barriers->observe_round_trip(scenario_.protocol, Millis{transport_.now_ms() - sent});
      return;
    }
    // A stray frame, or the probe's own reply out of the spec's answers: if the right reply
    // follows, the frame was the server's (a real failure); if not, the probe did not fit.
    const bool answered =
        next(name, c, until) == Next::frame && match(probe.reply_pattern, c.frames.front(), vars_, options_.wording).ok;
    if (answered)
      c.frames.pop_front();
    else
      probe_misfit(name, c,
                   "the barrier probe " + shown + " drew " + dialect_.describe(frame) + ", not the spec's answer " +
                       probe.reply_pattern.dump());
    stray("a frame arrived: " + dialect_.describe(frame));
  }

  void probe_misfit(const std::string& name, Conn& c, const std::string& why) {
    c.silence = true;
    if (!probe_trouble_) probe_trouble_ = why + " (on '" + name + "')";
    const bool first = options_.barriers->disable_probes(scenario_.protocol,
                                                         why + " (" + scenario_.id + ", connection '" + name + "')");
    note(name, TranscriptEntry::Kind::note,
         why + ": silence windows " +
             (first ? "from now on, for this protocol for the rest of the run" : "on this connection from now on"));
  }

  void run(const Step& s, const ExpectCloseStep& b, int) {
    const std::string name = name_of(b.on);
    Conn& c = conn(s, name);
    if (b.after_any) return close_after_anything(s, b, name, c);
    switch (next(name, c, deadline(b.within))) {
      case Next::frame:
        fail(s, "expected '" + name + "' to be closed, but a frame arrived first", "close",
             dialect_.describe(c.frames.front()));
      case Next::timeout:
        fail(s, "the server did not close '" + name + "' in time", "close", "connection still open");
      case Next::closed:
        if (c.undecodable) fail(s, "expected a clean close of '" + name + "'", "close", closed_text(c));
        break;
    }
  }

  // expect_close with after_any: frames, and bytes that do not decode, may come first.
  void close_after_anything(const Step& s, const ExpectCloseStep& b, const std::string& name, Conn& c) {
    const long long until = deadline(b.within);
    while (!c.closed) {
      if (!c.frames.empty()) {
        note(name, TranscriptEntry::Kind::note,
             "before the close: " + dialect_.describe(c.frames.front()) + " (allowed: after_any)");
        c.frames.pop_front();
        continue;
      }
      if (!c.undecodable) {
        if (next(name, c, until) == Next::timeout)
          fail(s, "the server did not close '" + name + "' in time", "close", "connection still open");
        continue;
      }
      // Past bytes that do not decode the codec cannot follow the stream: only the close counts.
      const long long left = until - transport_.now_ms();
      if (left <= 0) fail(s, "the server did not close '" + name + "' in time", "close", "connection still open");
      ReadResult r = transport_.read(name, Millis{left});
      if (r.kind == ReadResult::Kind::closed)
        take(name, c, std::move(r));
      else if (r.kind != ReadResult::Kind::timeout)
        wire(name, reports::WireChunk::Dir::to_client, r.bytes);
    }
  }

  const Scenario& scenario_;
  const Suite& suite_;
  Transport& transport_;
  const RunOptions& options_;
  ScenarioResult& result_;
  const Dialect& dialect_;
  Vars vars_;
  std::map<std::string, Conn> conns_;
  std::optional<std::string> probe_trouble_;
  std::set<std::string> heartbeats_taken_;  // connection names given to `take_heartbeats`
  std::vector<std::string> includes_;       // the include steps the current step is inside, outermost first
};

}  // namespace

namespace {
std::optional<std::string> attempt(const Scenario& scenario, const Suite& suite, Target& target,
                                   const RunOptions& options, ScenarioResult& r);
}  // namespace

ScenarioResult run_scenario(const Scenario& scenario, const Suite& suite, Target& target, const RunOptions& options) {
  ScenarioResult r;
  r.id = scenario.id;
  r.protocol = scenario.protocol;
  r.spec = scenario.spec;
  r.requirement = scenario.requirement;
  r.level = scenario.level;
  r.file = scenario.at.file;
  r.line = scenario.at.line;
  for (const auto& tag : scenario.tags) {
    if (std::find(options.skip_tags.begin(), options.skip_tags.end(), tag) != options.skip_tags.end()) {
      r.status = Status::skip;
      r.message = "tagged '" + tag + "', skipped by --skip-tag";
      return r;
    }
  }
  const bool needs_fresh = std::find(scenario.tags.begin(), scenario.tags.end(), "fresh-server") != scenario.tags.end();
  if (needs_fresh && !target.isolated()) {
    r.status = Status::skip;
    r.message = "needs a fresh server (tagged fresh-server)";
    return r;
  }
  for (const auto& channel : channels_opened(scenario, suite)) {
    if (target.has_channel(channel) == false) {
      r.status = Status::skip;
      r.message = "the target has no '" + channel + "' channel";
      return r;
    }
  }
  if (options.capabilities) {
    for (const auto& feature : scenario.requires_features) {
      const auto& caps = *options.capabilities;
      if (std::find(caps.begin(), caps.end(), feature) == caps.end()) {
        r.status = Status::skip;
        r.message = "needs the optional feature '" + feature + "', which the target's profile does not declare";
        return r;
      }
    }
  }
  if (options.events) options.events->scenario_started(scenario.id);
  const auto start = std::chrono::steady_clock::now();
  const ScenarioResult before = r;
  const auto trouble = attempt(scenario, suite, target, options, r);
  if (trouble && (r.status == Status::fail || r.status == Status::error)) {
    // The harness's probe may have caused this failure; the protocol now uses silence (the
    // run's BarrierBook), so a second attempt tells the server's failures from the probe's.
    const std::string first = r.message;
    r = before;
    attempt(scenario, suite, target, options, r);
    r.notes.push_back(
        *trouble + ". That is a harness problem, not the server's: the scenario was run again with silence windows. " +
        "The first attempt said: " + first);
  } else if (trouble) {
    r.notes.push_back(*trouble + "; the connection used silence windows after it");
  }
  r.duration_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return r;
}

namespace {

// One run of a scenario into `r`; why a barrier probe did not fit, if one did not.
std::optional<std::string> attempt(const Scenario& scenario, const Suite& suite, Target& target,
                                   const RunOptions& options, ScenarioResult& r) {
  std::optional<std::string> trouble;
  std::unique_ptr<Transport> transport;
  try {
    transport = target.connect(scenario.protocol);
    ScenarioRun run(scenario, suite, *transport, options, r);
    try {
      run.run();
      r.status = Status::pass;
    } catch (const StepFailure& f) {
      r.status = Status::fail;
      r.message = f.message;
      r.expected = f.expected;
      r.actual = f.actual;
      r.failed_at = f.at;
      r.failed_via = f.via;
      r.failed_why = f.why;
    }
    trouble = run.probe_trouble();
    run.close_all();
  } catch (const StepFailure& f) {
    r.status = Status::fail;
    r.message = f.message;
  } catch (const ScenarioError& e) {
    r.status = Status::error;
    r.message = std::string("scenario error: ") + e.what();
  } catch (const PatternError& e) {
    r.status = Status::error;
    r.message = std::string("pattern error: ") + e.what();
  } catch (const TargetError& e) {
    r.status = Status::error;
    r.message = std::string("target error: ") + e.what();
  } catch (const std::exception& e) {
    r.status = Status::error;
    r.message = std::string("internal error: ") + e.what();
  }
  if (transport) {
    if (auto crash = transport->crashed()) {
      r.status = Status::fail;
      r.message = "target crashed: " + *crash + (r.message.empty() ? "" : "\n(the scenario said: " + r.message + ")");
      trouble.reset();  // a crash is the server's, whatever the probe
    }
  }
  return trouble;
}

}  // namespace

std::vector<ScenarioResult> run_scenarios(const std::vector<const Scenario*>& scenarios, const Suite& suite,
                                          Target& target, const RunOptions& options) {
  std::vector<ScenarioResult> results(scenarios.size());
  // Work items, each a list of scenarios run in order by one thread. A shared server lets
  // scenarios run in parallel only where the protocol keeps them apart (no frame goes to every
  // logged-in user); a protocol that broadcasts gets one item holding all its scenarios.
  const int jobs = std::max(1, options.jobs);
  const std::function<void(const std::string&)> say =
      options.on_notice ? options.on_notice
                        : [](const std::string& text) { std::cerr << "relaycheck: " << text << '\n'; };
  std::vector<std::vector<std::size_t>> items;
  std::map<std::string, std::size_t> serial_item;  // protocol -> its item
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const std::string& protocol = scenarios[i]->protocol;
    const Dialect* dialect = find_dialect(protocol);
    if (target.isolated() || jobs == 1 || (dialect && !dialect->broadcasts_to_all_users())) {
      items.push_back({i});
      continue;
    }
    auto [it, added] = serial_item.emplace(protocol, items.size());
    if (added) {
      items.push_back({});
      say(protocol + ": one scenario at a time against a shared server: its broadcasts reach every logged-in user");
    }
    items[it->second].push_back(i);
  }
  if (!target.isolated() && jobs > 1) {
    std::set<std::string> parallel;
    for (const auto* s : scenarios)
      if (!serial_item.count(s->protocol)) parallel.insert(s->protocol);
    for (const auto& protocol : parallel) {
      say(protocol + ": up to " + std::to_string(jobs) +
          " scenarios at a time against a shared server: its frames reach only the rooms and users a scenario names");
    }
  }
  // The long serial items first, so the parallel ones fill the other threads around them.
  std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });

  std::atomic<std::size_t> next{0};
  std::size_t done = 0;
  std::mutex report_mutex;
  auto worker = [&] {
    for (std::size_t k = next++; k < items.size(); k = next++) {
      for (std::size_t i : items[k]) {
        results[i] = run_scenario(*scenarios[i], suite, target, options);
        if (options.events) options.events->verdict(results[i]);
        std::lock_guard<std::mutex> lock(report_mutex);
        ++done;
        if (options.on_result) options.on_result(results[i], done, scenarios.size());
      }
    }
  };
  std::vector<std::thread> threads;
  for (int j = 1; j < std::min<int>(jobs, static_cast<int>(items.size())); ++j) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  return results;
}

}  // namespace relaycheck::harness
