#pragma once
// The session fuzz targets' side of the transcript format (formats/transcript.h): the format's
// names in this namespace, the transcript parsed into vectors kept per thread (a target parses
// thousands of inputs a second, and under ASan each allocation costs more than the parse), and
// the driver that runs a transcript on an engine.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "formats/transcript.h"
#include "proto/common/engine.h"

namespace relaycheck::fuzz {

using formats::kSlots;
using formats::parse_transcript;
using formats::Record;
using formats::RecordView;
using formats::serialize_transcript;
using formats::serialized_size;
using formats::view_transcript;

// view_transcript and parse_transcript into one vector per thread, kept from call to call: the
// result is valid until the next call of the same function on the thread. The records' payloads
// come from fuzz/common/string_pool.h and go back to it at the next call; a mutator's new
// payloads are best taken from it too (string_pool::take()).
std::vector<RecordView>& view_transcript_reused(const std::uint8_t* data, std::size_t size,
                                                std::size_t max_records = 256);
std::vector<Record>& parse_transcript_reused(const std::uint8_t* data, std::size_t size, std::size_t max_records = 256);

// What the driver saw, for invariant checks. The action is the driver's own, not a copy: it stays
// valid, with every other action of the same event, until the driver's next call into the engine.
struct DriveEvent {
  std::size_t slot;
  const proto::Action& action;
};

// Runs the transcript on the engine. Every action the engine takes is passed to `on_action`
// (with the slot it belongs to) as soon as it happens. Returns the final virtual time.
// `control_slot` (if < kSlots) connects through Engine::on_control_connect (the protocol's
// second channel, where it has one).
proto::TimePoint drive(proto::Engine& engine, std::span<const RecordView> records,
                       const std::function<void(const DriveEvent&)>& on_action, std::size_t control_slot = kSlots);
proto::TimePoint drive(proto::Engine& engine, const std::vector<Record>& records,
                       const std::function<void(const DriveEvent&)>& on_action, std::size_t control_slot = kSlots);

}  // namespace relaycheck::fuzz
