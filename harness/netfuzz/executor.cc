#include "harness/netfuzz/executor.h"

#include <algorithm>
#include <deque>

#include "harness/match.h"

namespace relaycheck::harness::netfuzz {

using Clock = std::chrono::steady_clock;
using Read = transport::Connection::Read::Kind;

const char* to_string(FindingKind k) {
  switch (k) {
    case FindingKind::crash:
      return "crash";
    case FindingKind::hang:
      return "hang";
    case FindingKind::violation:
      return "violation";
    case FindingKind::sanitizer:
      return "sanitizer";
    case FindingKind::deviation:
      return "deviation";
  }
  return "?";
}

namespace {
// The silence window that stands in for a probe: 3 x the p90 round trip, 2 ms to 100 ms (10 ms
// until measured). Short: a window too short costs only which case a late reply is counted for.
constexpr SilenceWindow::Limits kSilenceLimits{Millis{2}, Millis{100}, Millis{10}, 3};
// How long the first connection may take to close after our end-of-file (see waits_for_close_).
// Generous: the decision holds for the whole run, and a wrong "does not close" on a loaded
// machine would let every later session start while the last one's names are still taken.
constexpr Millis kCloseWait{1000};

// The writes one after another (a chopped write's pieces each alone).
bool write_each(transport::Connection& socket, const Writes& w) {
  std::string_view rest = w.bytes;
  std::size_t at = 0;
  for (std::size_t start : w.starts) {
    if (!socket.write(rest.substr(0, start - at)).empty()) return false;
    rest.remove_prefix(start - at);
    at = start;
  }
  return socket.write(rest).empty();
}

// The replies read on connection `conn` so far (those matching `pattern`, when given).
std::size_t replies_on(const Outcome& out, int conn, const json* pattern = nullptr) {
  return static_cast<std::size_t>(std::count_if(out.replies.begin(), out.replies.end(), [&](const Outcome::Reply& r) {
    return r.conn == conn && (!pattern || match(*pattern, r.frame, {}).ok);
  }));
}
}  // namespace

struct Executor::Conn {
  int index = 0;
  transport::Connection socket;
  std::unique_ptr<FrameDecoder> replies;             // what the server sent
  std::unique_ptr<FrameDecoder> sent;                // what we sent, to know whether we are inside a frame
  std::unique_ptr<BarrierTracker> probes;            // which probe fits the connection's state
  std::deque<std::pair<std::size_t, json>> decoded;  // frames sent, with the send that ends them, not yet told `probes`
  bool sent_broken = false;                          // what we sent does not decode: the server sees garbage
  bool open = false;
  bool silent = false;  // a probe went unanswered here: silence windows from now on

  // A probe is only answered when the server is between frames.
  void record_sent(const std::string& bytes, std::size_t index) {
    sent->feed(bytes);
    for (auto item = sent->next(); !std::holds_alternative<std::monostate>(item); item = sent->next()) {
      if (std::holds_alternative<Undecodable>(item)) {
        sent_broken = true;
        break;
      }
      decoded.emplace_back(index, std::move(std::get<json>(item)));
    }
  }
  // A fresh check connection tracks nothing it sent (only whole probes): always between frames.
  bool between_frames() const { return !sent || (!sent_broken && sent->pending_bytes() == 0); }
  // The probe tracker learns of the frames as their writes go out (sends before `end`), not when
  // record_sent looked ahead at the rest of the run.
  void writing_until(std::size_t end) {
    for (; !decoded.empty() && decoded.front().first < end; decoded.pop_front())
      probes->on_sent(decoded.front().second);
  }
};

Executor::Executor(FuzzTarget& target, const Dialect& dialect, const ProtocolHints& hints, BarrierMode mode)
    : target_(target),
      dialect_(dialect),
      hints_(hints),
      barrier_(dialect.barrier_tracker()->probe()),
      mode_(mode),
      book_(kSilenceLimits) {}

std::string Executor::kind_of(const BarrierProbe& probe) const {
  return dialect_.protocol() + " probe answered by " +
         probe.reply_pattern.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<BarrierProbe> Executor::fitting(const std::optional<BarrierProbe>& probe) const {
  if (!probe || mode_ == BarrierMode::silence || book_.probes_disabled(kind_of(*probe))) return std::nullopt;
  return probe;
}

void Executor::misfit(const BarrierProbe& probe, const std::string& why) {
  if (book_.disable_probes(kind_of(probe), why)) ++switches_;
}

void Executor::observe_round_trip(std::chrono::microseconds rtt) {
  if (!timeout_.observe(rtt) || !timeout_.p90()) return;
  // Whole milliseconds, rounded up: a 0.3 ms loopback round trip counts as 1 ms.
  book_.observe_round_trip(dialect_.protocol(), Millis{(timeout_.p90()->count() + 999) / 1000});
}

bool Executor::drain(Conn& conn, Outcome& out, bool& violation, const json* reply, bool settling,
                     std::size_t* answers) {
  bool barrier_seen = false;
  while (true) {
    auto item = conn.replies->next();
    if (auto* f = std::get_if<json>(&item)) {
      // A heartbeat is answered as a conforming client would, and kept out of the state map (its
      // timing is the server's clock, not the case). Never inside a frame: that would change the case.
      if (auto answer = dialect_.heartbeat_answer(*f)) {
        if (conn.between_frames()) answer_heartbeat(conn, *answer);
        continue;
      }
      out.reply_kinds.push_back(std::to_string(conn.index) + ":" + hints_.kind_of(*f));
      out.replies.push_back({conn.index, out.segments.size(), *f});
      if (conn.probes) conn.probes->on_received(*f);
      // Stop at the barrier's reply (or, settling, at the reply that settled the probe): what
      // follows stays in the decoder for the next read, so where a segment's replies end does
      // not depend on how the bytes happened to be split into reads.
      if (reply && match(*reply, *f, {}).ok && (!answers || --*answers == 0)) return true;
      if (settling && !conn.probes->pending()) return false;
    } else if (auto* u = std::get_if<Undecodable>(&item)) {
      violation = true;
      out.detail = "connection c" + std::to_string(conn.index) + ": a reply that does not decode: " + u->reason;
      return barrier_seen;
    } else {
      return barrier_seen;
    }
  }
}

void Executor::answer_heartbeat(Conn& conn, const HeartbeatAnswer& answer) {
  try {
    const std::string bytes = dialect_.encode(answer.frame);
    if (conn.socket.write(bytes).empty()) ++heartbeats_answered_;
  } catch (const DialectError&) {
    // A protocol whose answer needs a per-connection codec is not answered here.
  }
}

Executor::Fresh Executor::check_fresh_connection(std::string& why) {
  Conn fresh;
  fresh.replies = dialect_.decoder();
  if (auto err = fresh.socket.connect(target_.host(), target_.port(), Millis{2000}); !err.empty()) {
    why = "a fresh connection was refused: " + err;
    return Fresh::refused;
  }
  const auto probe = fitting(barrier_);
  if (!probe) return Fresh::answered;  // accepted: all that silence can tell
  const std::string kind = kind_of(*probe);
  const bool known_good = answered_kinds_.count(kind) > 0;
  if (!fresh.socket.write(probe->bytes).empty()) {
    if (auto death = target_.death(Millis{300})) {
      why = "the target died: " + *death;
      return Fresh::refused;
    }
    why = "a fresh connection was closed before its probe";
    if (known_good) return Fresh::answered;  // it serves, and closes for reasons of its own
    misfit(*probe, "the server closed a fresh connection before its probe");
    return Fresh::misfit;
  }
  const Millis patience = hang_patience_.value_or(timeout_.ceiling());
  auto deadline = Clock::now() + patience;
  bool shortened = false;
  std::string bytes;
  Outcome seen;
  while (true) {
    const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now());
    bytes.clear();
    const auto r = left.count() > 0 ? fresh.socket.read_some(bytes, left).kind : Read::timeout;
    if (r == Read::closed) {
      // A dying target drops its connections too: that is no verdict on the probe.
      if (auto death = target_.death(Millis{300})) {
        why = "the target died: " + *death;
        return Fresh::refused;
      }
      why = "the server closed a fresh connection on its probe";
      // A kind it answered before: it may close for reasons of its own (a client limit); it serves.
      if (known_good) return Fresh::answered;
      misfit(*probe, why + (seen.reply_kinds.empty() ? "" : " after " + seen.reply_kinds.front().substr(2)));
      return Fresh::misfit;
    }
    if (r == Read::timeout) {
      if (Clock::now() < deadline) continue;
      if (auto death = target_.death(Millis{300})) {
        why = "the target died: " + *death;
        return Fresh::refused;
      }
      // A kind it answered before, unanswered now: whatever else came (a greeting sent on
      // accept), the target no longer serves.
      if (known_good) {
        why = "nor did a fresh connection's probe within " + std::to_string(patience.count()) + "ms";
        return Fresh::silent;
      }
      why = seen.reply_kinds.empty()
                ? "a fresh connection's probe, never answered this run, got no reply within " +
                      std::to_string(patience.count()) + "ms"
                : "a fresh connection's probe got no answer within " + std::to_string(patience.count()) + "ms (only " +
                      seen.reply_kinds.front().substr(2) + " came)";
      misfit(*probe, why);
      return Fresh::misfit;
    }
    fresh.replies->feed(bytes);
    bool violation = false;
    if (drain(fresh, seen, violation, &probe->reply_pattern)) {
      answered_kinds_.insert(kind);
      return Fresh::answered;
    }
    if (violation) {
      why = "a fresh connection's probe drew " + seen.detail;
      misfit(*probe, why);
      return Fresh::misfit;
    }
    // Another reply came to a probe never answered yet: the answer, if any, follows it at
    // once; do not wait the whole patience (a known-good kind gets it: a hang is judged on it).
    if (!known_good && !seen.reply_kinds.empty() && !shortened) {
      shortened = true;
      deadline = std::min(deadline, Clock::now() + timeout_.limit());
    }
  }
}

Executor::Wait Executor::read_until_barrier(Conn& conn, Outcome& out, const BarrierProbe* probe) {
  const json* reply = probe ? &probe->reply_pattern : nullptr;
  const auto start = Clock::now();
  const Millis limit = probe_patience();
  auto deadline = start + limit;
  // With a pacer, as many answers as the reference has had there beyond those read already: the
  // first is awaited as a probe's, the rest (drawn by the case) a while longer, then let go.
  std::size_t answers = 1;
  if (pacer_ && reply) {
    const std::size_t due = pacer_->matching(conn.index, *reply), read = replies_on(out, conn.index, reply);
    if (due > read) answers = due - read;
  }
  const std::size_t awaited = answers;
  std::string bytes;
  for (bool first = true;; first = false) {
    // Replies left in the decoder by the last segment come first (nothing is read the first time).
    const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now());
    bytes.clear();
    const auto r = first ? Read::data : conn.socket.read_some(bytes, std::max(left, Millis{0})).kind;
    if (r == Read::closed) return Wait::closed;
    if (r == Read::timeout) {
      if (Clock::now() < deadline) continue;
      if (answers < awaited) return Wait::synced;  // answered; the target drew fewer such replies
      // Past the adaptive limit. Is the target still serving? A fresh connection tells (and
      // whether the fresh probe fits it at all).
      std::string why;
      const Fresh fresh = check_fresh_connection(why);
      const std::string what = "connection c" + std::to_string(conn.index) +
                               (reply ? ": the barrier probe" : ": its writes") + " got no reply within " +
                               std::to_string(limit.count()) + "ms";
      if (fresh == Fresh::refused) {
        out.detail = what + "; " + why;
        return Wait::dead;
      }
      if (fresh == Fresh::silent) {
        out.detail = what + ", " + why;
        return Wait::hang;
      }
      // The target serves. A kind never answered this run does not fit it: silence from now on,
      // on every connection. One answered before: only this connection is wedged (or changed).
      if (probe && !answered_kinds_.count(kind_of(*probe)))
        misfit(*probe, "unanswered within " + std::to_string(limit.count()) +
                           "ms on a connection whose writes were complete, " +
                           (fresh == Fresh::answered ? "while the target served a fresh connection" : why));
      return Wait::unanswered;
    }
    conn.replies->feed(bytes);
    bool violation = false;
    const std::size_t before = answers;
    const bool seen = drain(conn, out, violation, reply, !reply, &answers);
    if (violation) return Wait::violation;
    if (!reply && !conn.probes->pending()) return Wait::synced;
    if (before == awaited && answers < awaited) {  // the first answer
      answered_kinds_.insert(kind_of(*probe));
      observe_round_trip(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start));
      deadline = std::min(deadline, Clock::now() + std::min(limit, 10 * silence_window()));
    }
    if (seen) return Wait::synced;
  }
}

// `written`: when the writes it follows went out (their first reply is a round trip sample).
Executor::Wait Executor::read_quiet_window(Conn& conn, Outcome& out, Millis window, Clock::time_point written) {
  std::string bytes;
  for (bool first = true;; first = false) {
    bytes.clear();
    const auto r = conn.socket.read_some(bytes, window).kind;
    if (r == Read::closed) return Wait::closed;
    if (r == Read::timeout) return Wait::synced;
    if (first && written != Clock::time_point{})
      observe_round_trip(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - written));
    conn.replies->feed(bytes);
    bool violation = false;
    drain(conn, out, violation, nullptr);
    if (violation) return Wait::violation;
  }
}

Executor::Wait Executor::read_to_count(Conn& conn, Outcome& out, const ExpectedReplies& want,
                                       const BarrierProbe* probe) {
  bool violation = false;
  drain(conn, out, violation, nullptr);  // what the last probe's read left in the decoder first
  std::string bytes;
  while (!violation && replies_on(out, conn.index) < want.frames) {
    const bool owed = probe && replies_on(out, conn.index, &probe->reply_pattern) < want.probe_like;
    bytes.clear();
    const auto r = conn.socket.read_some(bytes, owed ? probe_patience() : silence_window()).kind;
    if (r == Read::closed) return Wait::closed;
    if (r == Read::timeout) return Wait::synced;
    conn.replies->feed(bytes);
    drain(conn, out, violation, nullptr);
  }
  return violation ? Wait::violation : Wait::synced;
}

Outcome Executor::run(const FuzzCase& c, ReplyPacer* pacer) {
  pacer_ = pacer;
  Outcome out = run_case(c);
  pacer_ = nullptr;
  return out;
}

Outcome Executor::run_case(const FuzzCase& c) {
  Outcome out;
  std::vector<Conn> conns(static_cast<std::size_t>(c.conns));
  auto crashed = [&](const std::string& context) {
    // A spawned target's exit is a cheap check; death() also looks for its listener in /proc,
    // which costs milliseconds with many sockets about: only when a fresh connection fails. An
    // address's death() is one connect.
    auto death = target_.spawned() ? target_.exited() : target_.death(Millis{300});
    // A dying server may still take a connection for a moment: it must also answer on it (a
    // probe that fits; one that does not is switched off there, and the target is alive).
    if (!death) {
      std::string why;
      const Fresh fresh = check_fresh_connection(why);
      if (fresh == Fresh::silent || fresh == Fresh::refused) {
        death = target_.death(Millis{1000});
        if (!death && fresh == Fresh::silent) {
          out.finding = FindingKind::hang;
          out.detail = context + ": the target accepts connections but answers no probe (" + why + ")";
          return true;
        }
      }
    }
    if (!death) return false;
    // A sanitizer's report is longer than the stderr tail `death` quotes: look at all of it.
    const auto report = target_.sanitizer_report();
    out.finding = report || has_sanitizer_report(*death) ? FindingKind::sanitizer : FindingKind::crash;
    out.detail = context + ": " + (report ? *report + "\n" : "") + *death;
    return true;
  };
  for (int i = 0; i < c.conns; ++i) {
    Conn& conn = conns[static_cast<std::size_t>(i)];
    conn.index = i;
    conn.replies = dialect_.decoder();
    conn.sent = dialect_.decoder();
    conn.probes = dialect_.barrier_tracker();
    auto err = conn.socket.connect(target_.host(), target_.port(), Millis{2000});
    if (!err.empty()) {
      if (!crashed("connecting c" + std::to_string(i))) {
        out.finding = FindingKind::crash;
        out.detail = "connecting c" + std::to_string(i) + ": " + err;
      }
      return out;
    }
    conn.open = true;
  }
  // Writes `bytes` (and a probe when the server will be between frames), then waits for the
  // answer. Returns how the segment ended; sets out.finding on a finding.
  auto exchange = [&](Conn& conn, Writes writes, bool between_frames, std::optional<BarrierProbe>& probe) {
    std::string& bytes = writes.bytes;
    const bool probed = between_frames && !conn.silent;
    // Replies still to come may decide which probe fits (a LOGIN's answer): then the writes go
    // first, their replies are read, and the probe follows.
    const bool settle = probed && conn.probes->pending();
    probe.reset();
    if (probed && !settle) probe = fitting(conn.probes->probe());
    if (probe) bytes += probe->bytes;  // one write: the target answers them in one go
    if (probe && pacer_) pacer_->wrote(conn.index, probe->bytes, out.segments.size());
    Wait w = Wait::closed;
    const auto written = Clock::now();
    // Inside a frame nothing is due yet: go on, the next probe on this connection reads it all
    // (reading only part now would make what each case saw depend on timing).
    if (write_each(conn.socket, writes)) {
      w = Wait::synced;
      if (settle) {
        w = read_until_barrier(conn, out, nullptr);
        if (w == Wait::synced && (probe = fitting(conn.probes->probe()))) {
          if (pacer_) pacer_->wrote(conn.index, probe->bytes, out.segments.size());
          if (!conn.socket.write(probe->bytes).empty()) w = Wait::closed;
        }
      }
      if (w == Wait::synced) {
        if (probe)
          w = read_until_barrier(conn, out, &*probe);
        else if (between_frames)
          w = read_quiet_window(conn, out, silence_window(), written);  // no probe fits: silence
      }
    } else if (!writes.starts.empty()) {
      // A later piece of a chopped write found the connection closed: the server closed it on
      // an earlier piece, whose replies are still to be read, as they would be had the write
      // got through (so what the case saw does not depend on that race).
      w = read_quiet_window(conn, out, timeout_.limit());
      if (w == Wait::synced) w = Wait::closed;
    }
    switch (w) {
      case Wait::synced:
        if (probe) return Segment::End::answered;
        return between_frames ? Segment::End::silence : Segment::End::unprobed;
      case Wait::closed:
        conn.open = false;
        // A server may close a connection on purpose (the spec may allow it): not a hang; only
        // a dead or refusing target is a crash.
        crashed("after the server closed c" + std::to_string(conn.index));
        return Segment::End::closed;
      case Wait::unanswered:
        conn.silent = true;
        return Segment::End::unanswered;
      case Wait::dead:
        if (!crashed(out.detail)) {
          conn.silent = true;  // it serves again: a refusal for a moment
          out.detail.clear();
          return Segment::End::unanswered;
        }
        break;
      case Wait::hang:
        out.finding = FindingKind::hang;
        break;
      case Wait::violation:
        out.finding = FindingKind::violation;
        break;
    }
    conn.open = false;
    return Segment::End::closed;
  };
  for (std::size_t i = 0; i < c.sends.size() && !out.finding;) {
    Segment seg;
    seg.conn = c.sends[i].conn;
    seg.begin = seg.end = i;
    seg.how = Segment::End::closed;
    Conn& conn = conns[static_cast<std::size_t>(seg.conn)];
    // The run of writes on this connection, cut after its last write that ends between frames:
    // what is complete is probed, so all its consequences land in this segment whatever the
    // timing; the unfinished rest follows unprobed.
    std::size_t run_end = i, cut = i;
    for (; run_end < c.sends.size() && c.sends[run_end].conn == seg.conn; ++run_end) {
      if (!conn.open) continue;
      conn.record_sent(c.sends[run_end].bytes, run_end);
      if (conn.between_frames()) cut = run_end + 1;
    }
    std::vector<std::size_t> ends;
    if (cut > i && cut < run_end) ends.push_back(cut);
    ends.push_back(run_end);
    for (std::size_t end : ends) {
      seg.begin = i;
      seg.end = end;
      Writes writes = writes_of(c.sends, i, end);
      i = end;
      seg.kinds_begin = out.reply_kinds.size();
      seg.how = Segment::End::closed;
      // The reference gets each send (as run_reference does: what drew each reply), whether or
      // not the target took it; the probe follows in exchange().
      if (pacer_)
        for (std::size_t s = seg.begin; s < seg.end; ++s)
          pacer_->wrote(seg.conn, c.sends[s].bytes, out.segments.size());
      if (conn.open) {
        out.frames_sent += seg.end - seg.begin;
        conn.writing_until(seg.end);
        seg.how = exchange(conn, std::move(writes), /*between_frames=*/end == cut, seg.probe);
      }
      seg.kinds_end = out.reply_kinds.size();
      out.segments.push_back(seg);
      if (pacer_) pacer_->barrier(out.segments.size() - 1);
      if (out.finding) break;
    }
  }
  // A target that closes connections on end-of-file and now leaves one open may have stopped
  // serving (the last writes ended inside a frame, so no probe saw it): a fresh connection tells.
  auto closes_on_eof = [&] { return close_decided_ && waits_for_close_; };
  auto stalled = [&](const std::string& context) {
    std::string why;
    const Fresh fresh = check_fresh_connection(why);
    if (fresh == Fresh::refused && !crashed(context)) return;
    if (fresh != Fresh::silent) return;
    out.finding = FindingKind::hang;
    out.detail = context + ", and a fresh connection's probe that was answered before got no reply (" + why + ")";
  };
  // Every connection still open must still answer: this catches what the last writes did.
  for (auto& conn : conns) {
    if (out.finding || !conn.open) continue;
    if (conn.between_frames()) {
      std::optional<BarrierProbe> probe;
      // A last probe reaches the reference only once the target answered it (as run_reference
      // has it); the read at the end (pacer_->expected) reads on to the reference's count.
      ReplyPacer* pacer = std::exchange(pacer_, nullptr);
      const Segment::End end = exchange(conn, {}, true, probe);
      pacer_ = pacer;
      if (end == Segment::End::answered) {
        out.final_probes.push_back({conn.index, *probe});
        if (pacer_) pacer_->wrote(conn.index, probe->bytes, out.segments.size());
      } else if (end == Segment::End::silence || end == Segment::End::unanswered)
        out.quiet_at_end.push_back(conn.index);
      continue;
    }
    // Inside a frame no probe is answered; end-of-file makes the server act on what it has,
    // and its close shows it did, so whatever the last writes do happens in this case.
    out.half_closed.push_back(conn.index);
    conn.socket.shutdown_write();
    if (pacer_) pacer_->closed(conn.index);
    if (read_quiet_window(conn, out, timeout_.limit()) == Wait::closed)
      crashed("after c" + std::to_string(conn.index) + " ended its writes");
    else if (closes_on_eof())
      stalled("c" + std::to_string(conn.index) + " was not closed within " + std::to_string(timeout_.limit().count()) +
              "ms of its end-of-file");
    conn.open = false;
  }
  if (!out.finding && pacer_) {
    const std::vector<ExpectedReplies> want = pacer_->expected(out);
    out.read_to_expected = true;
    for (auto& conn : conns) {
      const auto i = static_cast<std::size_t>(conn.index);
      if (!conn.open || i >= want.size()) continue;
      const auto final_probe = std::find_if(out.final_probes.begin(), out.final_probes.end(),
                                            [&](const FinalProbe& f) { return f.conn == conn.index; });
      const Wait w =
          read_to_count(conn, out, want[i], final_probe == out.final_probes.end() ? nullptr : &final_probe->probe);
      if (w == Wait::violation) {
        out.finding = FindingKind::violation;
        break;
      }
      if (w == Wait::closed) {
        conn.open = false;
        out.closed_at_end.push_back(conn.index);
        if (crashed("after the server closed c" + std::to_string(conn.index))) break;
      }
    }
  }
  // Leave the way a client does: end-of-file on every connection, then wait for the server to
  // close each, so the next case starts on a server that has let these go (no name still taken).
  if (!out.finding && waits_for_close_) {
    for (auto& conn : conns)
      if (conn.open) conn.socket.shutdown_write();
    Outcome farewells;  // what arrives now depends on which close the server takes first: not state
    for (auto& conn : conns) {
      if (!conn.open) continue;
      // Decided on the first close: a target that keeps connections open after end-of-file is
      // not waited for again; one that closes them is always waited for, however slow.
      const bool closed =
          read_quiet_window(conn, farewells, close_decided_ ? timeout_.limit() : kCloseWait) == Wait::closed;
      if (!closed && closes_on_eof())
        stalled("c" + std::to_string(conn.index) + " was not closed within " +
                std::to_string(timeout_.limit().count()) + "ms of its end-of-file");
      if (!close_decided_) waits_for_close_ = closed;
      close_decided_ = true;
      conn.open = false;
      if (!waits_for_close_ || out.finding) break;
    }
  }
  if (!out.finding && target_.spawned()) {
    if (auto sanitizer = target_.sanitizer_report()) {
      out.finding = FindingKind::sanitizer;
      out.detail = *sanitizer;
    } else if (auto ended = target_.exited()) {
      out.finding = has_sanitizer_report(*ended) ? FindingKind::sanitizer : FindingKind::crash;
      out.detail = "after the case: " + *ended;
    }
  }
  return out;
}

}  // namespace relaycheck::harness::netfuzz
