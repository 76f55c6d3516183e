// Fuzz target: the psuirc server engine (codec + session), driven by a session transcript
// (formats/transcript.h): up to 4 connection slots on one engine that serves at most 3
// clients, so the 4th connection exercises the client limit.
//
// Checked on every action the engine takes:
//   - nothing is sent to a client after its close, and every send is one line: well-formed
//     UTF-8, one "\n" at the end and nowhere else;
//   - the session never serves more clients than its limit; "client invalid" goes only to a
//     connection that arrived when it was full, and is followed by its close;
//   - "welcome user" at most once per connection;
//   - every room message is delivered to exactly the sender's fellow members, once each: the
//     identical lines to others just before the sender's "message delivered to <room>" read
//     "<room> <sender> ..." and go to the room's members other than the sender;
//   - logged-in names are unique.
// With a custom mutator that edits the transcript as records and lines (see below).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/container/flat_set.hpp>
#include <boost/container/small_vector.hpp>

#include "fuzz/common/check.h"
#include "fuzz/common/mutate.h"
#include "fuzz/common/spare_storage.h"
#include "fuzz/common/transcript_driver.h"
#include "proto/common/framed_engine.h"
#include "proto/common/utf8.h"
#include "proto/psuirc/codec.h"
#include "proto/psuirc/session.h"

namespace {

namespace proto = relaycheck::proto;
namespace psuirc = relaycheck::proto::psuirc;
namespace fuzz = relaycheck::fuzz;
// What one input's engine leaves, the next one takes (fuzz/common/spare_storage.h): its tables, and
// the strings of its lines and send buffers.
struct Storage : fuzz::SpareStorage {
  using SpareStorage::recycle;
  static void recycle(psuirc::Line&& l) { recycle(std::move(l.text)); }
};
using Engine = proto::FramedEngine<psuirc::Codec, psuirc::Session, Storage>;

constexpr std::size_t kMaxClients = 3;

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "psuirc session_fuzz: %s\n", what.c_str());
  std::abort();
}

// Passes everything to the engine and remembers whose bytes it is handling, so the checker can
// tell a confirmation to the sender from a room message that happens to read the same.
class ActorTracker final : public proto::Engine {
 public:
  explicit ActorTracker(proto::Engine& inner) : inner_(inner) {}
  void on_connect(proto::ClientId c, proto::TimePoint now) override {
    ++calls;
    actor = 0;
    inner_.on_connect(c, now);
  }
  void on_bytes(proto::ClientId c, std::string_view b, proto::TimePoint now) override {
    ++calls;
    actor = c;
    inner_.on_bytes(c, b, now);
  }
  void on_disconnect(proto::ClientId c, proto::TimePoint now) override {
    ++calls;
    actor = 0;
    inner_.on_disconnect(c, now);
  }
  void on_tick(proto::TimePoint now) override {
    ++calls;
    actor = 0;
    inner_.on_tick(now);
  }
  std::optional<proto::TimePoint> next_deadline() const override { return inner_.next_deadline(); }
  std::vector<proto::Action> take_actions() override { return inner_.take_actions(); }
  void drain_actions(std::vector<proto::Action>& into) override { inner_.drain_actions(into); }

  proto::ClientId actor = 0;  // 0: no client's bytes
  std::uint64_t calls = 0;    // events passed on so far

 private:
  proto::Engine& inner_;
};

class Checker {
 public:
  Checker(Engine& engine, const ActorTracker& tracker) : engine_(engine), tracker_(tracker) { log_.clear(); }

  void on_action(const fuzz::DriveEvent& ev) {
    const proto::Action& a = ev.action;
    auto& s = engine_.session();
    if (tracker_.calls != seen_calls_) {  // a new write or event: earlier output is not its own
      seen_calls_ = tracker_.calls;
      log_.clear();
      // The session does not change while the driver passes on the event's actions: once per
      // event is the same check as once per action.
      check_unique_names();
    }
    if (s.connected() > kMaxClients) fail("more than " + std::to_string(kMaxClients) + " clients served");
    if (closed_.count(a.client)) fail("action for client " + std::to_string(a.client) + " after its close");
    if (a.kind == proto::Action::Kind::close) {
      closed_.insert(a.client);
      return;
    }
    if (a.bytes.empty() || a.bytes.back() != '\n' || a.bytes.find('\n') != a.bytes.size() - 1)
      fail("a send that is not exactly one line: " + a.bytes.substr(0, 80));
    const std::string_view text(a.bytes.data(), a.bytes.size() - 1);
    if (proto::find_invalid_utf8(text)) fail("ill-formed UTF-8 sent");
    if (fuzz::same(text, "client invalid")) {
      // Refused: the session does not know it, and is full.
      if (s.find_name(a.client) || s.connected() < kMaxClients) fail("client invalid sent to a served client");
    }
    if (fuzz::same(text, "welcome user") && !welcomed_.insert(a.client).second)
      fail("welcome user twice to one client");
    constexpr std::string_view delivered = "message delivered to ";
    if (a.client == tracker_.actor && fuzz::same(text.substr(0, delivered.size()), delivered))
      check_delivery(a.client, text.substr(delivered.size()));
    log_.push_back(&a);
  }

 private:
  // The deliveries of one message are the identical lines to others right before the
  // confirmation, all within the sender's current write. The sender may already be gone (it can
  // send and exit in one write), so its name is read from the line, "<room> <sender> <message>".
  void check_delivery(proto::ClientId sender, std::string_view room) {
    auto& s = engine_.session();
    boost::container::small_flat_multiset<proto::ClientId, 8> got;
    std::string_view line;
    for (auto it = log_.rbegin(); it != log_.rend() && (*it)->client != sender; ++it) {
      if (line.empty()) line = (*it)->bytes;
      if (!fuzz::same((*it)->bytes, line)) break;  // earlier output of another command
      got.insert((*it)->client);
    }
    if (!line.empty()) {
      // "<room> <sender> ..."
      const auto name_end = line.find(' ', room.size() + 1);
      if (!fuzz::same(line.substr(0, room.size()), room) || line.size() <= room.size() || line[room.size()] != ' ' ||
          name_end == std::string_view::npos)
        fail("a room message without room and sender: " + std::string(line));
      const std::string* name = s.find_name(sender);
      if (name && !fuzz::same(line.substr(room.size() + 1, name_end - room.size() - 1), *name))
        fail("a room message with the wrong sender: " + std::string(line));
    }
    // Other members cannot change while the sender's own lines are handled.
    boost::container::small_flat_multiset<proto::ClientId, 8> want;
    s.member_ids(room, members_);
    for (proto::ClientId m : members_)
      if (m != sender) want.insert(m);
    if (got != want)
      fail("room message delivered to " + std::to_string(got.size()) + " clients, the room has " +
           std::to_string(want.size()) + " other members (or not the same ones)");
  }

  void check_unique_names() {
    auto& names = names_;
    engine_.session().users(names);
    std::sort(names.begin(), names.end());
    if (std::adjacent_find(names.begin(), names.end()) != names.end()) fail("two clients with one name");
  }

  Engine& engine_;
  const ActorTracker& tracker_;
  // Flat sets with room inline: the checker runs after every action, and under ASan each
  // allocation costs more than the check.
  boost::container::small_flat_set<proto::ClientId, 16> closed_;
  boost::container::small_flat_set<proto::ClientId, 16> welcomed_;
  // Buffers, kept from input to input (a checker is made per input): each is refilled before use.
  static inline thread_local std::vector<std::string_view> names_;   // check_unique_names'
  static inline thread_local std::vector<proto::ClientId> members_;  // check_delivery's
  // This event's actions so far (the driver's, valid for the event).
  static inline thread_local std::vector<const proto::Action*> log_;
  std::uint64_t seen_calls_ = 0;
};

// Lines the mutator inserts: commands with the room and user names the seeds use, edge cases.
const std::vector<std::string>& dictionary_lines() {
  static const std::vector<std::string> lines = {
      "alice\n",
      "bob\n",
      "carol\n",
      "a\n",
      "\xc3\xa9\xc3\xa9\n",
      "liro\n",
      "LIRO\n",
      "lime lobby\n",
      "lime den\n",
      "room lobby\n",
      "room den\n",
      "room\n",
      "room \xf0\x9f\x8e\x89\n",
      "join lobby\n",
      "join den\n",
      "JoIn lobby\n",
      "join nowhere\n",
      "leve lobby\n",
      "leve den\n",
      "send lobby hi\n",
      "send lobby hello there\n",
      "send den x\n",
      "send lobby\n",
      "send\n",
      "help\n",
      "exit\n",
      "EXIT\n",
      "?\n",
      "\n",
      "\r\n",
      "xyzw\n",
      "room a\rb\n",
      "room \xff\n",
      "join \xc0\xaf\n",
      "send lobby \xe6\x97\n",
  };
  return lines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& records = fuzz::view_transcript_reused(data, size);
  psuirc::Options options;
  options.max_clients = kMaxClients;
  options.max_rooms = 8;
  Engine engine([] { return psuirc::Codec{}; }, options);
  ActorTracker tracker(engine);
  Checker checker(engine, tracker);
  fuzz::drive(tracker, records, [&](const fuzz::DriveEvent& ev) { checker.on_action(ev); });
  if (engine.session().connected() != 0) fail("clients left after every connection closed");
  return 0;
}

// The mutator works on records, so lengths stay consistent: it edits one line of one record,
// swaps a record's payload for a dictionary line, makes a label of a boundary length, or applies
// one of the shared frame-level edits (fuzz/common/mutate.h: insert, drop, duplicate, swap,
// split and move records between slots; reconnects, disconnects, time). Otherwise (and when
// the input is not a transcript) it leaves the bytes to libFuzzer.
extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t max_size,
                                               unsigned int seed) {
  fuzz::Choices choices(seed);
  auto& records = fuzz::parse_transcript_reused(data, size);
  const auto& dict = dictionary_lines();
  static const std::uint16_t kTenths[] = {1, 5, 10, 49};

  switch (choices.below(7)) {
    case 0:  // libFuzzer's own byte mutation of one payload
      if (!records.empty()) {
        fuzz::mutate_payload_bytes(records[choices.below(records.size())].payload, 64);
        break;
      }
      [[fallthrough]];
    case 1:  // insert a dictionary line
      fuzz::insert_record(records, fuzz::send_record(choices.from(dict), choices), choices);
      break;
    case 2:  // replace a payload by a dictionary line
      if (!records.empty()) records[choices.below(records.size())].payload = choices.from(dict);
      break;
    case 3:
    case 4:
      fuzz::frame_level_edit(records, choices, kTenths);
      break;
    case 5: {  // a label of a boundary length (as far as max_size allows)
      const std::size_t n = std::min(fuzz::boundary_length({256, 1024, 4096}, choices), max_size / 2);
      static const char* prefixes[] = {"", "room ", "join ", "send lobby "};
      fuzz::insert_record(
          records,
          fuzz::send_record(choices.from(prefixes) + std::string(n, static_cast<char>('a' + choices.below(26))) + "\n",
                            choices),
          choices);
      break;
    }
    default:
      return fuzz::libfuzzer_mutate(data, size, max_size);
  }
  return fuzz::write_back(records, data, size, max_size);
}
