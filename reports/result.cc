#include "reports/result.h"

namespace relaycheck::reports {

const char* to_string(Status s) {
  switch (s) {
    case Status::pass: return "pass";
    case Status::fail: return "fail";
    case Status::skip: return "skip";
    case Status::xfail: return "xfail";
    case Status::xpass: return "xpass";
    case Status::flaky: return "flaky";
    case Status::error: return "error";
  }
  return "?";
}

bool unexpected(Status s) { return s == Status::fail || s == Status::error || s == Status::xpass; }

const char* to_string(TranscriptEntry::Kind k) {
  switch (k) {
    case TranscriptEntry::Kind::connect: return "connect";
    case TranscriptEntry::Kind::sent: return "sent";
    case TranscriptEntry::Kind::received: return "received";
    case TranscriptEntry::Kind::closed_by_client: return "client-close";
    case TranscriptEntry::Kind::closed_by_peer: return "peer-close";
    case TranscriptEntry::Kind::note: return "note";
  }
  return "?";
}

std::map<Status, int> RunResult::counts() const {
  std::map<Status, int> c;
  for (Status s : kAllStatuses) c[s] = 0;
  for (const auto& r : results) ++c[r.status];
  return c;
}

bool RunResult::ok() const {
  for (const auto& r : results)
    if (unexpected(r.status)) return false;
  return true;
}

}  // namespace relaycheck::reports
