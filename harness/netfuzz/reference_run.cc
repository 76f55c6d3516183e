#include "harness/netfuzz/reference_run.h"

#include <algorithm>
#include <memory>

#include "harness/match.h"
#include "harness/target.h"
#include "harness/target_impl.h"
#include "proto/registry.h"

namespace relaycheck::harness::netfuzz {

struct ReferenceStepper::Side {
  std::string name;
  std::unique_ptr<FrameDecoder> decoder;
  std::string written;  // since the last write that drew a frame here
};

namespace {

// Reads what the engine has sent on `side` so far (in-process everything is answered at once)
// and files it under `segment`; `write` (1-based, 0 for none): the case's write it answers.
template <class Side>
void collect(Transport& t, const Dialect& dialect, Side& side, ReferenceConn& conn, std::size_t segment,
             std::size_t write = 0) {
  const bool after_write = write > 0;
  if (conn.closed) return;
  const std::size_t before = conn.frames.size();
  while (true) {
    ReadResult r = t.read(side.name, Millis{0});
    if (r.kind == ReadResult::Kind::data) {
      side.decoder->feed(r.bytes);
      continue;
    }
    if (r.kind == ReadResult::Kind::closed) {
      conn.closed = true;
      conn.closed_at = segment;
      if (after_write) conn.closed_by = side.written;
    }
    break;
  }
  for (auto item = side.decoder->next(); !std::holds_alternative<std::monostate>(item); item = side.decoder->next()) {
    if (std::holds_alternative<Undecodable>(item)) {
      conn.undecodable = true;
      return;
    }
    json& f = std::get<json>(item);
    if (dialect.heartbeat_answer(f)) continue;  // the server's clock, not the case (as the executor)
    conn.frames.push_back({std::move(f), segment, after_write ? side.written : std::string(), write});
  }
  if (after_write && conn.frames.size() > before) side.written.clear();
}

}  // namespace

ReferenceStepper::ReferenceStepper(const std::string& protocol, const Dialect& dialect, Millis step)
    : dialect_(dialect), step_(step) {
  const proto::ProtocolInfo* info = proto::find_protocol(protocol);
  if (!info) throw TargetError("the reference server has no protocol '" + protocol + "'");
  transport_ = make_inprocess_transport(info->make_engine(reference_options(protocol, {})));
}

void ReferenceStepper::begin_case(int conns) {
  run_ = ReferenceRun{};
  writes_ = 0;
  run_.conns.resize(static_cast<std::size_t>(conns));
  sides_.clear();
  sides_.resize(static_cast<std::size_t>(conns));
  // The executor connects every connection before the first write, in order. A name is reused
  // case after case: the transport's connection of that name is a new one.
  for (int i = 0; i < conns; ++i) {
    Side& s = sides_[static_cast<std::size_t>(i)];
    s.name = "c" + std::to_string(i);
    s.decoder = dialect_.decoder();
    transport_->open(s.name);
  }
  collect_all(0);  // greetings
}

void ReferenceStepper::end_case() {
  for (Side& s : sides_) transport_->close(s.name);
  sides_.clear();
}

ReferenceStepper::~ReferenceStepper() = default;

void ReferenceStepper::write(int conn, const std::string& bytes, std::size_t segment) {
  const auto ci = static_cast<std::size_t>(conn);
  // A connection the target had closed wrote nothing; the reference gets the writes all the same
  // (its own close, or not, is what is compared) until it closes it itself.
  if (ci >= sides_.size() || run_.conns[ci].closed) return;
  transport_->write(sides_[ci].name, bytes);
  sides_[ci].written += bytes;
  collect(*transport_, dialect_, sides_[ci], run_.conns[ci], segment + 1, ++writes_);
}

void ReferenceStepper::close(int conn) {
  const auto ci = static_cast<std::size_t>(conn);
  if (ci < sides_.size() && !run_.conns[ci].closed) transport_->close(sides_[ci].name);
}

void ReferenceStepper::barrier(std::size_t filed_as) {
  transport_->advance(step_);  // the wire's barrier took time: the engine's timers see some of it
  collect_all(filed_as);
}

void ReferenceStepper::collect_all(std::size_t filed_as) {
  for (std::size_t i = 0; i < sides_.size(); ++i) collect(*transport_, dialect_, sides_[i], run_.conns[i], filed_as);
}

std::size_t ReferenceStepper::matching(int conn, const json& pattern) {
  const auto ci = static_cast<std::size_t>(conn);
  if (ci >= sides_.size()) return 0;
  return static_cast<std::size_t>(
      std::count_if(run_.conns[ci].frames.begin(), run_.conns[ci].frames.end(),
                    [&](const ReferenceFrame& f) { return match(pattern, f.frame, {}).ok; }));
}

ReferenceRun run_reference(const std::string& protocol, const Dialect& dialect, const FuzzCase& c, const Outcome& trace,
                           Millis step) {
  ReferenceStepper ref(protocol, dialect, step);
  ref.begin_case(c.conns);
  for (std::size_t si = 0; si < trace.segments.size(); ++si) {
    const Segment& seg = trace.segments[si];
    for (std::size_t i = seg.begin; i < seg.end && i < c.sends.size(); ++i) ref.write(seg.conn, c.sends[i].bytes, si);
    if (seg.probe && seg.how != Segment::End::unprobed) ref.write(seg.conn, seg.probe->bytes, si);
    ref.barrier(si + 1);
  }
  const std::size_t final_segment = trace.segments.size() + 1;
  // The executor's end, connection by connection in order: a last probe where one fitted, or
  // end-of-file for one left inside a frame (the server may tell the others it left).
  for (int ci = 0; ci < c.conns; ++ci) {
    for (const FinalProbe& f : trace.final_probes)
      if (f.conn == ci) ref.write(ci, f.probe.bytes, final_segment - 1);
    for (int h : trace.half_closed)
      if (h == ci) ref.close(ci);
  }
  ref.collect_all(final_segment);
  return ref.run();
}

ReferencePacer::ReferencePacer(ReferenceStepper& stepper, const FuzzCase& c) : stepper_(stepper) {
  stepper_.begin_case(c.conns);
}

ReferencePacer::~ReferencePacer() { stepper_.end_case(); }

std::vector<ExpectedReplies> ReferencePacer::expected(const Outcome& trace) {
  stepper_.collect_all(trace.segments.size() + 1);  // the final probes' answers
  run_ = stepper_.run();
  return expected_replies(*run_, trace);
}

std::vector<ExpectedReplies> expected_replies(const ReferenceRun& run, const Outcome& trace) {
  std::vector<ExpectedReplies> out(run.conns.size());
  for (std::size_t c = 0; c < run.conns.size(); ++c) out[c].frames = run.conns[c].frames.size();
  for (const FinalProbe& f : trace.final_probes) {
    const auto c = static_cast<std::size_t>(f.conn);
    if (c >= run.conns.size()) continue;
    for (const ReferenceFrame& r : run.conns[c].frames)
      if (match(f.probe.reply_pattern, r.frame, {}).ok) ++out[c].probe_like;
  }
  return out;
}

}  // namespace relaycheck::harness::netfuzz
