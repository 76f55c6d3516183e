// Fuzz target: the cs594 server engine (codec + session), driven by a session transcript
// (formats/transcript.h): up to 4 connection slots on one engine, virtual time (so the
// heartbeat and its 5 s timeout run), with a JSON-aware custom mutator.
//
// Checked on every action the engine takes:
//   - nothing is sent to a client after its close, and nothing to a connection never opened;
//   - every send is exactly one line holding one JSON object with an integer op from the table
//     (never 0) and the fields that op's reply carries, of the right types; a WHISPER's room is
//     "sender.target"; USER_EXIT names a user who is no longer logged in;
//   - ERR_TIMEOUT is followed by the close of that client;
//   - the session's state stays consistent: names unique, every room non-empty and all its
//     members logged in;
//   - after on_tick(now) the next deadline is later than now (else time could not advance).
// At the end, after every connection is closed, no client, user or room is left.
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

#include "fuzz/common/deadline_check.h"
#include "fuzz/common/mutate.h"
#include "fuzz/common/spare_storage.h"
#include "fuzz/common/transcript_driver.h"
#include "proto/common/framed_engine.h"
#include "proto/cs594/codec.h"
#include "proto/cs594/ops.h"
#include "proto/cs594/session.h"

namespace {

namespace proto = relaycheck::proto;
namespace cs594 = relaycheck::proto::cs594;
namespace fuzz = relaycheck::fuzz;
using cs594::json;
// The engine's tables pass from one input's engine to the next (fuzz/common/spare_storage.h).
using Engine = proto::FramedEngine<cs594::Codec, cs594::Session, fuzz::SpareStorage>;

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "cs594 session_fuzz: %s\n", what.c_str());
  std::abort();
}

bool has_string(const json& o, const char* key) { return o.contains(key) && o[key].is_string(); }

bool string_list(const json& o, const char* key) {
  if (!o.contains(key) || !o[key].is_array()) return false;
  return std::all_of(o[key].begin(), o[key].end(), [](const json& v) { return v.is_string(); });
}

class Checker {
 public:
  explicit Checker(Engine& engine) : engine_(engine) {}

  void on_action(const fuzz::DriveEvent& ev) {
    const proto::Action& a = ev.action;
    if (ev.slot >= fuzz::kSlots) fail("an action for a connection that was never opened");
    if (closed_.count(a.client)) fail("action for client " + std::to_string(a.client) + " after its close");
    if (a.kind == proto::Action::Kind::close) {
      closed_.insert(a.client);
      timed_out_.erase(a.client);
      check_state();
      return;
    }
    if (timed_out_.count(a.client)) fail("a send after ERR_TIMEOUT instead of the close");
    check_line(a.client, a.bytes);
    check_state();
  }

  void at_end() {
    const auto& s = engine_.session();
    if (s.connected() != 0 || !s.users().empty() || !s.rooms().empty())
      fail("clients, users or rooms left after every connection closed");
    if (!timed_out_.empty()) fail("ERR_TIMEOUT without a close");
  }

 private:
  void check_line(proto::ClientId to, const std::string& bytes) {
    if (bytes.empty() || bytes.back() != '\n' || bytes.find('\n') != bytes.size() - 1)
      fail("a send that is not exactly one line: " + bytes.substr(0, 80));
    const cs594::Message m = cs594::Message::parse(std::string_view(bytes).substr(0, bytes.size() - 1));
    if (!m.valid_json || !m.body.is_object()) fail("a send that is not a JSON object: " + bytes.substr(0, 80));
    const json& o = m.body;
    if (!o.contains("op") || !o["op"].is_number_integer()) fail("a send without an integer op");
    const auto op = o["op"].get<std::int64_t>();
    if (op <= 0 || !cs594::op_name(op)) fail("a send with op " + std::to_string(op));
    bool ok = true;
    switch (static_cast<cs594::Op>(op)) {
      case cs594::Op::login:
        ok = has_string(o, "username");
        break;
      case cs594::Op::list_rooms:
        ok = string_list(o, "rooms");
        break;
      case cs594::Op::list_users:
        ok = string_list(o, "users");
        break;
      case cs594::Op::join_room:
        ok = has_string(o, "user") && has_string(o, "room") && o.contains("new") && o["new"].is_boolean();
        break;
      case cs594::Op::leave_room:
        ok = has_string(o, "user") && has_string(o, "room");
        break;
      case cs594::Op::message:
        ok = has_string(o, "user") && has_string(o, "room") && has_string(o, "message");
        break;
      case cs594::Op::user_exit: {
        ok = has_string(o, "user");
        const auto users = engine_.session().users();
        if (ok && std::find(users.begin(), users.end(), o["user"].get<std::string>()) != users.end())
          fail("USER_EXIT for a user who is still logged in: " + o["user"].get<std::string>());
        break;
      }
      case cs594::Op::heartbeat:
        ok = o.size() == 1;
        break;
      case cs594::Op::whisper:
        ok = has_string(o, "sender") && has_string(o, "target") && has_string(o, "message") && has_string(o, "room") &&
             o["room"].get<std::string>() == o["sender"].get<std::string>() + "." + o["target"].get<std::string>();
        break;
      case cs594::Op::err_timeout:
        timed_out_.insert(to);
        break;
      default:
        break;  // the other errors: op only, or with user/room
    }
    if (!ok) fail("a reply without its fields: " + bytes);
  }

  void check_state() {
    const auto& s = engine_.session();
    const auto users = s.users();
    if (std::adjacent_find(users.begin(), users.end()) != users.end()) fail("two clients with one name");
    if (users.size() > s.connected()) fail("more users than connections");
    for (const auto& room : s.rooms()) {
      const auto members = s.members(room);
      if (members.empty()) fail("an empty room is kept: " + room);
      for (const auto& m : members)
        if (!std::binary_search(users.begin(), users.end(), m)) fail("a room member who is not logged in: " + m);
    }
  }

  Engine& engine_;
  std::set<proto::ClientId> closed_;
  std::set<proto::ClientId> timed_out_;  // sent ERR_TIMEOUT, close still due
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& records = fuzz::view_transcript_reused(data, size);
  Engine engine([] { return cs594::Codec{}; }, cs594::Options{});
  fuzz::DeadlineCheck ticks(engine);
  Checker checker(engine);
  fuzz::drive(ticks, records, [&](const fuzz::DriveEvent& ev) { checker.on_action(ev); });
  checker.at_end();
  return 0;
}

// ---------------------------------------------------------------------------------------------
// The custom mutator. It works on the transcript's records, so lengths stay consistent, and on
// the JSON inside a send: it swaps a value for a token or boundary string, drops or duplicates
// a key, changes a value's type, changes the op, inserts a whole request, splits a send in two
// or joins two, moves a record to another slot, and inserts time or a disconnect. Otherwise
// (and when the input is not a transcript) it leaves the bytes to libFuzzer.

namespace {

const std::vector<std::string>& tokens() {
  static const std::vector<std::string> t = {
      "alice",
      "bob",
      "carol",
      "lobby",
      "games",
      "alice.bob",
      "bob.alice",
      "",
      ".",
      "a",
      "x.y",
      std::string(32, 'n'),
      std::string(33, 'n'),
      "\xc3\xa9\xc3\xa9",
      "\t",
      "hi",
      std::string(2048, 'm'),
      std::string(2049, 'm'),
      "op",
      "message",
      "Message",
      "\xe2\x98\x83",
  };
  return t;
}

const std::vector<std::string>& keys() {
  static const std::vector<std::string> k = {"op",      "username", "room",   "user",
                                             "message", "Message",  "target", "sender"};
  return k;
}

// Whole requests the mutator inserts, with the names the seeds use.
const std::vector<std::string>& requests() {
  static const std::vector<std::string> r = {
      R"({"op":1,"username":"alice"})",
      R"({"op":1,"username":"bob"})",
      R"({"op":1,"username":"carol"})",
      R"({"op":2})",
      R"({"op":3})",
      R"({"op":3,"room":"lobby"})",
      R"({"op":4,"room":"lobby"})",
      R"({"op":4,"user":"bob","room":"games"})",
      R"({"op":5,"room":"lobby"})",
      R"({"op":6,"room":"lobby","message":"hi"})",
      R"({"op":6,"room":"alice.bob","message":"x"})",
      R"({"op":8})",
      R"({"op":9,"target":"bob","message":"psst"})",
      R"({"op":9,"target":"alice","Message":"x"})",
      R"({"op":99})",
      R"({"op": })",
      "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
      "42 ",
      "\"str\"",
  };
  return r;
}

json random_value(std::minstd_rand& rng) {
  switch (rng() % 9) {
    case 0:
      return nullptr;
    case 1:
      return static_cast<bool>(rng() % 2);
    case 2:
      return static_cast<std::int64_t>(rng() % 24) - 2;
    case 3:
      return 1.5;
    case 4:
      return json::array({tokens()[rng() % tokens().size()]});
    case 5:
      return json::object({{"name", "bob"}});
    case 6:
      return static_cast<std::uint64_t>(18446744073709551615ULL);
    default:
      return tokens()[rng() % tokens().size()];
  }
}

// One JSON-aware edit of one value's text; invalid JSON is left to the byte-level edits.
std::string mutate_value(const std::string& text, std::minstd_rand& rng) {
  json v = json::parse(text, nullptr, false);
  if (v.is_discarded() || !v.is_object()) return requests()[rng() % requests().size()];
  const auto& k = keys();
  const std::string key = k[rng() % k.size()];
  switch (rng() % 6) {
    case 0:
      v[key] = tokens()[rng() % tokens().size()];
      break;  // a token or boundary string
    case 1:
      if (!v.empty()) v.erase(v.begin());
      break;  // drop a key
    case 2:
      v[key] = random_value(rng);
      break;  // change a type
    case 3:
      v["op"] = static_cast<std::int64_t>(rng() % 21);
      break;   // another op
    case 4: {  // duplicate a key in the text
      std::string dumped = v.dump();
      if (dumped.size() > 2) dumped.insert(1, "\"" + key + "\":" + random_value(rng).dump() + ",");
      return dumped;
    }
    default:
      v = json::parse(requests()[rng() % 14]);
      break;  // a whole valid request
  }
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Splits a payload into value texts and the separators between them (the framer does this).
std::vector<std::string> values_of(const std::string& payload) {
  cs594::JsonFramer f(cs594::kMaxValueBytes, cs594::kMaxDepth);
  f.feed(payload);
  std::vector<std::string> out;
  while (true) {
    auto item = f.next();
    if (auto* v = std::get_if<std::string>(&item))
      out.push_back(std::move(*v));
    else
      break;
  }
  return out;
}

std::string join(const std::vector<std::string>& values, std::minstd_rand& rng) {
  static const char* seps[] = {"", "", "\n", " ", "\r\n", "\t "};
  std::string out;
  for (const auto& v : values) out += v + seps[rng() % 6];
  return out;
}

}  // namespace

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t max_size,
                                               unsigned int seed) {
  fuzz::Choices choices(seed);
  auto& rng = choices.engine();
  auto& records = fuzz::parse_transcript_reused(data, size);
  if (records.empty() || choices.one_in(8)) return fuzz::libfuzzer_mutate(data, size, max_size);
  static const std::uint16_t kTenths[] = {1, 10, 30, 70};
  fuzz::Record& r = records[choices.below(records.size())];
  switch (choices.below(7)) {
    case 0:
    case 1:
    case 2: {  // edit one JSON value of a send
      if (r.kind != fuzz::Record::Kind::send) break;
      auto values = values_of(r.payload);
      if (values.empty()) values.push_back(choices.from(requests()));
      auto& v = values[choices.below(values.size())];
      v = mutate_value(v, rng);
      r.payload = join(values, rng);
      break;
    }
    case 3: {  // insert a request, on its own or into a send
      const std::string& request = choices.from(requests());
      if (r.kind == fuzz::Record::Kind::send && choices.one_in(2))
        r.payload += request;
      else
        fuzz::insert_record(records, fuzz::send_record(request, choices), choices);
      break;
    }
    default:  // drop, duplicate, swap, split, move; reconnects, disconnects and time (heartbeats, timeouts)
      fuzz::frame_level_edit(records, choices, kTenths);
      break;
  }
  return fuzz::write_back(records, data, size, max_size);
}
