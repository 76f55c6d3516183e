#pragma once
// The differential oracle: the target's replies to a case compared, per connection, with the
// reference engine's (reference_run.h), frame by frame through the dialect, not byte by byte.
// A reply the spec allows either way is no deviation; the allowances are an explicit table
// (each plug-in's, harness/protocols/<id>/fuzz.cc), one entry per protocol point, each naming
// the scenario that encodes it.
// The project's decisions (decision-tier entries) count as deviations only with `strict`.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "harness/match.h"
#include "harness/netfuzz/executor.h"
#include "harness/netfuzz/protocol_hints.h"
#include "harness/netfuzz/reference_run.h"
#include "harness/protocols/dialect.h"

namespace relaycheck::harness::netfuzz {

struct DifferentialOptions {
  bool strict = false;               // decision-tier differences are deviations too
  Wording wording = Wording::exact;  // a profile's `wording: loose` for human-readable text
};

struct Deviation {
  int conn = 0;
  std::size_t reply = 0;  // 1-based: the connection's n-th reply
  std::string expected;   // the reference's, as the dialect describes it ("a close", "nothing")
  std::string arrived;    // the target's
  // What went wrong, by frame kind and field: "JOINED|missing", "extra|NPM", "NPM|args" (same kind,
  // that field differs), "FAIL07|FAIL08" (one kind in place of another), "open|close".
  std::string signature;
  std::string detail() const;  // for the finding's report; its last line is "signature: ..."
};

// An allowance the comparison used: what the spec (or a decision) leaves open, and where.
struct AllowanceUse {
  int conn = 0;
  std::size_t reply = 0;
  std::string point;       // the table entry's name
  json expected, arrived;  // the frames (null for a close)
  // The target left `expected` out: what a scenario drops in its place if it comes (a pattern).
  json omitted;
  // The reference's answer of this many frames from `expected` on stood for the target's frames
  // `arrived` (an array): an answer that runs over another number of frames (0: one for one).
  std::size_t spanned = 0;
};

struct Comparison {
  bool strict = false;  // the options it was made with: decision-tier answers were not allowed
  std::optional<Deviation> deviation;
  std::vector<AllowanceUse> allowed;  // the alternatives accepted on the way
  // An allowed answer parted the two servers' states (a name one took and the other refused):
  // what the target keeps from this case, the reference does not.
  bool parted = false;
};

Comparison compare_with_reference(const std::string& protocol, const Dialect& dialect, const ProtocolHints& hints,
                                  const ReferenceRun& reference, const Outcome& target,
                                  const DifferentialOptions& options);

// The deviation's signature from a finding's detail (its "signature: " line), or "".
std::string deviation_signature(const std::string& detail);

// Patterns for the answers the table allows in place of `expected` (spec tier only when
// `strict`), for a written scenario to accept; empty when it allows none.
std::vector<json> allowed_alternatives(const std::string& protocol, const json& expected, bool strict);

// The allowance table as text, one line per entry (for docs and `--help`-like listings).
std::vector<std::string> allowance_table();

}  // namespace relaycheck::harness::netfuzz
