#include "harness/netfuzz/scenario_writer.h"

#include <algorithm>
#include <set>
#include <sstream>

namespace relaycheck::harness::netfuzz {

namespace {

std::string hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    if (!out.empty()) out += ' ';
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

// A YAML double-quoted scalar (JSON string syntax is a subset of it).
std::string quoted(const std::string& text) { return json(text).dump(-1, ' ', false, json::error_handler_t::replace); }

std::string flow(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string requirement(const FindingText& w) {
  switch (w.kind) {
    case FindingKind::crash: return "The server survives these writes and keeps answering on every connection.";
    case FindingKind::hang: return "The server answers the barrier probe after these writes, in time.";
    case FindingKind::violation: return "Every reply to these writes decodes as a frame of the protocol.";
    case FindingKind::sanitizer: return "These writes cause no sanitizer report (run the target under ASan/UBSan).";
  }
  return "";
}

std::string conn_name(int i) { return "c" + std::to_string(i); }

}  // namespace

std::string scenario_yaml(const FindingText& w, const FuzzCase& c, const Outcome& trace,
                          const std::optional<BarrierProbe>& barrier) {
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
  y << "      - connect: [";
  for (int i = 0; i < c.conns; ++i) y << (i ? ", " : "") << conn_name(i);
  y << "]\n";
  const std::string within = "3s";
  if (barrier) {
    // Replies to the writes are not checked; only the probes' replies are awaited. A protocol
    // whose probe depends on the connection's state (cop) awaits one of several replies.
    std::vector<std::vector<json>> replies(static_cast<std::size_t>(c.conns));
    auto note = [&](int conn, const BarrierProbe& p) {
      auto& list = replies[static_cast<std::size_t>(conn)];
      if (std::find(list.begin(), list.end(), p.reply_pattern) == list.end()) list.push_back(p.reply_pattern);
    };
    for (int i = 0; i < c.conns; ++i) note(i, *barrier);
    for (const Segment& seg : trace.segments)
      if (seg.probe) note(seg.conn, *seg.probe);
    for (const FinalProbe& f : trace.final_probes) note(f.conn, f.probe);
    for (int i = 0; i < c.conns; ++i) {
      const auto& list = replies[static_cast<std::size_t>(i)];
      const json wanted = list.size() == 1 ? list.front() : json{{"$any_of", list}};
      y << "      - ignore: {on: " << conn_name(i) << ", frame: " << flow(json{{"$not", wanted}}) << "}\n";
    }
  }
  auto probe = [&](int conn, const BarrierProbe& p, const char* why) {
    y << "      - send: {on: " << conn_name(conn) << ", hex: \"" << hex(p.bytes) << "\"}  # " << why << "\n"
      << "      - expect: {on: " << conn_name(conn) << ", frame: " << flow(p.reply_pattern) << ", within: " << within
      << "}\n";
  };
  std::set<int> gone;  // connections the server closed or wedged: the fuzzer wrote no more on them
  for (const Segment& seg : trace.segments) {
    if (gone.count(seg.conn)) continue;
    // Every send step is a write of its own (TCP_NODELAY), so a chopped write replays in its pieces.
    for (std::size_t i = seg.begin; i < seg.end; ++i)
      y << "      - send: {on: " << conn_name(seg.conn) << ", hex: \"" << hex(c.sends[i].bytes) << "\"}"
        << (c.sends[i].chopped ? "  # a piece of a chopped write" : "") << "\n";
    const bool last = &seg == &trace.segments.back();
    switch (seg.how) {
      case Segment::End::answered: probe(seg.conn, seg.probe ? *seg.probe : *barrier, "barrier probe"); break;
      case Segment::End::unprobed: break;
      case Segment::End::closed:
      case Segment::End::stuck:
        // Where the finding showed, the probe is what fails on the buggy target.
        if (last && trace.finding && barrier) probe(seg.conn, seg.probe ? *seg.probe : *barrier, "the finding: no answer here");
        gone.insert(seg.conn);
        break;
    }
  }
  for (const FinalProbe& f : trace.final_probes) probe(f.conn, f.probe, "still answering?");
  if (!barrier) y << "      - advance: 200ms  # time for the target to act on the last writes\n";
  return y.str();
}

}  // namespace relaycheck::harness::netfuzz
