#include "harness/netfuzz/deviation_scenario.h"

#include <map>
#include <sstream>

namespace relaycheck::harness::netfuzz {

namespace {

std::string hex(const std::string& bytes) { return hex_bytes(bytes); }

std::string flow(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

// A decoded frame as a pattern that matches only itself: "${" in its text is literal ("$${").
json literal(const json& v) {
  if (v.is_string()) {
    std::string out;
    for (char ch : v.get<std::string>()) {
      if (ch == '{' && !out.empty() && out.back() == '$')
        out += "${";
      else
        out += ch;
    }
    return out;
  }
  if (v.is_object()) {
    json o = json::object();
    for (const auto& [k, x] : v.items()) o[k] = literal(x);
    return o;
  }
  if (v.is_array()) {
    json a = json::array();
    for (const auto& x : v) a.push_back(literal(x));
    return a;
  }
  return v;
}

std::string conn_name(int i) { return "c" + std::to_string(i); }

}  // namespace

std::string deviation_scenario_yaml(const FindingText& w, const FuzzCase& c, const Outcome& trace,
                                    const ReferenceRun& reference, const Comparison& comparison) {
  std::ostringstream y;
  y << "# Written by " << w.provenance << ".\n";
  std::istringstream detail(w.detail);
  for (std::string line; std::getline(detail, line);) y << "# " << line << "\n";
  for (const auto& a : comparison.allowed)
    y << "# allowed on c" << a.conn << ", reply " << a.reply << ": " << a.point << "\n";
  y << "protocol: " << w.protocol << "\n"
    << "scenarios:\n"
    << "  - id: " << w.id << "\n"
    << "    spec: \"relaycheck fuzz finding (deviation from the reference engine)\"\n"
    << "    requirement: \"The server answers these writes as the reference engine does.\"\n"
    << "    level: must\n"
    << "    tags: [fuzz, differential]\n"
    << "    steps:\n";
  y << "      - connect: [";
  for (int i = 0; i < c.conns; ++i) y << (i ? ", " : "") << conn_name(i);
  y << "]\n";
  // Answers the spec allows either way: the expect takes the target's too.
  std::map<std::pair<int, std::size_t>, json> alternatives;
  std::map<std::pair<int, std::size_t>, json> omissible;             // frames the spec lets the target leave out
  std::map<std::pair<int, std::size_t>, const AllowanceUse*> spans;  // answers over another number of frames
  for (const auto& a : comparison.allowed) {
    if (a.spanned) {
      spans[{a.conn, a.reply}] = &a;
      continue;
    }
    if (!a.expected.is_null() && !a.arrived.is_null()) alternatives[{a.conn, a.reply}] = a.arrived;
    if (!a.omitted.is_null()) omissible[{a.conn, a.reply}] = a.omitted;
  }
  std::vector<json> ignoring(reference.conns.size(), json::array());  // omissible frames dropped if they come
  std::vector<std::size_t> next(reference.conns.size(), 0);           // each connection's next reference frame
  std::vector<bool> gone(reference.conns.size(), false);
  auto expect_due = [&](std::size_t segment) {
    for (std::size_t ci = 0; ci < reference.conns.size(); ++ci) {
      const ReferenceConn& rc = reference.conns[ci];
      if (gone[ci]) continue;
      const int conn = static_cast<int>(ci);
      for (; next[ci] < rc.frames.size() && rc.frames[next[ci]].segment <= segment; ++next[ci]) {
        json pattern = literal(rc.frames[next[ci]].frame);
        if (auto omit = omissible.find({conn, next[ci] + 1}); omit != omissible.end()) {
          // Dropped if it comes, until the next frame expected on this connection.
          ignoring[ci].push_back(omit->second);
          y << "      - ignore: {on: " << conn_name(conn) << ", frames: " << flow(ignoring[ci]) << "}\n";
          continue;
        }
        if (auto sp = spans.find({conn, next[ci] + 1}); sp != spans.end()) {
          // One answer over another number of frames: its first frame either way, and the rest of
          // either dropped if they come, until the next frame expected here.
          const AllowanceUse& u = *sp->second;
          json any_of = json::array({pattern});
          if (!u.arrived.empty()) any_of.push_back(literal(u.arrived[0]));
          y << "      - expect: {on: " << conn_name(conn) << ", frame: " << flow(json{{"$any_of", any_of}})
            << ", within: 3s}\n";
          ignoring[ci] = json::array();
          for (std::size_t i = 1; i < u.spanned && next[ci] + i < rc.frames.size(); ++i)
            ignoring[ci].push_back(literal(rc.frames[next[ci] + i].frame));
          for (std::size_t i = 1; i < u.arrived.size(); ++i) ignoring[ci].push_back(literal(u.arrived[i]));
          if (!ignoring[ci].empty())
            y << "      - ignore: {on: " << conn_name(conn) << ", frames: " << flow(ignoring[ci]) << "}\n";
          next[ci] += u.spanned - 1;
          continue;
        }
        // What the target answered where the table allows it, and whatever else the table allows.
        json any_of = json::array({pattern});
        if (auto alt = alternatives.find({conn, next[ci] + 1}); alt != alternatives.end())
          any_of.push_back(literal(alt->second));
        for (auto& p : allowed_alternatives(w.protocol, rc.frames[next[ci]].frame, comparison.strict))
          any_of.push_back(std::move(p));
        if (any_of.size() > 1) pattern = json{{"$any_of", std::move(any_of)}};
        const bool deviation =
            comparison.deviation && comparison.deviation->conn == conn && comparison.deviation->reply == next[ci] + 1;
        y << "      - expect: {on: " << conn_name(conn) << ", frame: " << flow(pattern) << ", within: 3s}"
          << (deviation ? kDeviationMark : "") << "\n";
        if (!ignoring[ci].empty()) y << "      - ignore: {on: " << conn_name(conn) << ", frames: []}\n";
        ignoring[ci] = json::array();
      }
      if (rc.closed && rc.closed_at <= segment && next[ci] == rc.frames.size()) {
        y << "      - expect_close: {on: " << conn_name(conn) << ", within: 3s}\n";
        gone[ci] = true;
      }
    }
  };
  expect_due(0);  // greetings
  for (std::size_t si = 0; si < trace.segments.size(); ++si) {
    const Segment& seg = trace.segments[si];
    const auto ci = static_cast<std::size_t>(seg.conn);
    if (ci < gone.size() && !gone[ci]) {
      for (std::size_t i = seg.begin; i < seg.end && i < c.sends.size(); ++i)
        y << "      - send: {on: " << conn_name(seg.conn) << ", hex: \"" << hex(c.sends[i].bytes) << "\"}\n";
      if (seg.probe && seg.how != Segment::End::unprobed)
        y << "      - send: {on: " << conn_name(seg.conn) << ", hex: \"" << hex(seg.probe->bytes)
          << "\"}  # barrier probe\n";
    }
    expect_due(si + 1);
  }
  for (const FinalProbe& f : trace.final_probes) {
    const auto ci = static_cast<std::size_t>(f.conn);
    if (ci < gone.size() && !gone[ci])
      y << "      - send: {on: " << conn_name(f.conn) << ", hex: \"" << hex(f.probe.bytes) << "\"}  # barrier probe\n";
  }
  expect_due(trace.segments.size() + 1);
  // Nothing more than the reference sent, on the connections it keeps open (a connection left
  // inside a frame is not judged past its end-of-file).
  std::string open;
  for (std::size_t ci = 0; ci < gone.size(); ++ci) {
    bool half = false;
    for (int h : trace.half_closed) half = half || h == static_cast<int>(ci);
    if (!gone[ci] && !half) open += (open.empty() ? "" : ", ") + conn_name(static_cast<int>(ci));
  }
  if (!open.empty()) y << "      - quiet: [" << open << "]\n";
  return y.str();
}

std::size_t deviation_step_line(const std::string& yaml) {
  std::istringstream in(yaml);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    if (line.ends_with(kDeviationMark)) return n;
  }
  return 0;
}

}  // namespace relaycheck::harness::netfuzz
