#pragma once
// A session transcript: what up to four client connections do to one server, in virtual time.
// The input of every session fuzz target and what `relaycheck run --transcript-dir` writes, so it
// lives here, where the harness and fuzz/ both reach it (the harness never includes fuzz/).
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
#include <string>
#include <string_view>
#include <vector>

namespace relaycheck::formats {

inline constexpr std::size_t kSlots = 4;

struct Record {
  enum class Kind : std::uint8_t { send = 0, reconnect = 1, disconnect = 2, advance = 3 };
  Kind kind = Kind::send;
  std::uint8_t slot = 0;
  std::string payload;       // send
  std::uint16_t tenths = 0;  // advance: units of 100 ms
};

// A record that points into the input instead of owning its payload (no copy of the bytes).
// Valid while the input is.
struct RecordView {
  Record::Kind kind = Record::Kind::send;
  std::uint8_t slot = 0;
  std::string_view payload;
  std::uint16_t tenths = 0;
};

std::vector<RecordView> view_transcript(const std::uint8_t* data, std::size_t size, std::size_t max_records = 256);
// The same into `into`, keeping its capacity.
void view_transcript(const std::uint8_t* data, std::size_t size, std::size_t max_records,
                     std::vector<RecordView>& into);
// The same records with owned payloads, for mutators that edit them.
std::vector<Record> parse_transcript(const std::uint8_t* data, std::size_t size, std::size_t max_records = 256);
// The same into `into`, whose records' payloads keep their capacity.
void parse_transcript(const std::uint8_t* data, std::size_t size, std::size_t max_records, std::vector<Record>& into);
std::string serialize_transcript(const std::vector<Record>& records);
// The serialised size of the records, and the bytes written to `out` (which has room for them).
std::size_t serialized_size(const std::vector<Record>& records);
void serialize_transcript(const std::vector<Record>& records, std::uint8_t* out);

}  // namespace relaycheck::formats
