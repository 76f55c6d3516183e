#pragma once
// The typed steps of a scenario: one struct per step kind, with the fields the loader checked.
// Connection names and texts may hold ${var} references, filled in when the step runs.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/location.h"
#include "harness/timers.h"

namespace relaycheck::harness {

struct Step;

// A frame pattern as the dialect reads received frames (normalize_pattern applied, forms checked
// by the loader). The value is the dialect's: the runner hands it to match().
struct FramePattern {
  nlohmann::json value;
  nlohmann::json written;  // as the file wrote it, before the dialect's normalising (coverage reads names here)
  bool operator==(const FramePattern& o) const { return value == o.value; }  // the same frames match
};

// A frame to send as the scenario wrote it; its strings' ${var}s are filled in, then the
// connection's codec encodes it.
struct FrameTemplate {
  nlohmann::json value;
  bool operator==(const FrameTemplate&) const = default;
};

// A connection to open: its name, and the protocol's other channel if not the ordinary one.
struct NewConnection {
  std::string name;
  std::string channel;  // "" for the ordinary channel
  bool operator==(const NewConnection&) const = default;
};

struct ConnectStep {
  std::vector<NewConnection> connections;
};
struct AcceptStep {
  std::string on;
  std::optional<DurationValue> within;
};
// Text typed into a client under test (a line's "\n" included).
struct InputStep {
  std::string text;
};
// `raw:` text (${var}s filled in when sent) and `hex:` bytes (sent as they are).
struct RawText {
  std::string text;
};
struct ExactBytes {
  std::string bytes;
};
struct SendStep {
  std::string on;
  std::variant<std::vector<FrameTemplate>, RawText, ExactBytes> payload;
  std::optional<std::size_t> chop;  // write in pieces of this many bytes
  Millis delay{0};                  // between the pieces
};
struct ExpectStep {
  std::string on;
  std::vector<FramePattern> frames;
  std::optional<DurationValue> within;
  bool or_close = false;  // the spec allows a close instead
};
// Frames to drop as they arrive from now on; an empty list stops ignoring.
struct IgnoreStep {
  std::string on;
  std::vector<FramePattern> frames;
};
struct QuietStep {
  std::vector<std::string> on;
  std::optional<DurationValue> within;  // caps the silence window
};
struct CloseStep {
  std::vector<std::string> on;
};
struct ExpectCloseStep {
  std::string on;
  std::optional<DurationValue> within;
  bool after_any = false;  // whatever comes before the close is allowed
};
struct AdvanceStep {
  DurationValue by;
};
// Variables set in key order (a value may name variables set before the step).
struct SetStep {
  std::map<std::string, std::string> vars;
};
struct RepeatStep {
  long long times = 0;
  std::vector<Step> steps;
};
struct IncludeStep {
  std::string fragment;
  std::map<std::string, std::string> with;
};
// From here on the steps answer these connections' heartbeats; the runner stops.
struct TakeHeartbeatsStep {
  std::vector<std::string> on;
};

struct Step {
  // In the order of `Body`'s alternatives: kind() is the alternative's index.
  enum class Kind {
    connect,
    accept,
    input,
    send,
    expect,
    ignore,
    quiet,
    close,
    expect_close,
    advance,
    set,
    repeat,
    include,
    take_heartbeats
  };
  using Body = std::variant<ConnectStep, AcceptStep, InputStep, SendStep, ExpectStep, IgnoreStep, QuietStep, CloseStep,
                            ExpectCloseStep, AdvanceStep, SetStep, RepeatStep, IncludeStep, TakeHeartbeatsStep>;
  Body body;
  Location at;

  Kind kind() const { return static_cast<Kind>(body.index()); }
  template <class T>
  const T* as() const {
    return std::get_if<T>(&body);
  }
};
const char* to_string(Step::Kind k);

}  // namespace relaycheck::harness
