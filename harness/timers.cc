#include "harness/timers.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "proto/common/duration.h"

namespace relaycheck::harness {

const NamedTimer* find_timer(std::string_view protocol, std::string_view name) {
  for (const auto& t : named_timers())
    if (protocol == t.protocol && name == t.name) return &t;
  return nullptr;
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

std::string timer_list(std::string_view protocol) {
  std::string list;
  for (const auto& t : named_timers())
    if (protocol == t.protocol)
      list += (list.empty() ? "" : ", ") + std::string("${") + t.protocol + "." + t.name + "}";
  return list.empty() ? "none" : list;
}

// One term: [NUMBER *] ( ${protocol.timer} | ${scaled:DURATION} | DURATION ), in spec time.
double term_ms(std::string_view text, std::string_view protocol, bool& named) {
  double factor = 1;
  if (auto star = text.find('*'); star != std::string_view::npos) {
    const std::string_view number = trim(text.substr(0, star));
    auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), factor);
    if (number.empty() || ec != std::errc{} || ptr != number.data() + number.size() || factor < 0)
      throw std::invalid_argument("'" + std::string(number) + "' before '*' is not a number");
    text = trim(text.substr(star + 1));
  }
  if (text.rfind("${", 0) == 0) {
    const auto close = text.find('}');
    if (close == std::string_view::npos)
      throw std::invalid_argument("'" + std::string(text) + "' is missing its closing '}'");
    if (close + 1 != text.size())
      throw std::invalid_argument("unexpected '" + std::string(text.substr(close + 1)) + "' after '" +
                                  std::string(text.substr(0, close + 1)) +
                                  "' (terms are joined by ' + ' or ' - ', with spaces)");
    const std::string_view inner = text.substr(2, text.size() - 3);
    named = true;
    if (inner.rfind("scaled:", 0) == 0) {
      auto d = proto::parse_duration(trim(inner.substr(7)));
      if (!d)
        throw std::invalid_argument("'" + std::string(text) + "': expected ${scaled:DURATION}, e.g. ${scaled:200ms}");
      return factor * static_cast<double>(d->count());
    }
    const auto dot = inner.find('.');
    const std::string_view p = inner.substr(0, dot == std::string_view::npos ? 0 : dot);
    const std::string_view name = dot == std::string_view::npos ? inner : inner.substr(dot + 1);
    const NamedTimer* t = find_timer(p, name);
    if (!t || p != protocol)
      throw std::invalid_argument("unknown timer '" + std::string(text) + "' (" + std::string(protocol) +
                                  " timers: " + timer_list(protocol) + ")");
    return factor * static_cast<double>(t->value.count());
  }
  auto d = proto::parse_duration(text);
  if (!d)
    throw std::invalid_argument("not a duration: '" + std::string(text) + "' (e.g. 500ms, 2s, or a named timer: ${" +
                                std::string(protocol) + ".<timer>} + 1s)");
  return factor * static_cast<double>(d->count());
}

}  // namespace

DurationValue parse_duration_expression(std::string_view text, std::string_view protocol) {
  text = trim(text);
  if (text.empty()) throw std::invalid_argument("empty duration");
  double total = 0;
  bool named = false;
  int sign = 1;
  std::size_t start = 0;
  // Terms joined by ' + ' and ' - ' (spaces around the operator: '-' is no part of a duration).
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const bool end = i == text.size();
    const bool op = !end && i > 0 && i + 1 < text.size() && text[i - 1] == ' ' && text[i + 1] == ' ' &&
                    (text[i] == '+' || text[i] == '-');
    if (!end && !op) continue;
    const std::string_view term = trim(text.substr(start, i - start));
    if (term.empty()) throw std::invalid_argument("'" + std::string(text) + "': a '+' or '-' without a term");
    total += sign * term_ms(term, protocol, named);
    if (op) sign = text[i] == '+' ? 1 : -1;
    start = i + 1;
  }
  if (total < 0) throw std::invalid_argument("'" + std::string(text) + "' is negative");
  if (!named && text.find_first_of("+*") != std::string_view::npos)
    throw std::invalid_argument("'" + std::string(text) +
                                "': arithmetic is for named timers; write the sum as one duration");
  return {Millis{std::llround(total)}, named};
}

double protocol_scale(const Clock& clock, std::string_view protocol) {
  if (!clock.accelerated()) return 1;
  if (clock.mode == Clock::Mode::faketime) return clock.factor;
  double scale = clock.factor;
  for (const auto& t : named_timers())
    if (protocol == t.protocol)
      scale = std::min(scale, std::max(1.0, static_cast<double>(t.value.count()) / kShortestScaledTimer.count()));
  return scale;
}

Millis real_time(Millis spec, double scale, bool deadline) {
  if (scale <= 1) return spec;
  const Millis scaled{std::llround(static_cast<double>(spec.count()) / scale)};
  return deadline ? std::max(scaled, std::min(spec, kScaledDeadlineFloor)) : scaled;
}

std::vector<std::string> scaled_server_flags(std::string_view protocol, double scale) {
  std::vector<std::string> flags;
  if (scale <= 1) return flags;
  for (const auto& t : named_timers())
    if (protocol == t.protocol)
      flags.insert(flags.end(), {t.server_flag, std::to_string(real_time(t.value, scale, false).count()) + "ms"});
  return flags;
}

namespace {
std::string number(double v) {
  std::ostringstream o;
  o << v;
  return o.str();
}
}  // namespace

std::string describe(const Clock& clock, const std::vector<std::string>& protocols) {
  if (!clock.accelerated()) return "real time (timers at the spec's values)";
  if (clock.mode == Clock::Mode::faketime)
    return "faketime x" + number(clock.factor) + " (the target's clock runs " + number(clock.factor) + " times fast)";
  std::string per;
  for (const auto& p : protocols) {
    if (!find_timer(p, "") && timer_list(p) == "none") continue;
    per += (per.empty() ? "" : ", ") + p + " /" + number(protocol_scale(clock, p));
  }
  return "reference server timers / " + number(clock.factor) + (per.empty() ? "" : " (" + per + ")");
}

std::optional<double> parse_clock_factor(std::string_view text) {
  double v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || !std::isfinite(v) || v < 1 || v > 10000)
    return std::nullopt;
  return v;
}

}  // namespace relaycheck::harness
