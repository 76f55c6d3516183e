// Fuzz target: the cop server engine (reference-server/proto/cop/session.h) in virtual time.
//
// The input is a transcript (formats/transcript.h): up to four connections, each a main
// connection or a private one depending on what it sends (3 users and a waiting private
// connection, or 2 users and a bridge), plus disconnects and time. Connect ids come from the
// engine's deterministic built-in sequence, so the mutator can replay an input, capture the ids
// and nicknames it produced, and splice them back in.
//
// Checked on every action: nothing is sent to or closed for a connection after it was closed;
// every byte sent to a connection that is not bridged decodes as whole server frames (never a
// client-only opcode); 11 is sent only in pairs; relayed public messages respect the 512-byte
// limit. Checked at the end (every connection closed): the
// engine holds no connection, user, request, connect id or bridge, and has no timer left.
//
// The custom mutator is structure-aware: it parses each send's payload into cop frames and
// replaces whole string fields with dictionary tokens (keeping the length consistent), sets
// lengths to boundary values (0, 32/33, 512/513, 1024/1025, -1, INT32_MIN), swaps ids for
// captured connect ids, changes opcodes, and inserts, drops, duplicates and moves frames and
// records between connections; otherwise it falls back to libFuzzer's byte mutations.
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/common/check.h"
#include "fuzz/common/mutate.h"
#include "fuzz/common/transcript_driver.h"
#include "proto/cop/codec.h"
#include "proto/cop/session.h"

namespace {

using relaycheck::fuzz::fail;

namespace cop = relaycheck::proto::cop;
using relaycheck::fuzz::Record;
using relaycheck::proto::Action;
using relaycheck::proto::ClientId;

cop::Options fuzz_options() {
  cop::Options o;  // default: the deterministic id sequence, 5 minute inactivity
  o.max_held_bytes = 4096;
  return o;
}

// What one run produced, for the invariants and for the mutator's captures.
struct Observed {
  std::vector<std::int64_t> ids;
  std::set<std::string> nicknames;
};

Observed run(const std::uint8_t* data, std::size_t size, bool check) {
  cop::Session engine(fuzz_options());
  const auto& records = relaycheck::fuzz::view_transcript_reused(data, size);
  Observed seen;
  std::set<ClientId> closed, bridged;
  std::map<ClientId, cop::Codec> decoders;
  std::map<ClientId, std::string> logged_in;  // from LOGIN_ACCEPTED
  std::size_t established = 0;
  relaycheck::fuzz::drive(engine, records, [&](const relaycheck::fuzz::DriveEvent& ev) {
    const Action& a = ev.action;
    if (check && closed.count(a.client)) fail("action for client %llu after its close", (unsigned long long)a.client);
    if (a.kind == Action::Kind::close) {
      closed.insert(a.client);
      return;
    }
    if (bridged.count(a.client)) return;  // raw bytes from the other end
    auto& dec = decoders[a.client];
    dec.feed(a.bytes);
    while (true) {
      auto item = dec.next();
      if (auto* e = std::get_if<relaycheck::proto::DecodeError>(&item)) {
        if (check) fail("server sent undecodable bytes: %s", e->describe().c_str());
        return;
      }
      auto* f = std::get_if<cop::Frame>(&item);
      if (!f) break;
      switch (f->op) {
        case cop::Op::login:
        case cop::Op::private_connect:
          if (check) fail("server sent client-only opcode %d", static_cast<int>(f->op));
          break;
        case cop::Op::login_accepted:
          seen.nicknames.insert(f->sender);
          break;
        case cop::Op::connect_id:
          seen.ids.push_back(f->id);
          break;
        case cop::Op::public_msg:
          if (check && f->message.size() > 512) fail("relayed a %zu-byte public message", f->message.size());
          break;
        case cop::Op::private_established: {
          ++established;
          bridged.insert(a.client);
          // The rest of this action is bridge data.
          dec.take_unparsed();
          return;
        }
        default:
          break;
      }
    }
    if (check && dec.buffered() != 0) fail("an action ended mid-frame");
  });
  if (check) {
    if (established % 2) fail("PRIVATE_ESTABLISHED sent %zu times, not in pairs", established);
    if (engine.connections() || !engine.users().empty() || engine.live_connect_ids() || engine.pending_requests() ||
        engine.bridges())
      fail("state left after every connection closed: %zu connections, %zu users, %zu ids, %zu requests",
           engine.connections(), engine.users().size(), engine.live_connect_ids(), engine.pending_requests());
    if (engine.next_deadline()) fail("a timer is left after every connection closed");
  }
  return seen;
}

// ---- the structure-aware mutator -------------------------------------------------------------

// One frame as the mutator sees it: an opcode and its fields, each string with the length that
// is written (normally its size; a boundary mutation may make it lie).
struct Item {
  int op = 0;  // 0..255
  std::vector<std::string> strings;
  std::vector<std::int64_t> lengths;
  std::optional<std::int64_t> id;
  std::string raw;  // op < 0: bytes that did not parse, kept as they are
};

int strings_of(int op) {
  static const int n[12] = {1, 1, 1, 2, 2, 3, 1, 2, 2, 2, 0, 0};
  return op >= 0 && op < 12 ? n[op] : 0;
}
bool has_id(int op) { return op == 9 || op == 10; }

std::vector<Item> parse_items(const std::string& p) {
  std::vector<Item> items;
  std::size_t i = 0;
  while (i < p.size()) {
    Item it;
    it.op = static_cast<unsigned char>(p[i]);
    std::size_t at = i + 1;
    bool ok = true;
    for (int k = 0; k < strings_of(it.op) && ok; ++k) {
      if (at + 4 > p.size()) {
        ok = false;
        break;
      }
      const auto len = static_cast<std::int32_t>(
          (std::uint32_t(std::uint8_t(p[at])) << 24) | (std::uint32_t(std::uint8_t(p[at + 1])) << 16) |
          (std::uint32_t(std::uint8_t(p[at + 2])) << 8) | std::uint8_t(p[at + 3]));
      if (len < 0 || at + 4 + std::size_t(len) > p.size()) {
        ok = false;
        break;
      }
      it.strings.push_back(p.substr(at + 4, std::size_t(len)));
      it.lengths.push_back(len);
      at += 4 + std::size_t(len);
    }
    if (ok && has_id(it.op)) {
      if (at + 8 > p.size())
        ok = false;
      else {
        std::uint64_t v = 0;
        for (int k = 0; k < 8; ++k) v = (v << 8) | std::uint8_t(p[at + std::size_t(k)]);
        it.id = static_cast<std::int64_t>(v);
        at += 8;
      }
    }
    if (!ok || it.op >= 12) {
      Item raw;
      raw.op = -1;
      raw.raw = p.substr(i);
      items.push_back(raw);
      break;
    }
    items.push_back(it);
    i = at;
  }
  return items;
}

std::string serialize_items(const std::vector<Item>& items) {
  std::string out;
  for (const auto& it : items) {
    if (it.op < 0) {
      out += it.raw;
      continue;
    }
    out.push_back(static_cast<char>(it.op));
    for (std::size_t k = 0; k < it.strings.size(); ++k) {
      cop::put_int32(
          out, static_cast<std::int32_t>(k < it.lengths.size() ? it.lengths[k] : std::int64_t(it.strings[k].size())));
      out += it.strings[k];
    }
    if (it.id) cop::put_int64(out, *it.id);
  }
  return out;
}

class Mutator {
 public:
  Mutator(unsigned seed, const Observed& seen) : choices_(seed) {
    tokens_ = {"alice",
               "bob",
               "carol",
               "",
               "a b",
               "x\ty",
               std::string(32, 'n'),
               std::string(33, 'n'),
               "Zo\xc3\xab",
               "\xc3\x28",
               "hi",
               std::string(512, 'm'),
               std::string(513, 'm')};
    for (const auto& n : seen.nicknames) tokens_.push_back(n);
    ids_ = {0, -1, 1, INT64_MAX, INT64_MIN};
    for (auto id : seen.ids) ids_.push_back(id), ids_.push_back(id), ids_.push_back(id);
  }

  std::size_t below(std::size_t n) { return choices_.below(n); }
  const std::string& token() { return choices_.from(tokens_); }
  std::int64_t id() { return choices_.from(ids_); }

  Item fresh_item() {
    Item it;
    it.op = static_cast<int>(below(13)) == 12 ? (below(2) ? 12 : 255) : static_cast<int>(below(12));
    reshape(it);
    return it;
  }

  // Gives an item the fields its opcode needs, keeping what fits.
  void reshape(Item& it) {
    const std::size_t n = static_cast<std::size_t>(strings_of(it.op));
    it.strings.resize(n);
    it.lengths.resize(n);
    for (std::size_t k = 0; k < n; ++k) {
      if (it.strings[k].empty() && below(2)) it.strings[k] = token();
      it.lengths[k] = static_cast<std::int64_t>(it.strings[k].size());
    }
    if (has_id(it.op)) {
      if (!it.id) it.id = id();
    } else {
      it.id.reset();
    }
  }

  void mutate_item(Item& it) {
    if (it.op < 0) {
      it = fresh_item();
      return;
    }
    switch (below(5)) {
      case 0:
        if (!it.strings.empty()) {
          const std::size_t k = below(it.strings.size());
          it.strings[k] = token();
          it.lengths[k] = static_cast<std::int64_t>(it.strings[k].size());
          return;
        }
        [[fallthrough]];
      case 1:
        if (!it.lengths.empty()) {
          static const std::int64_t boundary[] = {0, 32, 33, 512, 513, 1024, 1025, -1, INT32_MIN, INT32_MAX};
          it.lengths[below(it.lengths.size())] = boundary[below(std::size(boundary))];
          return;
        }
        [[fallthrough]];
      case 2:
        if (it.id) {
          it.id = id();
          return;
        }
        [[fallthrough]];
      case 3:
        it.op = static_cast<int>(below(12));
        reshape(it);
        return;
      default:
        it.op = below(4) == 0 ? 12 + static_cast<int>(below(244)) : static_cast<int>(below(12));
        reshape(it);
    }
  }

  void mutate(std::vector<Record>& records) {
    const std::size_t action = below(7);
    if (records.empty() || action == 0) {  // a new record with one well-formed frame
      Record r;
      r.slot = static_cast<std::uint8_t>(below(4));
      r.payload = serialize_items({fresh_item()});
      records.insert(records.begin() + static_cast<std::ptrdiff_t>(below(records.size() + 1)), r);
      return;
    }
    Record& r = records[below(records.size())];
    switch (action) {
      case 1:
      case 2:
      case 3: {  // change one frame of a send
        if (r.kind != Record::Kind::send) break;
        auto items = parse_items(r.payload);
        if (items.empty())
          items.push_back(fresh_item());
        else
          mutate_item(items[below(items.size())]);
        r.payload = serialize_items(items);
        return;
      }
      case 4: {  // insert, drop or duplicate a frame inside a send
        if (r.kind != Record::Kind::send) break;
        auto items = parse_items(r.payload);
        const std::size_t at = below(items.size() + 1);
        const std::size_t how = below(3);
        if (how == 0 || items.empty())
          items.insert(items.begin() + static_cast<std::ptrdiff_t>(at), fresh_item());
        else if (how == 1)
          items.erase(items.begin() + static_cast<std::ptrdiff_t>(below(items.size())));
        else {
          const Item copy = items[below(items.size())];
          items.insert(items.begin() + static_cast<std::ptrdiff_t>(at), copy);
        }
        r.payload = serialize_items(items);
        return;
      }
      default: {  // drop, duplicate, swap, split, move; reconnects, disconnects and time
        static const std::uint16_t tenths[] = {1, 10, 2999, 3000, 3001, 6000};
        relaycheck::fuzz::frame_level_edit(records, choices_, tenths);
        return;
      }
    }
    // The chosen record was not a send: split it into frames of a new send instead.
    Record s;
    s.slot = r.slot;
    s.payload = serialize_items({fresh_item()});
    records.push_back(s);
  }

 private:
  relaycheck::fuzz::Choices choices_;
  std::vector<std::string> tokens_;
  std::vector<std::int64_t> ids_;
};

}  // namespace

// What the last checked run observed, and its input: libFuzzer mutates an input several times
// in a row, each time the one it has just run, so the mutator's own run can mostly be skipped.
// The observations depend only on the input, so this changes no result.
struct LastRun {
  std::string input;
  Observed seen;
};
LastRun& last_run() {
  static LastRun last;
  return last;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Observed seen = run(data, size, true);
  auto& last = last_run();
  last.input.assign(reinterpret_cast<const char*>(data), size);
  last.seen = std::move(seen);
  return 0;
}

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t max_size,
                                               unsigned int seed) {
  if (seed % 5 == 0) return relaycheck::fuzz::libfuzzer_mutate(data, size, max_size);
  const auto& last = last_run();
  const bool cached = std::string_view(reinterpret_cast<const char*>(data), size) == last.input;
  const Observed seen = cached ? last.seen : run(data, size, false);
  Mutator m(seed, seen);
  auto& records = relaycheck::fuzz::parse_transcript_reused(data, size);
  const std::size_t rounds = 1 + m.below(3);
  for (std::size_t i = 0; i < rounds; ++i) m.mutate(records);
  return relaycheck::fuzz::write_back(records, data, size, max_size);
}
