#include "fuzz/common/transcript_driver.h"

#include <array>
#include <optional>

#include "fuzz/common/string_pool.h"

namespace relaycheck::fuzz {

std::vector<RecordView>& view_transcript_reused(const std::uint8_t* data, std::size_t size, std::size_t max_records) {
  thread_local std::vector<RecordView> records;
  formats::view_transcript(data, size, max_records, records);
  return records;
}

std::vector<Record>& parse_transcript_reused(const std::uint8_t* data, std::size_t size, std::size_t max_records) {
  // The earlier call's payloads go back to the string pool and this call's come from it, so a
  // payload keeps its capacity from call to call, and so do the records a mutator adds
  // (send_record and the others take their payloads from the pool too). Last record first, so
  // record i gets the string record i had: inputs of one lineage have long payloads in the same
  // places.
  thread_local std::vector<Record> records;
  thread_local std::vector<RecordView> views;
  for (auto r = records.rbegin(); r != records.rend(); ++r) string_pool::give(std::move(r->payload));
  records.clear();
  formats::view_transcript(data, size, max_records, views);
  for (const RecordView& v : views) {
    Record& r = records.emplace_back();
    if (v.payload.size() > std::string().capacity()) r.payload = string_pool::take();
    r.kind = v.kind;
    r.slot = v.slot;
    r.payload.assign(v.payload);
    r.tenths = v.tenths;
  }
  return records;
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
    if (slot == control_slot)
      engine.on_control_connect(id, now);
    else
      engine.on_connect(id, now);
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
      case Record::Kind::disconnect:
        disconnect(r.slot);
        break;
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
