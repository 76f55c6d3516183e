#pragma once
// The input format of every session fuzz target: a transcript of what up to four client
// connections do to one server engine, in virtual time. Shared so that seed writers, custom
// mutators and the replay of findings agree on one format.
//
// A transcript is a sequence of records, each
//   [tag: 1 byte] [value: 2 bytes, big-endian] [payload: `value` bytes, only for kind send]
// where tag % 4 is the connection slot (0..3) and (tag / 4) % 4 the kind:
//   0 send        write the payload on the slot's connection (connecting it first if needed)
//   1 reconnect   drop the slot's connection (if any) and open a new one
//   2 disconnect  the client closes the slot's connection
//   3 advance     let value * 100 ms of virtual time pass (the engine's timers run)
// Truncated input ends the transcript; a send's payload is cut at the end of the input.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "proto/common/engine.h"

namespace relaycheck::fuzz {

inline constexpr std::size_t kSlots = 4;

struct Record {
  enum class Kind : std::uint8_t { send = 0, reconnect = 1, disconnect = 2, advance = 3 };
  Kind kind = Kind::send;
  std::uint8_t slot = 0;
  std::string payload;          // send
  std::uint16_t tenths = 0;     // advance: units of 100 ms
};

// A record that points into the input instead of owning its payload: what a target's
// LLVMFuzzerTestOneInput runs, with one allocation per input (under ASan every allocation costs
// more than the work around it). Valid while the input is.
struct RecordView {
  Record::Kind kind = Record::Kind::send;
  std::uint8_t slot = 0;
  std::string_view payload;
  std::uint16_t tenths = 0;
};

std::vector<RecordView> view_transcript(const std::uint8_t* data, std::size_t size, std::size_t max_records = 256);
// The same into `into` (keeping its capacity: a target that keeps one vector makes no allocation).
void view_transcript(const std::uint8_t* data, std::size_t size, std::size_t max_records, std::vector<RecordView>& into);
// The same records with owned payloads, for mutators that edit them.
std::vector<Record> parse_transcript(const std::uint8_t* data, std::size_t size, std::size_t max_records = 256);
// The same into `into`, whose records' payloads keep their capacity: a mutator that keeps one
// vector across calls then makes no allocation per call once it has grown.
void parse_transcript(const std::uint8_t* data, std::size_t size, std::size_t max_records, std::vector<Record>& into);
// Both into one vector per thread, kept from call to call (a fuzz target parses thousands of
// inputs a second, and under ASan each allocation costs more than the parse): the result is
// valid until the next call of the same function on the thread. The records' payloads come from
// proto/common/string_pool.h and go back to it at the next call; a mutator's new payloads are
// best taken from it too (string_pool::take()).
std::vector<RecordView>& view_transcript_reused(const std::uint8_t* data, std::size_t size, std::size_t max_records = 256);
std::vector<Record>& parse_transcript_reused(const std::uint8_t* data, std::size_t size, std::size_t max_records = 256);
std::string serialize_transcript(const std::vector<Record>& records);
// The serialised size of the records, and the bytes written to `out` (which has room for them).
std::size_t serialized_size(const std::vector<Record>& records);
void serialize_transcript(const std::vector<Record>& records, std::uint8_t* out);

// What the driver saw, for invariant checks. The action is the driver's own, not a copy: it stays
// valid, with every other action of the same event, until the driver's next call into the engine.
struct DriveEvent {
  std::size_t slot;
  const proto::Action& action;
};

// Runs the transcript on the engine. Every action the engine takes is passed to `on_action`
// (with the slot it belongs to) as soon as it happens. Returns the final virtual time.
// `control_slot` (if < kSlots) connects through Engine::on_control_connect (moose's end users).
proto::TimePoint drive(proto::Engine& engine, std::span<const RecordView> records,
                       const std::function<void(const DriveEvent&)>& on_action, std::size_t control_slot = kSlots);
proto::TimePoint drive(proto::Engine& engine, const std::vector<Record>& records,
                       const std::function<void(const DriveEvent&)>& on_action, std::size_t control_slot = kSlots);

}  // namespace relaycheck::fuzz
