#include "transcript.h"

#include <algorithm>
#include <array>
#include <optional>

#include "proto/common/string_pool.h"

namespace relaycheck::fuzz {

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

void view_transcript(const std::uint8_t* data, std::size_t size, std::size_t max_records, std::vector<RecordView>& into) {
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

std::vector<RecordView>& view_transcript_reused(const std::uint8_t* data, std::size_t size, std::size_t max_records) {
  thread_local std::vector<RecordView> records;
  view_transcript(data, size, max_records, records);
  return records;
}

std::vector<Record>& parse_transcript_reused(const std::uint8_t* data, std::size_t size, std::size_t max_records) {
  // The earlier call's payloads go back to the string pool and this call's come from it, so a
  // payload keeps its capacity from call to call, and so do the records a mutator adds
  // (send_record and the others take their payloads from the pool too). Last record first, so
  // record i gets the string record i had: inputs of one lineage have long payloads in the same
  // places.
  thread_local std::vector<Record> records;
  for (auto r = records.rbegin(); r != records.rend(); ++r) proto::string_pool::give(std::move(r->payload));
  records.clear();
  for_each_record(data, size, max_records, [&](const RecordView& v) {
    Record& r = records.emplace_back();
    if (v.payload.size() > std::string().capacity()) r.payload = proto::string_pool::take();
    assign(r, v);
  });
  return records;
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
    if (r.kind == Record::Kind::send) out = std::copy_n(reinterpret_cast<const std::uint8_t*>(r.payload.data()), value, out);
  }
}

std::string serialize_transcript(const std::vector<Record>& records) {
  std::string out(serialized_size(records), '\0');
  serialize_transcript(records, reinterpret_cast<std::uint8_t*>(out.data()));
  return out;
}

proto::TimePoint drive(proto::Engine& engine, const std::vector<Record>& records,
                       const std::function<void(const DriveEvent&)>& on_action, std::size_t control_slot) {
  std::vector<RecordView> views;
  views.reserve(records.size());
  for (const auto& r : records) views.push_back({r.kind, r.slot, r.payload, r.tenths});
  return drive(engine, views, on_action, control_slot);
}

proto::TimePoint drive(proto::Engine& engine, std::span<const RecordView> records,
                       const std::function<void(const DriveEvent&)>& on_action, std::size_t control_slot) {
  proto::TimePoint now{};
  std::array<std::optional<proto::ClientId>, kSlots> open{};
  // Buffers kept from run to run (a fuzz target drives one engine per input, thousands a second,
  // and under ASan each allocation costs more than the work around it).
  thread_local std::vector<std::size_t> slot_of;  // by client id: ids are 1, 2, 3, ... in connect order
  slot_of.assign(1, kSlots);
  proto::ClientId next_id = 1;

  // Swapped with the engine's on every flush. It still holds the last run's actions: the first
  // flush, before any event, hands their send buffers to this engine, which encodes its first
  // lines into them.
  thread_local std::vector<proto::Action> actions;
  auto flush = [&] {
    engine.drain_actions(actions);
    for (auto& a : actions) {
      const std::size_t slot = a.client < slot_of.size() ? slot_of[a.client] : kSlots;
      if (a.kind == proto::Action::Kind::close && slot < kSlots && open[slot] == a.client) open[slot].reset();
      if (on_action) on_action({slot, a});  // a reference: no copy of the bytes
    }
  };
  auto connect = [&](std::size_t slot) {
    const proto::ClientId id = next_id++;
    open[slot] = id;
    slot_of.push_back(slot);  // slot_of[id]
    if (slot == control_slot) engine.on_control_connect(id, now);
    else engine.on_connect(id, now);
    flush();
  };
  auto disconnect = [&](std::size_t slot) {
    if (!open[slot]) return;
    const proto::ClientId id = *open[slot];
    open[slot].reset();
    engine.on_disconnect(id, now);
    flush();
  };

  flush();
  for (const auto& r : records) {
    switch (r.kind) {
      case Record::Kind::send:
        if (!open[r.slot]) connect(r.slot);
        engine.on_bytes(*open[r.slot], r.payload, now);
        flush();
        break;
      case Record::Kind::reconnect:
        disconnect(r.slot);
        connect(r.slot);
        break;
      case Record::Kind::disconnect: disconnect(r.slot); break;
      case Record::Kind::advance: {
        const proto::TimePoint end = now + proto::Millis{std::int64_t{r.tenths} * 100};
        for (auto due = engine.next_deadline(); due && *due <= end; due = engine.next_deadline()) {
          if (*due > now) now = *due;
          engine.on_tick(now);
          flush();
        }
        now = end;
        break;
      }
    }
  }
  for (std::size_t s = 0; s < kSlots; ++s) disconnect(s);
  return now;
}

}  // namespace relaycheck::fuzz
