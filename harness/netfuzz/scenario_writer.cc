#include "harness/netfuzz/scenario_writer.h"

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
    // Replies to the writes are not checked; only the probe's replies are awaited.
    for (int i = 0; i < c.conns; ++i)
      y << "      - ignore: {on: " << conn_name(i) << ", frame: " << flow(json{{"$not", barrier->reply_pattern}}) << "}\n";
  }
  auto probe = [&](int conn, const char* why) {
    y << "      - send: {on: " << conn_name(conn) << ", hex: \"" << hex(barrier->bytes) << "\"}  # " << why << "\n"
      << "      - expect: {on: " << conn_name(conn) << ", frame: " << flow(barrier->reply_pattern) << ", within: " << within
      << "}\n";
  };
  std::set<int> gone;  // connections the server closed or wedged: the fuzzer wrote no more on them
  for (const Segment& seg : trace.segments) {
    if (gone.count(seg.conn)) continue;
    for (std::size_t i = seg.begin; i < seg.end; ++i)
      y << "      - send: {on: " << conn_name(seg.conn) << ", hex: \"" << hex(c.sends[i].bytes) << "\"}\n";
    const bool last = &seg == &trace.segments.back();
    switch (seg.how) {
      case Segment::End::answered: probe(seg.conn, "barrier probe"); break;
      case Segment::End::unprobed: break;
      case Segment::End::closed:
      case Segment::End::stuck:
        // Where the finding showed, the probe is what fails on the buggy target.
        if (last && trace.finding && barrier) probe(seg.conn, "the finding: no answer here");
        gone.insert(seg.conn);
        break;
    }
  }
  for (int conn : trace.final_probes) probe(conn, "still answering?");
  if (!barrier) y << "      - advance: 200ms  # time for the target to act on the last writes\n";
  return y.str();
}

}  // namespace relaycheck::harness::netfuzz
