#include "harness/load/report.h"

#include <cstdio>

namespace relaycheck::harness::load {

namespace {

double per_second(std::uint64_t n, double seconds) { return seconds > 0 ? static_cast<double>(n) / seconds : 0; }
double ms(std::uint64_t micros) { return static_cast<double>(micros) / 1000.0; }

std::string fixed(double v, int decimals = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace

std::vector<std::string> LoadReport::problems() const {
  const LoadStats& s = outcome.stats;
  std::vector<std::string> p;
  if (!outcome.setup_complete) p.push_back("not every client could log in and join");
  if (s.lost())
    p.push_back(std::to_string(s.lost()) + " of " + std::to_string(s.expected_deliveries()) + " deliveries lost");
  if (s.duplicates()) p.push_back(std::to_string(s.duplicates()) + " deliveries duplicated or out of order");
  if (s.misdelivered()) p.push_back(std::to_string(s.misdelivered()) + " deliveries to the wrong client");
  if (s.corrupted()) p.push_back(std::to_string(s.corrupted()) + " corrupt frames");
  if (s.protocol_errors()) p.push_back(std::to_string(s.protocol_errors()) + " protocol errors");
  if (s.connection_errors()) p.push_back(std::to_string(s.connection_errors()) + " connection errors");
  if (target_ended) p.push_back("the target ended: " + *target_ended);
  return p;
}

std::string status_line(const LoadStats& s, double elapsed) {
  return fixed(elapsed) + "s  sent " + std::to_string(s.sent_total()) + " (" +
         fixed(per_second(s.sent_total(), elapsed), 0) + "/s)  delivered " + std::to_string(s.deliveries()) + " (" +
         fixed(per_second(s.deliveries(), elapsed), 0) + "/s)  p99 " + fixed(ms(s.latency().percentile(0.99)), 2) +
         "ms  errors " + std::to_string(s.protocol_errors() + s.connection_errors() + s.corrupted());
}

nlohmann::json to_json(const LoadReport& r) {
  const LoadStats& s = r.outcome.stats;
  const double t = r.outcome.traffic_seconds;
  nlohmann::json j = {
      {"protocol", r.protocol},
      {"target", r.target},
      {"clients", r.config.clients},
      {"duration_s", std::chrono::duration<double>(r.config.duration).count()},
      {"mode", r.config.rate > 0 ? "rate" : "closed-loop"},
      {"rate", r.config.rate},
      {"message_bytes", r.config.message_bytes},
      {"setup_s", r.outcome.setup_seconds},
      {"traffic_s", t},
      {"sent", s.sent_total()},
      {"acked", s.acks()},
      {"deliveries", s.deliveries()},
      {"expected_deliveries", s.expected_deliveries()},
      {"lost", s.lost()},
      {"duplicates", s.duplicates()},
      {"misdelivered", s.misdelivered()},
      {"corrupt", s.corrupted()},
      {"protocol_errors", s.protocol_errors()},
      {"connection_errors", s.connection_errors()},
      {"sent_per_s", per_second(s.sent_total(), t)},
      {"messages_delivered_per_s",
       s.recipients_per_message() > 0 ? per_second(s.deliveries(), t) / s.recipients_per_message() : 0.0},
      {"point_to_point", s.point_to_point()},
      {"fanout_deliveries_per_s", per_second(s.deliveries(), t)},
      {"latency_ms",
       {{"p50", ms(s.latency().percentile(0.50))},
        {"p90", ms(s.latency().percentile(0.90))},
        {"p99", ms(s.latency().percentile(0.99))},
        {"max", ms(s.latency().max())}}},
      {"passed", r.passed()},
      {"problems", r.problems()},
      {"first_problems", s.samples()},
  };
  if (r.rss_end_kib) j["target_rss_kib"] = *r.rss_end_kib;
  if (r.rss_peak_kib) j["target_peak_rss_kib"] = *r.rss_peak_kib;
  return j;
}

void write_text(const LoadReport& r, std::ostream& out) {
  const LoadStats& s = r.outcome.stats;
  const double t = r.outcome.traffic_seconds;
  out << "relaycheck load: " << r.protocol << " against " << r.target << ", " << r.config.clients << " clients, "
      << fixed(t) << " s, "
      << (r.config.rate > 0 ? "rate " + fixed(r.config.rate, 0) + " msg/s" : std::string("closed loop")) << ", "
      << r.config.message_bytes << "-byte messages\n";
  out << "  setup (connect, log in, join)  " << fixed(r.outcome.setup_seconds, 2) << " s\n";
  out << "  messages sent                  " << s.sent_total() << " (" << fixed(per_second(s.sent_total(), t))
      << "/s), " << s.acks() << " acknowledged\n";
  out << "  messages delivered             "
      << fixed(s.recipients_per_message() > 0 ? per_second(s.deliveries(), t) / s.recipients_per_message() : 0.0)
      << (s.point_to_point() ? "/s (each to its one partner: client to end user and back)\n"
                             : "/s (to all " + std::to_string(s.clients() - 1) + " others)\n");
  out << "  fan-out deliveries             " << s.deliveries() << " of " << s.expected_deliveries() << " ("
      << fixed(per_second(s.deliveries(), t)) << "/s)\n";
  out << "  latency send->delivery         p50 " << fixed(ms(s.latency().percentile(0.50)), 2) << " ms  p90 "
      << fixed(ms(s.latency().percentile(0.90)), 2) << " ms  p99 " << fixed(ms(s.latency().percentile(0.99)), 2)
      << " ms  max " << fixed(ms(s.latency().max()), 2) << " ms\n";
  out << "  lost " << s.lost() << ", duplicated/out of order " << s.duplicates() << ", misdelivered "
      << s.misdelivered() << ", corrupt " << s.corrupted() << "\n";
  out << "  protocol errors " << s.protocol_errors() << ", connection errors " << s.connection_errors() << "\n";
  if (r.rss_end_kib)
    out << "  target RSS                     " << fixed(static_cast<double>(*r.rss_end_kib) / 1024.0)
        << " MiB at the end, "
        << (r.rss_peak_kib ? fixed(static_cast<double>(*r.rss_peak_kib) / 1024.0) : std::string("?")) << " MiB peak\n";
  for (const auto& sample : s.samples()) out << "  - " << sample << "\n";
  const auto problems = r.problems();
  if (problems.empty()) {
    out << (s.point_to_point() ? "PASS: every message reached its partner once, in order\n"
                               : "PASS: every message reached every other client once, in order\n");
  } else {
    out << "FAIL:";
    for (std::size_t i = 0; i < problems.size(); ++i) out << (i ? "; " : " ") << problems[i];
    out << "\n";
  }
}

nlohmann::json to_json(const ScenarioLoadReport& r) {
  nlohmann::json j = {
      {"protocol", r.protocol},
      {"scenario", r.scenario},
      {"target", r.target},
      {"clients", r.config.clients},
      {"seconds", r.seconds},
      {"runs", r.runs},
      {"passes", r.passes},
      {"failures", r.failures},
      {"runs_per_s", per_second(r.runs, r.seconds)},
      {"run_ms",
       {{"p50", ms(r.durations.percentile(0.50))},
        {"p90", ms(r.durations.percentile(0.90))},
        {"p99", ms(r.durations.percentile(0.99))},
        {"max", ms(r.durations.max())}}},
      {"passed", r.passed()},
      {"problems", r.problems()},
      {"first_problems", r.samples},
  };
  if (r.rss_end_kib) j["target_rss_kib"] = *r.rss_end_kib;
  if (r.rss_peak_kib) j["target_peak_rss_kib"] = *r.rss_peak_kib;
  return j;
}

void write_text(const ScenarioLoadReport& r, std::ostream& out) {
  out << "relaycheck load: scenario " << r.scenario << " against " << r.target << ", " << r.config.clients
      << " clients, " << fixed(r.seconds) << " s\n";
  out << "  runs " << r.runs << " (" << fixed(per_second(r.runs, r.seconds)) << "/s), passed " << r.passes
      << ", failed " << r.failures << "\n";
  out << "  run time  p50 " << fixed(ms(r.durations.percentile(0.50)), 2) << " ms  p90 "
      << fixed(ms(r.durations.percentile(0.90)), 2) << " ms  p99 " << fixed(ms(r.durations.percentile(0.99)), 2)
      << " ms  max " << fixed(ms(r.durations.max()), 2) << " ms\n";
  if (r.rss_end_kib)
    out << "  target RSS " << fixed(static_cast<double>(*r.rss_end_kib) / 1024.0) << " MiB at the end, "
        << (r.rss_peak_kib ? fixed(static_cast<double>(*r.rss_peak_kib) / 1024.0) : std::string("?")) << " MiB peak\n";
  for (const auto& sample : r.samples) out << "  - " << sample << "\n";
  const auto problems = r.problems();
  out << (problems.empty() ? "PASS" : "FAIL:");
  for (std::size_t i = 0; i < problems.size(); ++i) out << (i ? "; " : " ") << problems[i];
  out << "\n";
}

}  // namespace relaycheck::harness::load
