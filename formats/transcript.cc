#include "formats/transcript.h"

#include <algorithm>

namespace relaycheck::formats {

namespace {
// Calls `each(RecordView)` for every record of the input, in order; returns how many.
template <class Each>
std::size_t for_each_record(const std::uint8_t* data, std::size_t size, std::size_t max_records, Each&& each) {
  std::size_t i = 0, count = 0;
  for (; i + 3 <= size && count < max_records; ++count) {
    RecordView r;
    r.slot = data[i] % kSlots;
    r.kind = static_cast<Record::Kind>((data[i] / kSlots) % 4);
    const std::size_t value = (std::size_t{data[i + 1]} << 8) | data[i + 2];
    i += 3;
    if (r.kind == Record::Kind::send) {
      const std::size_t n = std::min(value, size - i);
      r.payload = std::string_view(reinterpret_cast<const char*>(data + i), n);
      i += n;
    } else if (r.kind == Record::Kind::advance) {
      r.tenths = static_cast<std::uint16_t>(value);
    }
    each(r);
  }
  return count;
}

// `r` becomes the record `v` is, its payload copied into the capacity r.payload has.
void assign(Record& r, const RecordView& v) {
  r.kind = v.kind;
  r.slot = v.slot;
  r.payload.assign(v.payload);
  r.tenths = v.tenths;
}

// The bytes of one record's value field: a send's payload length (cut at 0xffff), an advance's tenths.
std::size_t value_of(const Record& r) {
  return r.kind == Record::Kind::send      ? std::min<std::size_t>(r.payload.size(), 0xffff)
         : r.kind == Record::Kind::advance ? r.tenths
                                           : 0;
}
}  // namespace

std::vector<RecordView> view_transcript(const std::uint8_t* data, std::size_t size, std::size_t max_records) {
  // Counted first, so the vector is allocated once and no larger than needed.
  std::vector<RecordView> out;
  out.reserve(for_each_record(data, size, max_records, [](const RecordView&) {}));
  view_transcript(data, size, max_records, out);
  return out;
}

void view_transcript(const std::uint8_t* data, std::size_t size, std::size_t max_records,
                     std::vector<RecordView>& into) {
  into.clear();
  for_each_record(data, size, max_records, [&](const RecordView& r) { into.push_back(r); });
}

std::vector<Record> parse_transcript(const std::uint8_t* data, std::size_t size, std::size_t max_records) {
  std::vector<Record> out;
  parse_transcript(data, size, max_records, out);
  return out;
}

void parse_transcript(const std::uint8_t* data, std::size_t size, std::size_t max_records, std::vector<Record>& into) {
  into.resize(for_each_record(data, size, max_records, [](const RecordView&) {}));
  std::size_t k = 0;
  for_each_record(data, size, max_records, [&](const RecordView& v) { assign(into[k++], v); });
}

std::size_t serialized_size(const std::vector<Record>& records) {
  std::size_t total = 0;
  for (const auto& r : records) total += 3 + (r.kind == Record::Kind::send ? value_of(r) : 0);
  return total;
}

void serialize_transcript(const std::vector<Record>& records, std::uint8_t* out) {
  for (const auto& r : records) {
    const std::size_t value = value_of(r);
    *out++ = static_cast<std::uint8_t>(static_cast<std::uint8_t>(r.kind) * kSlots + r.slot % kSlots);
    *out++ = static_cast<std::uint8_t>(value >> 8);
    *out++ = static_cast<std::uint8_t>(value & 0xff);
    if (r.kind == Record::Kind::send)
      out = std::copy_n(reinterpret_cast<const std::uint8_t*>(r.payload.data()), value, out);
  }
}

std::string serialize_transcript(const std::vector<Record>& records) {
  std::string out(serialized_size(records), '\0');
  serialize_transcript(records, reinterpret_cast<std::uint8_t*>(out.data()));
  return out;
}

}  // namespace relaycheck::formats
