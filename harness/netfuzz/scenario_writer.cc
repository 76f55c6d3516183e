#include "harness/netfuzz/scenario_writer.h"

#include <algorithm>
#include <set>
#include <sstream>

namespace relaycheck::harness::netfuzz {

std::string hex_bytes(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    if (!out.empty()) out += ' ';
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

namespace {

std::string hex(const std::string& bytes) { return hex_bytes(bytes); }

// A YAML double-quoted scalar (JSON string syntax is a subset of it).
std::string quoted(const std::string& text) { return json(text).dump(-1, ' ', false, json::error_handler_t::replace); }

std::string flow(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string requirement(const FindingText& w) {
  switch (w.kind) {
    case FindingKind::crash:
      return "The server survives these writes and keeps answering on every connection.";
    case FindingKind::hang:
      return "The server answers the barrier probe after these writes, in time.";
    case FindingKind::violation:
      return "Every reply to these writes decodes as a frame of the protocol.";
    case FindingKind::sanitizer:
      return "These writes cause no sanitizer report (run the target under ASan/UBSan).";
    case FindingKind::deviation:
      return "The server answers these writes as the reference engine does (deviation_scenario.cc writes these).";
  }
  return "";
}

std::string conn_name(int i) { return "c" + std::to_string(i); }

}  // namespace

std::string scenario_yaml(const FindingText& w, const FuzzCase& c, const Outcome& trace,
                          const std::optional<BarrierProbe>& barrier, const ScenarioTiming& timing) {
  std::ostringstream y;
  y << "# Written by " << w.provenance << ".\n";
  std::istringstream detail(w.detail);
  for (std::string line; std::getline(detail, line);) y << "# " << line << "\n";
  y << "protocol: " << w.protocol << "\n"
    << "scenarios:\n"
    << "  - id: " << w.id << "\n"
    << "    spec: \"relaycheck fuzz finding (" << to_string(w.kind) << ")\"\n"
    << "    requirement: " << quoted(requirement(w)) << "\n"
    << "    level: must\n"
    << "    tags: [fuzz]\n"
    << "    steps:\n";
  const std::string fresh = "fresh";  // the connection that checks the target still serves
  y << "      - connect: [";
  for (int i = 0; i < c.conns; ++i) y << (i ? ", " : "") << conn_name(i);
  y << "]\n";
  const std::string within = std::to_string(timing.within.count()) + "ms";
  const std::string silence = "      - advance: " + std::to_string(timing.silence.count()) + "ms";
  // The runner's `quiet` is a silence window only where the dialect has no static probe; there
  // it checks a connection without a probe that may not fit this target.
  const Dialect* dialect = find_dialect(w.protocol);
  const bool quiet_is_silence = dialect && !dialect->barrier();

  // Replies to the writes are not checked; only the probes' replies are awaited. A protocol
  // whose probe depends on the connection's state awaits one of several replies.
  std::vector<std::vector<json>> replies(static_cast<std::size_t>(c.conns));
  auto note = [&](int conn, const BarrierProbe& p) {
    auto& list = replies[static_cast<std::size_t>(conn)];
    if (std::find(list.begin(), list.end(), p.reply_pattern) == list.end()) list.push_back(p.reply_pattern);
  };
  for (const Segment& seg : trace.segments)
    if (seg.probe && seg.how != Segment::End::unanswered) note(seg.conn, *seg.probe);
  for (const FinalProbe& f : trace.final_probes) note(f.conn, f.probe);
  auto ignore_all_but = [&](const std::string& name, const std::vector<json>& list) {
    if (list.empty()) return;
    const json wanted = list.size() == 1 ? list.front() : json{{"$any_of", list}};
    y << "      - ignore: {on: " << name << ", frame: " << flow(json{{"$not", wanted}}) << "}\n";
  };
  for (int i = 0; i < c.conns; ++i) ignore_all_but(conn_name(i), replies[static_cast<std::size_t>(i)]);

  auto probe = [&](const std::string& name, const BarrierProbe& p, const char* why) {
    y << "      - send: {on: " << name << ", hex: \"" << hex(p.bytes) << "\"}  # " << why << "\n"
      << "      - expect: {on: " << name << ", frame: " << flow(p.reply_pattern) << ", within: " << within << "}\n";
  };
  std::set<int> gone;  // connections the server closed: the fuzzer wrote no more on them
  for (const Segment& seg : trace.segments) {
    if (gone.count(seg.conn)) continue;
    // Every send step is a write of its own (TCP_NODELAY), so a chopped write replays in its pieces.
    for (std::size_t i = seg.begin; i < seg.end; ++i)
      y << "      - send: {on: " << conn_name(seg.conn) << ", hex: \"" << hex(c.sends[i].bytes) << "\"}"
        << (c.sends[i].chopped ? "  # a piece of a chopped write" : "") << "\n";
    const bool last = &seg == &trace.segments.back();
    switch (seg.how) {
      case Segment::End::answered:
        probe(conn_name(seg.conn), seg.probe ? *seg.probe : *barrier, "barrier probe");
        break;
      case Segment::End::unprobed:
        break;
      case Segment::End::silence:
        y << silence << "  # a silence window: no probe fits here\n";
        break;
      case Segment::End::unanswered:
        // The fuzzer wrote it, so the replay does too; it went unanswered, so nothing is awaited.
        if (seg.probe)
          y << "      - send: {on: " << conn_name(seg.conn) << ", hex: \"" << hex(seg.probe->bytes)
            << "\"}  # barrier probe, unanswered when fuzzing: not awaited\n";
        y << silence << "  # a silence window instead\n";
        break;
      case Segment::End::closed:
        // A hang or a reply that does not decode shows right here: the probe is what fails.
        if (last && barrier && (w.kind == FindingKind::hang || w.kind == FindingKind::violation))
          probe(conn_name(seg.conn), seg.probe ? *seg.probe : *barrier, "the finding: no answer here");
        gone.insert(seg.conn);
        break;
    }
  }
  // The check that caught it. Each connection still open must still answer, or stay open...
  for (const FinalProbe& f : trace.final_probes) probe(conn_name(f.conn), f.probe, "still answering?");
  // `quiet` after ignoring every reply: what it checks is that the connection stays open.
  auto still_open = [&](const std::string& name, const char* why) {
    y << "      - ignore: {on: " << name << ", frame: {$any: true}}\n"
      << "      - quiet: [" << name << "]  # " << why << "\n";
  };
  for (int conn : trace.quiet_at_end) {
    if (quiet_is_silence)
      still_open(conn_name(conn), "still open?");
    else
      y << silence << "  # " << conn_name(conn) << ": no probe fits it now\n";
  }
  // ...one left inside a frame gets end-of-file, as the fuzzer gave it, so the server acts on it...
  for (int conn : trace.half_closed) y << "      - close: [" << conn_name(conn) << "]  # end-of-file inside a frame\n";
  // ...and after a grace in which a dying target dies, a new connection must be served.
  y << "      - advance: " << timing.grace.count() << "ms  # time for a dying target to die\n"
    << "      - connect: [" << fresh << "]  # a dead target refuses it\n";
  if (barrier) {
    ignore_all_but(fresh, {barrier->reply_pattern});
    probe(fresh, *barrier, "still serving?");
  } else if (quiet_is_silence) {
    still_open(fresh, "served: not closed?");
  } else {
    y << silence << "  # no probe fits this target\n";
  }
  return y.str();
}

}  // namespace relaycheck::harness::netfuzz
