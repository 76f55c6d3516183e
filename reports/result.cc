#include "reports/result.h"

#include <algorithm>

namespace relaycheck::reports {

const char* to_string(Status s) {
  switch (s) {
    case Status::pass:
      return "pass";
    case Status::fail:
      return "fail";
    case Status::skip:
      return "skip";
    case Status::xfail:
      return "xfail";
    case Status::xpass:
      return "xpass";
    case Status::flaky:
      return "flaky";
    case Status::error:
      return "error";
  }
  return "?";
}

bool unexpected(Status s) { return s == Status::fail || s == Status::error || s == Status::xpass; }

const char* to_string(TranscriptEntry::Kind k) {
  switch (k) {
    case TranscriptEntry::Kind::connect:
      return "connect";
    case TranscriptEntry::Kind::sent:
      return "sent";
    case TranscriptEntry::Kind::received:
      return "received";
    case TranscriptEntry::Kind::closed_by_client:
      return "client-close";
    case TranscriptEntry::Kind::closed_by_peer:
      return "peer-close";
    case TranscriptEntry::Kind::note:
      return "note";
  }
  return "?";
}

std::map<Status, int> RunResult::counts() const {
  std::map<Status, int> c;
  for (Status s : kAllStatuses) c[s] = 0;
  for (const auto& r : results) ++c[r.status];
  return c;
}

std::string tier_of(const std::string& level) { return level == "decision" ? "decision" : "spec"; }

std::map<std::string, std::map<Status, int>> RunResult::counts_by_tier() const {
  std::map<std::string, std::map<Status, int>> c;
  for (const char* tier : {"spec", "decision"})
    for (Status s : kAllStatuses) c[tier][s] = 0;
  for (const auto& r : results) ++c[tier_of(r.level)][r.status];
  return c;
}

bool RunResult::counts_against(const ScenarioResult& r) const {
  if (!unexpected(r.status)) return false;
  return info.strict || r.status == Status::error || tier_of(r.level) != "decision";
}

bool RunResult::ok() const {
  if (info.incomplete) return false;
  for (const auto& r : results)
    if (counts_against(r)) return false;
  return true;
}

std::vector<RootCause> RunResult::root_causes() const {
  std::vector<RootCause> out;
  for (const auto& r : results) {
    if (!r.blocked_by) continue;
    auto same = [&](const RootCause& c) { return c.at == r.blocked_by->at && c.first == r.blocked_by->first; };
    auto it = std::find_if(out.begin(), out.end(), same);
    if (it == out.end()) it = out.insert(out.end(), RootCause{r.blocked_by->at, r.blocked_by->first, {}, {}, {}});
    if (r.id == it->first) {
      it->message = r.message;
      it->expected = r.expected;
    }
    it->blocked.push_back(&r);
  }
  for (auto& c : out)
    if (c.message.empty() && !c.blocked.empty()) {
      c.message = c.blocked.front()->message;
      c.expected = c.blocked.front()->expected;
    }
  return out;
}

std::size_t RunResult::blocked_count() const {
  // The first failure at a root cause names itself; the others are the ones it blocked.
  return static_cast<std::size_t>(std::count_if(results.begin(), results.end(), [](const auto& r) {
    return r.blocked_by.has_value() && r.blocked_by->first != r.id;
  }));
}

}  // namespace relaycheck::reports
