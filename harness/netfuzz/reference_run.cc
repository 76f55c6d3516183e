#include "harness/netfuzz/reference_run.h"

#include <memory>

#include "harness/target.h"
#include "harness/target_impl.h"
#include "proto/registry.h"

namespace relaycheck::harness::netfuzz {

namespace {

struct Side {
  std::string name;
  std::unique_ptr<FrameDecoder> decoder;
  std::string written;  // since the last write that drew a frame here
};

// Reads what the engine has sent on `side` so far (in-process everything is answered at once)
// and files it under `segment`; `after_write`: what it read answers the side's own writes.
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

ReferenceRun run_reference(const std::string& protocol, const Dialect& dialect, const FuzzCase& c, const Outcome& trace,
                           Millis step) {
  const proto::ProtocolInfo* info = proto::find_protocol(protocol);
  if (!info) throw TargetError("the reference server has no protocol '" + protocol + "'");
  std::unique_ptr<Transport> t = make_inprocess_transport(info->make_engine(reference_options(protocol, {})));
  ReferenceRun run;
  run.conns.resize(static_cast<std::size_t>(c.conns));
  std::vector<Side> sides(static_cast<std::size_t>(c.conns));
  // The executor connects every connection before the first write, in order.
  for (int i = 0; i < c.conns; ++i) {
    Side& s = sides[static_cast<std::size_t>(i)];
    s.name = "c" + std::to_string(i);
    s.decoder = dialect.decoder();
    t->open(s.name);
  }
  auto collect_all = [&](std::size_t segment) {
    for (std::size_t i = 0; i < sides.size(); ++i) collect(*t, dialect, sides[i], run.conns[i], segment);
  };
  collect_all(0);  // greetings
  std::size_t writes = 0;
  for (std::size_t si = 0; si < trace.segments.size(); ++si) {
    const Segment& seg = trace.segments[si];
    const auto ci = static_cast<std::size_t>(seg.conn);
    if (ci >= sides.size() || run.conns[ci].closed) continue;
    // A segment the target had closed before it wrote nothing; the reference gets the writes
    // all the same (its own close, or not, is what is compared).
    auto write = [&](const std::string& bytes) {
      t->write(sides[ci].name, bytes);
      sides[ci].written += bytes;
      collect(*t, dialect, sides[ci], run.conns[ci], si + 1, ++writes);
    };
    for (std::size_t i = seg.begin; i < seg.end && i < c.sends.size(); ++i) write(c.sends[i].bytes);
    if (seg.probe && seg.how != Segment::End::unprobed) write(seg.probe->bytes);
    // The wire's barrier took time: let the engine's timers see some of it.
    t->advance(step);
    collect_all(si + 1);
  }
  const std::size_t final_segment = trace.segments.size() + 1;
  // The executor's end, connection by connection in order: a last probe where one fitted, or
  // end-of-file for one left inside a frame (the server may tell the others it left).
  for (std::size_t ci = 0; ci < sides.size(); ++ci) {
    if (run.conns[ci].closed) continue;
    for (const FinalProbe& f : trace.final_probes)
      if (static_cast<std::size_t>(f.conn) == ci) t->write(sides[ci].name, f.probe.bytes);
    for (int h : trace.half_closed)
      if (static_cast<std::size_t>(h) == ci) t->close(sides[ci].name);
  }
  collect_all(final_segment);
  return run;
}

}  // namespace relaycheck::harness::netfuzz
