#include "harness/netfuzz/differential.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <set>
#include <sstream>

#include "harness/protocols/registry.h"

namespace relaycheck::harness::netfuzz {

namespace {

// Every plug-in's allowances (harness/protocols/<id>/fuzz.cc), in the registry's order.
const std::vector<Allowance>& table() {
  static const std::vector<Allowance> t = [] {
    std::vector<Allowance> all;
    for (const ProtocolPlugin* p : protocol_plugins())
      all.insert(all.end(), p->allowances.begin(), p->allowances.end());
    return all;
  }();
  return t;
}

std::string describe_or(const Dialect& d, const json& f) { return d.describe(f); }

// The first top-level field whose values differ ("" when the frames are not both objects).
std::string differing_field(const json& e, const json& a) {
  if (!e.is_object() || !a.is_object()) return "";
  for (const auto& [k, v] : e.items())
    if (k != "line" && (!a.contains(k) || a[k] != v)) return k;
  for (const auto& [k, v] : a.items())
    if (k != "line" && !e.contains(k)) return k;
  return e.contains("line") ? "line" : "";
}

// Frames compared: equal JSON, or (loose wording) the same words in each string.
bool same_frame(const json& e, const json& a, Wording wording) {
  if (e == a) return true;
  if (wording == Wording::exact) return false;
  if (e.is_string() && a.is_string()) {
    std::string literal;  // a "${" in the text is literal, not a variable
    for (char ch : e.get<std::string>()) {
      if (ch == '{' && !literal.empty() && literal.back() == '$')
        literal += "${";
      else
        literal += ch;
    }
    // "$${" stands for "${": the '$' already there plus "${" gives "$${".
    return match(json(literal), a, {}, wording).ok;
  }
  if (e.is_object() && a.is_object()) {
    if (e.size() != a.size()) return false;
    for (const auto& [k, v] : e.items())
      if (!a.contains(k) || !same_frame(v, a[k], wording)) return false;
    return true;
  }
  return false;
}

// A reply's kind for grouping: its command or op, without the names and text that vary by case.
std::string reply_kind(const json& f) {
  if (f.is_object()) {
    for (const char* key : {"cmd", "op", "type"})
      if (f.contains(key)) return f[key].is_string() ? f[key].get<std::string>() : f[key].dump();
    if (f.contains("line") && f["line"].is_string()) {
      const std::string line = f["line"].get<std::string>();
      // Capped: a line of one long word (a name the case made up) would be its own signature.
      constexpr std::size_t kLongestKind = 24;
      std::string word = line.substr(0, line.find(' '));
      if (word.size() > kLongestKind) word = word.substr(0, kLongestKind) + "...";
      return word.empty() ? "(empty line)" : word.front() == '[' ? "[room]" : word;
    }
    return "object";
  }
  return f.type_name();
}

}  // namespace

std::string Deviation::detail() const {
  return "connection c" + std::to_string(conn) + ", reply " + std::to_string(reply) + ": the reference sends " +
         expected + ", the target sent " + arrived + "\nsignature: " + signature;
}

std::string deviation_signature(const std::string& detail) {
  const std::string tag = "signature: ";
  const auto at = detail.rfind(tag);
  if (at == std::string::npos) return "";
  return detail.substr(at + tag.size(), detail.find('\n', at) - at - tag.size());
}

std::vector<json> allowed_alternatives(const std::string& protocol, const json& expected, bool strict) {
  std::vector<json> out;
  for (const auto& a : table())
    if (a.protocol == protocol && a.alternatives && (a.tier == Tier::spec || !strict))
      for (auto& p : a.alternatives(expected)) out.push_back(std::move(p));
  return out;
}

std::vector<std::string> allowance_table() {
  std::vector<std::string> lines;
  for (const auto& a : table())
    lines.push_back(std::string(a.protocol) + " [" + (a.tier == Tier::spec ? "spec" : "decision") + "] " + a.point +
                    " (" + a.twin + ")");
  return lines;
}

Comparison compare_with_reference(const std::string& protocol, const Dialect& dialect, const ProtocolHints& hints,
                                  const ReferenceRun& reference, const Outcome& target,
                                  const DifferentialOptions& options) {
  constexpr std::size_t kNever = std::numeric_limits<std::size_t>::max();
  std::vector<const Allowance*> allowances;
  for (const auto& a : table())
    if (a.protocol == protocol && (a.tier == Tier::spec || !options.strict)) allowances.push_back(&a);
  const std::size_t n = reference.conns.size();
  // The target's side per connection: its frames (with the segment each was read in) and closes.
  std::vector<std::vector<const Outcome::Reply*>> got(n);
  for (const auto& r : target.replies)
    if (r.conn >= 0 && static_cast<std::size_t>(r.conn) < n) got[static_cast<std::size_t>(r.conn)].push_back(&r);
  std::vector<bool> closed(n, true), half_closed(n, false);
  // Positions are numbered as ReferenceFrame::segment: what the target's segment i read is i + 1.
  std::vector<std::size_t> closed_at(n, target.segments.size() + 1);
  for (const auto& f : target.final_probes) closed[static_cast<std::size_t>(f.conn)] = false;
  for (int c : target.quiet_at_end) closed[static_cast<std::size_t>(c)] = false;
  for (int c : target.half_closed)
    closed[static_cast<std::size_t>(c)] = half_closed[static_cast<std::size_t>(c)] = true;
  for (int c : target.closed_at_end) closed[static_cast<std::size_t>(c)] = true;  // closed_at: the final segment
  for (std::size_t s = target.segments.size(); s-- > 0;) {
    const auto c = static_cast<std::size_t>(target.segments[s].conn);
    if (c < n && target.segments[s].how == Segment::End::closed) closed_at[c] = s + 1, closed[c] = true;
  }

  Comparison result;
  result.strict = options.strict;
  std::size_t diverged_at = kNever;                        // the first point after which the two servers' states differ
  std::optional<std::pair<std::size_t, Deviation>> first;  // the earliest deviation, by segment
  auto deviation = [&](std::size_t at, Deviation d) {
    if (!first || at < first->first) first = std::make_pair(at, std::move(d));
  };
  auto kind = [&](const json& f) { return reply_kind(f); };
  for (std::size_t c = 0; c < n; ++c) {
    const ReferenceConn& ref = reference.conns[c];
    if (ref.undecodable) continue;
    const auto& tgt = got[c];
    const int conn = static_cast<int>(c);
    // The reference's frame j that the target may leave out, by the allowance that says so.
    auto omittable = [&](std::size_t j) -> const Allowance* {
      for (const Allowance* x : allowances)
        if (x->may_omit && x->may_omit(ref.frames[j].frame, ref.frames[j].drawn_by)) return x;
      return nullptr;
    };
    std::size_t j = 0, k = 0;    // the reference's next frame, the target's
    std::size_t sj = 0, sk = 0;  // since these two, the frames went one for one
    // The reference's answer to one write that holds its frame `at` (its frames that write drew,
    // from sj on) against the target's from where it starts (read in one segment, up to the
    // reference's next frame): the entry that lets some of those stand for it, and their ends.
    struct Span {
      const Allowance* by;
      std::size_t start, end, target_end;
    };
    auto span = [&](std::size_t at) -> std::optional<Span> {
      const ReferenceFrame& f = ref.frames[at];
      if (f.write == 0 || at < sj) return std::nullopt;
      auto same_answer = [&](std::size_t i) { return ref.frames[i].write == f.write; };
      std::size_t answer_begin = at, end = at + 1;
      while (answer_begin > sj && same_answer(answer_begin - 1)) --answer_begin;
      while (end < ref.frames.size() && same_answer(end)) ++end;
      // From each of its frames up to `at` (a write may hold several lines, each answered).
      for (std::size_t start = answer_begin; start <= at; ++start) {
        const std::size_t ks = sk + (start - sj);
        std::size_t ke = ks;
        while (ke < tgt.size() && tgt[ke]->segment == tgt[ks]->segment &&
               !(end < ref.frames.size() && same_frame(ref.frames[end].frame, tgt[ke]->frame, options.wording)))
          ++ke;
        if (ke == ks) continue;
        std::vector<json> expected, arrived;
        for (std::size_t i = start; i < end; ++i) expected.push_back(ref.frames[i].frame);
        for (std::size_t i = ks; i < ke; ++i) arrived.push_back(tgt[i]->frame);
        for (const Allowance* x : allowances) {
          if (!x->spans) continue;
          const auto [ne, na] = x->spans(expected, f.drawn_by, arrived);
          // Some of each, moving on past this point, never back.
          if (ne > 0 && na > 0 && ne <= expected.size() && na <= arrived.size() && start + ne >= j && ks + na >= k &&
              (start + ne > j || ks + na > k))
            return Span{x, start, start + ne, ks + na};
        }
      }
      return std::nullopt;
    };
    // Takes a span: false when its entry parts the servers (nothing after it is compared).
    auto take = [&](const Span& s) {
      json arrived = json::array();
      for (std::size_t i = sk + (s.start - sj); i < s.target_end; ++i) arrived.push_back(tgt[i]->frame);
      result.allowed.push_back(
          {conn, s.start + 1, s.by->point, ref.frames[s.start].frame, arrived, nullptr, s.end - s.start});
      if (s.by->diverges) {
        diverged_at = std::min(diverged_at, ref.frames[s.start].segment);
        return false;
      }
      j = sj = s.end;
      k = sk = s.target_end;
      return true;
    };
    for (; j < ref.frames.size() && k < tgt.size(); ++j, ++k) {
      const json& e = ref.frames[j].frame;
      const json& a = tgt[k]->frame;
      if (same_frame(e, a, options.wording)) continue;
      // An answer the spec lets run over another number of frames: the one that holds this frame,
      // or the one just before (the target said more after it).
      std::optional<Span> spanned = span(j);
      if (!spanned && j > sj && ref.frames[j - 1].write != ref.frames[j].write) spanned = span(j - 1);
      if (spanned) {
        if (!take(*spanned)) break;
        --j, --k;  // come back to the ends with the loop's ++
        continue;
      }
      const std::size_t at = std::min(ref.frames[j].segment, tgt[k]->segment + 1);
      const auto allowed = std::find_if(allowances.begin(), allowances.end(),
                                        [&](const Allowance* x) { return x->swap && x->swap(e, a); });
      if (allowed != allowances.end()) {
        result.allowed.push_back({conn, j + 1, (*allowed)->point, e, a, nullptr});
        if ((*allowed)->diverges) {
          diverged_at = std::min(diverged_at, at);
          break;
        }
        continue;
      }
      // Left out where it may be: the target's frame is compared with the reference's next.
      if (const Allowance* omit = omittable(j)) {
        result.allowed.push_back({conn, j + 1, omit->point, e, nullptr, omit->omitted_pattern});
        if (omit->diverges) {  // e.g. a limit the reference enforces and the target need not
          diverged_at = std::min(diverged_at, ref.frames[j].segment);
          break;
        }
        sj = j + 1, sk = k;
        --k;  // wraps and comes back to k with the loop's ++k
        continue;
      }
      // Grouped by what went wrong: a reply missing (the target's is the reference's next), one
      // too many (the reference's is the target's next), or one in place of another.
      auto same = [&](const json& x, const json& y) { return same_frame(x, y, options.wording); };
      std::string sig;
      // (looking a few replies ahead: several notifications may be missing in a row).
      constexpr std::size_t kAhead = 4;
      auto later_in_ref = [&] {
        for (std::size_t m = j + 1; m < ref.frames.size() && m <= j + kAhead; ++m)
          if (same(ref.frames[m].frame, a)) return true;
        return false;
      };
      auto later_in_target = [&] {
        for (std::size_t m = k + 1; m < tgt.size() && m <= k + kAhead; ++m)
          if (same(e, tgt[m]->frame)) return true;
        return false;
      };
      if (later_in_ref())
        sig = kind(e) + "|missing";
      else if (later_in_target())
        sig = "extra|" + kind(a);
      else if (const std::string field = differing_field(e, a); kind(e) == kind(a) && !field.empty())
        sig = kind(e) + "|" + field;
      else
        sig = kind(e) + "|" + kind(a);
      deviation(at, {conn, j + 1, describe_or(dialect, e), describe_or(dialect, a), sig});
      break;
    }
    if (j < ref.frames.size() && k < tgt.size()) continue;  // stopped at a deviation or a divergence
    // The target said more after the reference's last answer: an answer that may run longer.
    if (k < tgt.size() && j > sj) {
      if (const std::optional<Span> s = span(j - 1); s && !take(*s)) continue;
    }
    bool parted = false;
    for (; j < ref.frames.size() && k == tgt.size(); ++j) {  // trailing frames it may leave out
      const Allowance* omit = omittable(j);
      if (!omit) break;
      result.allowed.push_back({conn, j + 1, omit->point, ref.frames[j].frame, nullptr, omit->omitted_pattern});
      if (omit->diverges) {
        diverged_at = std::min(diverged_at, ref.frames[j].segment);
        parted = true;
        break;
      }
    }
    if (parted) continue;
    const auto close_ok =
        std::find_if(allowances.begin(), allowances.end(), [](const Allowance* x) { return x->close_instead; });
    // The target closed right after the reference's last frame it sent too, before its next write
    // here was answered (the next segment on this connection at the latest).
    auto closed_after = [&]() -> const Allowance* {
      if (j == 0 || k != tgt.size() || !closed[c] || half_closed[c]) return nullptr;
      const ReferenceFrame& last = ref.frames[j - 1];
      for (std::size_t s = last.segment; s + 1 < closed_at[c] && s < target.segments.size(); ++s)
        if (target.segments[s].conn == conn) return nullptr;
      for (const Allowance* x : allowances)
        if (x->close_after && x->close_after(last.frame, last.drawn_by)) return x;
      return nullptr;
    };
    // The target kept the connection open (and said more, only after that point) where the reference closed it.
    auto kept_open = [&]() -> const Allowance* {
      if (!ref.closed || (k < tgt.size() && tgt[k]->segment + 1 < ref.closed_at)) return nullptr;
      json sent = json::array();
      for (const auto& f : ref.frames) sent.push_back(f.frame);
      for (const Allowance* x : allowances)
        if (x->open_instead && x->open_instead(sent, ref.closed_by)) return x;
      return nullptr;
    };
    // A reply that looks like a probe's answer (an error reply to an empty line) is taken for
    // it, leaving the real answer unread: what the reference ends with on a connection the target
    // kept open is judged only when the executor read on to the reference's count. After our
    // end-of-file (half closed) the reference's rest is not compared.
    if (j < ref.frames.size() && (half_closed[c] || (!closed[c] && !target.read_to_expected))) continue;
    if (j < ref.frames.size()) {
      // The reference said more: a missing reply, unless the target closed where it may.
      const std::size_t at = ref.frames[j].segment;
      if (closed[c] && !half_closed[c] && close_ok != allowances.end()) {
        result.allowed.push_back({conn, j + 1, (*close_ok)->point, ref.frames[j].frame, nullptr, nullptr});
        diverged_at = std::min(diverged_at, std::min(at, closed_at[c]));
        continue;
      }
      if (const Allowance* x = closed_after()) {
        result.allowed.push_back({conn, j + 1, x->point, ref.frames[j].frame, nullptr, nullptr});
        diverged_at = std::min(diverged_at, closed_at[c]);
        continue;
      }
      deviation(at, {conn, j + 1, describe_or(dialect, ref.frames[j].frame),
                     closed[c] && !half_closed[c] ? "a close" : "nothing",
                     kind(ref.frames[j].frame) + "|" + (closed[c] && !half_closed[c] ? "close" : "missing")});
      continue;
    }
    if (k < tgt.size()) {
      // The target said more. After our end-of-file (a connection left inside a frame) the
      // reference was never asked, so what comes then is not compared.
      if (const Allowance* x = kept_open()) {  // (before our end-of-file too: the reference closed first)
        result.allowed.push_back({conn, j + 1, x->point, nullptr, tgt[k]->frame, nullptr});
        diverged_at = std::min(diverged_at, ref.closed_at);
        continue;
      }
      if (half_closed[c]) continue;
      deviation(tgt[k]->segment + 1,
                {conn, j + 1, ref.closed ? "a close" : "nothing", describe_or(dialect, tgt[k]->frame),
                 std::string(ref.closed ? "close" : "extra") + "|" + kind(tgt[k]->frame)});
      continue;
    }
    const Allowance* open_ok = kept_open();
    if (half_closed[c] && !open_ok) continue;
    if (ref.closed) {
      // Kept open where it may be; or closed as well, but perhaps later, for another reason, after
      // taking the frame the reference closed for otherwise (in the same segment): the servers
      // may have parted there either way.
      if (open_ok) {
        result.allowed.push_back({conn, j + 1, open_ok->point, nullptr, nullptr, nullptr});
        diverged_at = std::min(diverged_at, ref.closed_at);
      } else if (!closed[c]) {
        deviation(ref.closed_at, {conn, j + 1, "a close", "the connection kept open", "close|open"});
      }
    } else if (!ref.closed && closed[c]) {
      const Allowance* after = closed_after();
      if (close_ok != allowances.end() || after) {
        result.allowed.push_back({conn, j + 1, (after ? after : *close_ok)->point, nullptr, nullptr, nullptr});
        diverged_at = std::min(diverged_at, closed_at[c]);
      } else {
        deviation(closed_at[c], {conn, j + 1, "the connection kept open", "a close", "open|close"});
      }
    }
  }
  // A deviation counts only before the servers' states parted by an allowed answer.
  if (first && first->first < diverged_at) result.deviation = std::move(first->second);
  result.parted = diverged_at != kNever;
  return result;
}

}  // namespace relaycheck::harness::netfuzz
