#include "fuzz/common/mutate.h"

#include <algorithm>
#include <utility>

#include "fuzz/common/string_pool.h"

// libFuzzer's byte mutator; weak so that builds without libFuzzer link.
extern "C" __attribute__((weak)) std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size,
                                                              std::size_t max_size);

namespace relaycheck::fuzz {

namespace {
std::ptrdiff_t at(std::size_t i) { return static_cast<std::ptrdiff_t>(i); }

// A record like `r` whose payload is bytes [from, from + n) of r's, in a pooled string.
Record copy_of(const Record& r, std::size_t from = 0, std::size_t n = std::string::npos) {
  Record copy;
  copy.kind = r.kind;
  copy.slot = r.slot;
  copy.tenths = r.tenths;
  if (r.kind == Record::Kind::send) copy.payload = string_pool::take();
  copy.payload.assign(r.payload, from, n);
  return copy;
}
}  // namespace

std::size_t libfuzzer_mutate(std::uint8_t* data, std::size_t size, std::size_t max_size) {
  return LLVMFuzzerMutate ? LLVMFuzzerMutate(data, size, max_size) : size;
}

void mutate_payload_bytes(std::string& payload, std::size_t room) {
  const std::size_t size = payload.size();
  payload.resize(size + room);
  payload.resize(libfuzzer_mutate(reinterpret_cast<std::uint8_t*>(payload.data()), size, payload.size()));
}

std::size_t boundary_length(std::initializer_list<std::size_t> limits, Choices& choices) {
  const std::size_t pick = choices.below(limits.size() * 3 + 2);
  if (pick >= limits.size() * 3) return pick - limits.size() * 3;  // 0 or 1
  const std::size_t limit = *std::next(limits.begin(), at(pick / 3));
  return limit + (pick % 3) - std::min<std::size_t>(limit, 1);  // limit - 1, limit, limit + 1
}

std::size_t pick_record(const std::vector<Record>& records, Record::Kind kind, Choices& choices) {
  const std::size_t n = static_cast<std::size_t>(
      std::count_if(records.begin(), records.end(), [&](const Record& r) { return r.kind == kind; }));
  if (n == 0) return records.size();
  std::size_t k = choices.below(n);
  for (std::size_t i = 0; i < records.size(); ++i)
    if (records[i].kind == kind && k-- == 0) return i;
  return records.size();
}

Record send_record(std::string_view payload, Choices& choices) {
  Record r;
  r.kind = Record::Kind::send;
  r.slot = choices.slot();
  r.payload = string_pool::take();
  r.payload.assign(payload);
  return r;
}

void insert_record(std::vector<Record>& records, Record record, Choices& choices) {
  records.insert(records.begin() + at(choices.below(records.size() + 1)), std::move(record));
}

void drop_record(std::vector<Record>& records, Choices& choices) {
  if (!records.empty()) records.erase(records.begin() + at(choices.below(records.size())));
}

void duplicate_record(std::vector<Record>& records, Choices& choices) {
  if (records.empty()) return;
  insert_record(records, copy_of(records[choices.below(records.size())]), choices);
}

void swap_records(std::vector<Record>& records, Choices& choices) {
  if (records.size() < 2) return;
  std::swap(records[choices.below(records.size())], records[choices.below(records.size())]);
}

void move_record_to_other_slot(std::vector<Record>& records, Choices& choices) {
  if (records.empty()) return;
  Record& r = records[choices.below(records.size())];
  r.slot = static_cast<std::uint8_t>((r.slot + 1 + choices.below(kSlots - 1)) % kSlots);
}

void split_send(std::vector<Record>& records, Choices& choices) {
  if (records.empty()) return;
  const std::size_t i = choices.below(records.size());
  if (records[i].kind != Record::Kind::send || records[i].payload.size() < 2) return;
  const std::size_t cut = 1 + choices.below(records[i].payload.size() - 1);
  Record tail = copy_of(records[i], cut);
  records[i].payload.resize(cut);
  records.insert(records.begin() + at(i + 1), std::move(tail));
}

void insert_connection_event(std::vector<Record>& records, Choices& choices, std::span<const std::uint16_t> tenths) {
  Record r;
  r.slot = choices.slot();
  const std::size_t how = choices.below(4);
  r.kind = how == 0 ? Record::Kind::reconnect : how == 1 ? Record::Kind::disconnect : Record::Kind::advance;
  if (r.kind == Record::Kind::advance) r.tenths = tenths.empty() ? 1 : choices.from(tenths);
  insert_record(records, std::move(r), choices);
}

void frame_level_edit(std::vector<Record>& records, Choices& choices, std::span<const std::uint16_t> tenths) {
  switch (choices.below(6)) {
    case 0:
      drop_record(records, choices);
      break;
    case 1:
      duplicate_record(records, choices);
      break;
    case 2:
      swap_records(records, choices);
      break;
    case 3:
      move_record_to_other_slot(records, choices);
      break;
    case 4:
      split_send(records, choices);
      break;
    default:
      insert_connection_event(records, choices, tenths);
      break;
  }
}

std::size_t write_back(const std::vector<Record>& records, std::uint8_t* data, std::size_t size, std::size_t max_size) {
  // Straight into libFuzzer's buffer: no copy of the transcript on the way.
  const std::size_t n = serialized_size(records);
  if (n > max_size) return libfuzzer_mutate(data, size, max_size);
  serialize_transcript(records, data);
  return n;
}

}  // namespace relaycheck::fuzz
