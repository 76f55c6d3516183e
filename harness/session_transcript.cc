#include "harness/session_transcript.h"

#include <algorithm>
#include <map>

#include "formats/transcript.h"

namespace relaycheck::harness {

std::optional<std::string> session_transcript(const reports::ScenarioResult& result) {
  using formats::Record;
  using Dir = reports::WireChunk::Dir;
  std::vector<Record> records;
  std::map<std::string, std::uint8_t> slot_of;
  long long clock_ms = 0;
  bool sent = false;
  for (const auto& chunk : result.wire) {
    if (chunk.dir == Dir::to_client || chunk.dir == Dir::close_by_server) continue;
    auto slot = slot_of.find(chunk.conn);
    if (slot == slot_of.end()) {
      if (slot_of.size() == formats::kSlots) continue;
      slot = slot_of.emplace(chunk.conn, static_cast<std::uint8_t>(slot_of.size())).first;
    }
    // Whole tenths of a second only; the remainder carries over to the next gap.
    for (long long gap = (chunk.at_ms - clock_ms) / 100; gap > 0;) {
      const auto step = static_cast<std::uint16_t>(std::min<long long>(gap, 0xffff));
      records.push_back({Record::Kind::advance, 0, {}, step});
      clock_ms += step * 100LL;
      gap -= step;
    }
    switch (chunk.dir) {
      case Dir::open:
        records.push_back({Record::Kind::reconnect, slot->second, {}, 0});
        break;
      case Dir::close_by_client:
        records.push_back({Record::Kind::disconnect, slot->second, {}, 0});
        break;
      default:
        // The format's length field is 16 bits: a longer write becomes several sends.
        for (std::size_t at = 0; at < chunk.bytes.size(); at += 0xffff)
          records.push_back({Record::Kind::send, slot->second, chunk.bytes.substr(at, 0xffff), 0});
        sent = sent || !chunk.bytes.empty();
    }
  }
  if (!sent) return std::nullopt;
  return formats::serialize_transcript(records);
}

}  // namespace relaycheck::harness
