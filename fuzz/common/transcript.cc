#include "transcript.h"

#include <array>
#include <optional>

namespace relaycheck::fuzz {

std::vector<RecordView> view_transcript(const std::uint8_t* data, std::size_t size, std::size_t max_records) {
  // Counted first, so the vector is allocated once and no larger than needed.
  std::size_t count = 0;
  for (std::size_t j = 0; j + 3 <= size && count < max_records; ++count) {
    const bool send = (data[j] / kSlots) % 4 == static_cast<unsigned>(Record::Kind::send);
    j += 3 + (send ? ((std::size_t{data[j + 1]} << 8) | data[j + 2]) : 0);
  }
  std::vector<RecordView> out;
  out.reserve(count);
  std::size_t i = 0;
  while (i + 3 <= size && out.size() < max_records) {
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
    out.push_back(r);
  }
  return out;
}

std::vector<Record> parse_transcript(const std::uint8_t* data, std::size_t size, std::size_t max_records) {
  const auto views = view_transcript(data, size, max_records);
  std::vector<Record> out;
  out.reserve(views.size());
  for (const auto& v : views) out.push_back({v.kind, v.slot, std::string(v.payload), v.tenths});
  return out;
}

std::string serialize_transcript(const std::vector<Record>& records) {
  std::string out;
  std::size_t total = 0;
  for (const auto& r : records) total += 3 + r.payload.size();
  out.reserve(total);
  for (const auto& r : records) {
    out += static_cast<char>(static_cast<std::uint8_t>(r.kind) * kSlots + r.slot % kSlots);
    std::size_t value = r.kind == Record::Kind::send ? std::min<std::size_t>(r.payload.size(), 0xffff)
                        : r.kind == Record::Kind::advance ? r.tenths
                                                          : 0;
    out += static_cast<char>(value >> 8);
    out += static_cast<char>(value & 0xff);
    if (r.kind == Record::Kind::send) out.append(r.payload, 0, value);
  }
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
  std::vector<std::size_t> slot_of(1, kSlots);  // by client id: ids are 1, 2, 3, ... in connect order
  slot_of.reserve(64);
  proto::ClientId next_id = 1;

  std::vector<proto::Action> actions;  // reused: one buffer for the whole run, swapped with the engine's
  actions.reserve(4);
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
