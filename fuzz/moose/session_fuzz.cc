// Fuzz target: the moose engine with the pass-through envelope (blocks are the inner JSON text
// itself), driven by a session transcript (formats/transcript.h) in virtual time, so the
// 7 s probe, the 3 s removal and the 60 s ring timeout all run. Slots 0-2 are clients (raw
// packet lines); slot 3 is the control channel, so end-user events (ring, write, type, leave,
// service changes) are actions of the transcript too.
//
// Checked on every action the engine takes:
//   - client sends are single raw packet lines addressed to "client" whose inner packet is a
//     JSON object of a type only the server sends, with that type's fields; a msg or
//     chat_state has I/O "in" and the recipient's UUID; probe names its recipient;
//   - a ring ID is won at most once: every ringACKACK for it names the same UUID, and the
//     control channel's "answered"/"unanswered" come once per ring;
//   - no two clients are associated with the same end user; a close comes only for a line over
//     the limit, and nothing follows a close;
//   - control sends are lines starting with a known word;
//   - after on_tick(now) the next deadline is later than now.
// At the end, with every connection closed, the pool is empty.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "fuzz/common/deadline_check.h"
#include "fuzz/common/mutate.h"
#include "fuzz/common/transcript_driver.h"
#include "proto/moose/ciphers.h"
#include "proto/moose/engine.h"

// Weak: the standalone replay build has no libFuzzer (and never calls the mutator).

namespace {

namespace proto = relaycheck::proto;
namespace moose = relaycheck::proto::moose;
namespace fuzz = relaycheck::fuzz;
using nlohmann::json;

constexpr std::size_t kControlSlot = 3;

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "moose session_fuzz: %s\n", what.c_str());
  std::abort();
}

bool has(const json& p, const char* key, json::value_t t) { return p.contains(key) && p[key].type() == t; }

class Checker {
 public:
  explicit Checker(moose::MooseEngine& e) : engine_(e) {}

  void on_action(const fuzz::DriveEvent& ev) {
    const proto::Action& a = ev.action;
    if (ev.slot >= fuzz::kSlots) fail("an action for a connection never opened");
    if (closed_.count(a.client)) fail("an action after the close of client " + std::to_string(a.client));
    seen_.insert(a.client);
    if (a.kind == proto::Action::Kind::close) {
      if (a.bytes != "raw packet line too long") fail("a close for another reason: " + a.bytes);
      closed_.insert(a.client);
      return;
    }
    if (a.bytes.empty() || a.bytes.back() != '\n' || a.bytes.find('\n') != a.bytes.size() - 1)
      fail("a send that is not exactly one line");
    const std::string line = a.bytes.substr(0, a.bytes.size() - 1);
    if (ev.slot == kControlSlot)
      control_line(line);
    else
      client_packet(line);
    associations();
  }

  void at_end() {
    if (!engine_.session().pool().empty()) fail("clients left in the pool after every connection closed");
  }

 private:
  void control_line(const std::string& line) {
    const std::string word = line.substr(0, line.find(' '));
    static const std::set<std::string> words = {"ok",     "error", "answered", "unanswered", "said",
                                                "typing", "ended", "stats",    "clients",    "last-error"};
    if (!words.count(word)) fail("control line with an unknown word: " + line);
    if (word == "answered" || word == "unanswered") {
      const std::string id = line.substr(word.size() + 1, line.find(' ', word.size() + 1) - word.size() - 1);
      if (!resolved_.insert(id).second) fail("ring " + id + " resolved twice: " + line);
    }
  }

  void client_packet(const std::string& line) {
    const json raw = json::parse(line, nullptr, false);
    if (raw.is_discarded() || raw.value("to", "") != "client" || !has(raw, "messages", json::value_t::array) ||
        raw["messages"].size() != 1 || !raw["messages"][0].is_string())
      fail("not a raw packet to a client: " + line);
    const json p = json::parse(raw["messages"][0].get<std::string>(), nullptr, false);
    if (!p.is_object() || !has(p, "type", json::value_t::string)) fail("inner packet without a type: " + line);
    const std::string type = p["type"];
    // The engine seals with the recipient's UUID at the time (it may have left since, later in
    // the same chunk), so the inner packet is checked against the raw packet's UUID.
    if (!has(raw, "UUID", json::value_t::string) || raw["UUID"].get_ref<const std::string&>().empty())
      fail("raw packet without the recipient's UUID: " + line);
    const std::string* uuid = &raw["UUID"].get_ref<const std::string&>();
    if (type == "ring") {
      if (!p["ID"].is_number_integer() || !has(p, "group", json::value_t::string)) fail("bad ring: " + line);
    } else if (type == "ringACKACK") {
      if (!p["ID"].is_number_integer() || !has(p, "UUID", json::value_t::string)) fail("bad ringACKACK: " + line);
      auto [it, fresh] = winners_.emplace(p["ID"].get<std::int64_t>(), p["UUID"].get<std::string>());
      if (!fresh && it->second != p["UUID"])
        fail("two winners for ring " + p["ID"].dump() + ": " + it->second + " and " + line);
    } else if (type == "msg" || type == "chat_state") {
      if (p.value("I/O", "") != "in" || p.value("UUID", "") != *uuid)
        fail("msg/chat_state not in, or not for its client: " + line);
      if (type == "msg" && (!has(p, "msg", json::value_t::array) || p["msg"].empty()))
        fail("msg without bodies: " + line);
    } else if (type == "probe") {
      if (p.value("UUID", "") != *uuid) fail("probe not naming its recipient: " + line);
    } else if (type == "status") {
      if (!has(p, "services", json::value_t::array)) fail("status without services: " + line);
    } else if (type != "server_online") {
      fail("a packet type the server does not send: " + line);
    }
  }

  void associations() {
    std::set<std::string> users;
    for (proto::ClientId c : seen_)
      if (auto u = engine_.session().associated_user(c))
        if (!users.insert(*u).second) fail("two clients associated with end user " + *u);
  }

  moose::MooseEngine& engine_;
  std::set<proto::ClientId> closed_, seen_;
  std::set<std::string> resolved_;
  std::map<std::int64_t, std::string> winners_;
};

// --- the JSON-aware mutator -----------------------------------------------------------------

const char* pick(std::minstd_rand& rng, std::initializer_list<const char*> from) {
  return from.begin()[rng() % from.size()];
}

json random_packet(std::minstd_rand& rng) {
  const std::string uuid = pick(rng, {"a", "b", "c", "", "a "});
  json p = {{"type", pick(rng, {"key", "ringACK", "msg", "chat_state", "probeACK", "disassociate", "disconnect", "ring",
                                "status", "teleport"})},
            {"UUID", uuid}};
  const std::string type = p["type"];
  if (type == "key") p["key"] = pick(rng, {"k", "", "PEM"});
  if (type == "ringACK") p["ID"] = rng() % 3 ? json(rng() % 4) : json(std::to_string(rng() % 4));
  if (type == "msg") {
    p["msg"] = rng() % 3 ? json::array({pick(rng, {"hi", "", "\xe2\x82\xac"})}) : json(pick(rng, {"one", "x"}));
    p["I/O"] = pick(rng, {"out", "in", "sideways"});
  }
  if (type == "chat_state") {
    p["state"] = pick(rng, {"composing", "paused", "active", "bogus"});
    p["I/O"] = pick(rng, {"out", "in"});
  }
  return p;
}

std::string raw_line(const json& inner, std::minstd_rand& rng) {
  const std::string to = rng() % 8 ? "server" : pick(rng, {"client", "alice", "bob"});
  return json{{"messages", json::array({inner.dump(-1, ' ', false, json::error_handler_t::replace)})},
              {"UUID", "x"},
              {"to", to}}
             .dump(-1, ' ', false, json::error_handler_t::replace) +
         "\n";
}

std::string control_command(std::minstd_rand& rng) {
  const std::string user = pick(rng, {"eve", "frank"});
  switch (rng() % 7) {
    case 0:
      return "ring " + std::string(pick(rng, {"sms", "web", "fax"})) + " " + user + "\n";
    case 1:
      return "write " + user + " " + pick(rng, {"hello", "\xe2\x82\xac", "x y"}) + "\n";
    case 2:
      return "type " + user + " " + pick(rng, {"composing", "paused", "nope"}) + "\n";
    case 3:
      return "leave " + user + "\n";
    case 4:
      return "service " + std::string(pick(rng, {"sms", "web", "new"})) + " " + pick(rng, {"online", "offline"}) + "\n";
    case 5:
      return std::string(pick(rng, {"stats", "clients", "last-error", "bogus"})) + "\n";
    default:
      return "ring sms " + user + "\n";
  }
}

// Edits one inner packet of a client record: a field swapped for a token, dropped, or the whole
// packet replaced; the result is wrapped again, so the fuzzer works on the JSON, not the escaping.
bool mutate_client(fuzz::Record& r, std::minstd_rand& rng) {
  const auto nl = r.payload.find('\n');
  json raw = json::parse(r.payload.substr(0, nl), nullptr, false);
  if (raw.is_discarded() || !raw.contains("messages") || !raw["messages"].is_array() || raw["messages"].empty() ||
      !raw["messages"][0].is_string())
    return false;
  json inner = json::parse(raw["messages"][0].get<std::string>(), nullptr, false);
  if (!inner.is_object()) inner = random_packet(rng);
  switch (rng() % 4) {
    case 0:
      inner = random_packet(rng);
      break;
    case 1:
      if (!inner.empty()) inner.erase(std::next(inner.begin(), static_cast<long>(rng() % inner.size())).key());
      break;
    case 2: {
      json fresh = random_packet(rng);
      for (auto& [k, v] : fresh.items())
        if (rng() % 2) inner[k] = v;
      break;
    }
    default:
      inner["UUID"] = pick(rng, {"a", "b", "c"});
  }
  r.payload = raw_line(inner, rng) + (nl == std::string::npos ? "" : r.payload.substr(nl + 1));
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  moose::MooseEngine engine(std::make_shared<moose::PassThroughCipher>(), moose::Options{});
  fuzz::DeadlineCheck ticking(engine);
  Checker checker(engine);
  fuzz::drive(
      ticking, fuzz::view_transcript_reused(data, size), [&](const fuzz::DriveEvent& ev) { checker.on_action(ev); },
      kControlSlot);
  checker.at_end();
  return 0;
}

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t max_size,
                                               unsigned int seed) {
  fuzz::Choices choices(seed);
  auto& rng = choices.engine();
  auto& records = fuzz::parse_transcript_reused(data, size);
  if (records.empty() || choices.one_in(10)) return fuzz::libfuzzer_mutate(data, size, max_size);
  const std::size_t i = rng() % records.size();
  fuzz::Record& r = records[i];
  switch (rng() % 6) {
    case 0: {  // a new record: a packet, a control command or time
      fuzz::Record n;
      n.slot = static_cast<std::uint8_t>(rng() % fuzz::kSlots);
      if (rng() % 4 == 0) {
        n.kind = fuzz::Record::Kind::advance;
        static const std::uint16_t tenths[] = {70, 30, 600, 1, 0, 29, 31};  // the timers and either side of them
        n.tenths = tenths[rng() % 7];
      } else {
        n.payload = n.slot == kControlSlot ? control_command(rng) : raw_line(random_packet(rng), rng);
      }
      records.insert(records.begin() + static_cast<long>(rng() % (records.size() + 1)), n);
      break;
    }
    case 1:
      if (r.kind != fuzz::Record::Kind::send || r.slot == kControlSlot || !mutate_client(r, rng))
        r.payload = control_command(rng);
      break;
    case 2:
      fuzz::move_record_to_other_slot(records, choices);
      break;  // another client, or the control channel
    case 3:
      fuzz::duplicate_record(records, choices);
      break;
    case 4:
      fuzz::drop_record(records, choices);
      break;
    default:
      if (r.kind == fuzz::Record::Kind::send && !r.payload.empty()) fuzz::mutate_payload_bytes(r.payload, 16);
  }
  return fuzz::write_back(records, data, size, max_size);
}
