#pragma once
// Building blocks of the session targets' structure-aware mutators (LLVMFuzzerCustomMutator).
// A protocol's mutator parses the transcript (transcript.h), edits frames in its own terms
// (fields, tokens, lengths) and composes the generic edits here: frames inserted, dropped,
// duplicated, swapped, split across writes and moved between clients; reconnects, disconnects
// and time; boundary lengths; libFuzzer's byte mutation of one payload. write_back() puts the
// result into libFuzzer's buffer, falling back to a byte mutation when it does not fit.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/common/transcript_driver.h"

namespace relaycheck::fuzz {

// The random choices of one mutation, all from libFuzzer's seed, so a mutation can be repeated.
class Choices {
 public:
  // The seed is mixed first: minstd_rand's first draws from nearby seeds are nearly the same.
  explicit Choices(unsigned seed) : rng_(static_cast<std::uint32_t>(mix(seed) % 2147483646U) + 1U) {}
  // 0 .. n-1 (0 when n is 0).
  std::size_t below(std::size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }
  bool one_in(std::size_t n) { return below(n) == 0; }
  template <class Container>
  const auto& from(const Container& c) {
    return *std::next(std::begin(c), static_cast<std::ptrdiff_t>(below(std::size(c))));
  }
  std::uint8_t slot() { return static_cast<std::uint8_t>(below(kSlots)); }
  std::minstd_rand& engine() { return rng_; }

 private:
  static std::uint64_t mix(std::uint64_t x) {  // splitmix64's finaliser
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  }
  std::minstd_rand rng_;
};

// libFuzzer's own byte mutation (LLVMFuzzerMutate); leaves the bytes as they are in the
// standalone replay build, which never mutates.
std::size_t libfuzzer_mutate(std::uint8_t* data, std::size_t size, std::size_t max_size);
// Byte mutation of one payload, which may grow by up to `room` bytes.
void mutate_payload_bytes(std::string& payload, std::size_t room);

// A length at the edge of one of the limits: 0, 1, or limit - 1, limit, limit + 1.
std::size_t boundary_length(std::initializer_list<std::size_t> limits, Choices& choices);

// The index of a random record of the kind, or records.size() when there is none (no allocation:
// this runs on every mutation).
std::size_t pick_record(const std::vector<Record>& records, Record::Kind kind, Choices& choices);

// A send of `payload` on a random slot (in a string from fuzz/common/string_pool.h).
Record send_record(std::string_view payload, Choices& choices);
// Inserts the record at a random position.
void insert_record(std::vector<Record>& records, Record record, Choices& choices);

// Frame-level edits; each does nothing where it cannot apply (no records, no send to split).
void drop_record(std::vector<Record>& records, Choices& choices);
void duplicate_record(std::vector<Record>& records, Choices& choices);
void swap_records(std::vector<Record>& records, Choices& choices);
void move_record_to_other_slot(std::vector<Record>& records, Choices& choices);
// One send becomes two writes on the same connection, split at a random byte.
void split_send(std::vector<Record>& records, Choices& choices);
// A reconnect, a disconnect, or an advance by one of `tenths` (units of 100 ms), inserted.
void insert_connection_event(std::vector<Record>& records, Choices& choices, std::span<const std::uint16_t> tenths);
// One of all the edits above, picked at random.
void frame_level_edit(std::vector<Record>& records, Choices& choices, std::span<const std::uint16_t> tenths);

// Serialises the records into libFuzzer's buffer and returns the new size; when they exceed
// max_size, libFuzzer's byte mutation of the original input instead.
std::size_t write_back(const std::vector<Record>& records, std::uint8_t* data, std::size_t size, std::size_t max_size);

}  // namespace relaycheck::fuzz
