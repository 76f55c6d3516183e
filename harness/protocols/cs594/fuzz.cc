// cs594 for the network fuzzer: its login reply and the points its spec leaves open.
#include <algorithm>
#include <regex>
#include <set>

#include "harness/protocols/cs594/json_nesting.h"
#include "harness/protocols/cs594/plugin.h"
#include "proto/cs594/codec.h"
#include "proto/cs594/ops.h"

namespace relaycheck::harness::protocols::cs594 {

using netfuzz::Allowance;
using netfuzz::Tier;

namespace {

json op_named(const char* name) {
  auto op = proto::cs594::op_from_name(name);
  return op ? json(static_cast<std::int64_t>(*op)) : json();
}

// The frame's op is the one named (an op the table lists).
bool has_op(const json& f, const char* name) { return f.is_object() && f.contains("op") && f["op"] == op_named(name); }
// Two frames of the same op whose one list field (`rooms`, `users`) has the same names in
// another order, all else equal.
bool same_list_any_order(const json& e, const json& a, const char* list) {
  if (!e.is_object() || !a.is_object() || !e.contains(list) || !a.contains(list) || !e[list].is_array() ||
      !a[list].is_array())
    return false;
  json e2 = e, a2 = a;
  std::sort(e2[list].begin(), e2[list].end());
  std::sort(a2[list].begin(), a2[list].end());
  return e2 == a2;
}

// `bytes` (what a connection wrote) hold a request with this op, as JSON text writes it.
bool wrote_op(const std::string& bytes, const char* name) {
  const json op = op_named(name);
  static const std::regex op_field(R"re("op"\s*:\s*([0-9]+))re");
  for (std::sregex_iterator it(bytes.begin(), bytes.end(), op_field), end; it != end; ++it)
    if (json(std::stoll((*it)[1].str())) == op) return true;
  return false;
}

class Hints final : public netfuzz::ProtocolHints {
 public:
  bool is_login_reply(const json& f) const override {
    return f.is_object() && f.contains("op") && f["op"] == 1;  // the server echoes op 1 on success
  }
};

}  // namespace

const netfuzz::ProtocolHints& fuzz_hints() { return netfuzz::hints_instance<Hints>(); }

std::vector<Allowance> allowances() {
  return {
      {"cs594", "ERR_MALFORMED or ERR_ILLEGAL_OP for a request that does not parse", Tier::spec,
       "cs594.errors.missing-op", false,
       [](const json& e, const json& a) {
         const std::set<json> either = {op_named("ERR_MALFORMED"), op_named("ERR_ILLEGAL_OP")};
         return e.is_object() && a.is_object() && e.contains("op") && a.contains("op") && either.count(e["op"]) &&
                either.count(a["op"]);
       }},
      {"cs594", "the sender of a request the server refuses may be dropped (a close instead of what follows)",
       Tier::spec, "cs594.errors.unknown-op-others-undisturbed (or_close)", true, nullptr, true},
      {"cs594",
       "LIST_ROOMS and LIST_USERS list the names in any order (\"a complete list of rooms\": no order is given)",
       Tier::spec, "cs594.rooms.list ($unordered)", false,
       [](const json& e, const json& a) {
         return (has_op(e, "LIST_ROOMS") && has_op(a, "LIST_ROOMS") && same_list_any_order(e, a, "rooms")) ||
                (has_op(e, "LIST_USERS") && has_op(a, "LIST_USERS") && same_list_any_order(e, a, "users"));
       }},
      {"cs594",
       "ERR_NOT_IN_ROOM and ERR_ILLEGAL_OP with or without fields beyond op (the spec's forms are {'op': ...} "
       "alone)",
       Tier::spec, "cs594.rooms.leave-not-member ({op: ERR_NOT_IN_ROOM})", false,
       [](const json& e, const json& a) {
         return (has_op(e, "ERR_NOT_IN_ROOM") && has_op(a, "ERR_NOT_IN_ROOM")) ||
                (has_op(e, "ERR_ILLEGAL_OP") && has_op(a, "ERR_ILLEGAL_OP"));
       }},
      {"cs594",
       "the reference's limits on one value, 32 levels of nesting and 64 KiB (a decision; the spec sets none): "
       "its error for a value past them may be left out, and the connections part there",
       Tier::decision, "cs594.errors.too-deep, cs594.errors.too-large", true, nullptr, false,
       [](const json& e, const std::string& drawn_by) {
         return e.is_object() && e.contains("op") && e["op"].is_number_integer() && e["op"] >= 0xA &&
                (static_cast<std::size_t>(json_nesting(drawn_by).deepest) > proto::cs594::kMaxDepth ||
                 drawn_by.size() > proto::cs594::kMaxValueBytes);
       }},
      {"cs594",
       "WHISPER back to its sender (\"Server Sends\" shows the whisper to the target; an echo to the sender is not "
       "asked for; this project: it is sent): the sender's copy may be left out",
       Tier::decision, "cs594.whisper.sender-ack", false, nullptr, false,
       [](const json& e, const std::string& drawn_by) {
         return has_op(e, "WHISPER") && wrote_op(drawn_by, "WHISPER");
       }},
      {"cs594",
       "JOIN_ROOM told to the room's other members (\"Clients should expect to see a message back saying they've "
       "joined\": the joiner's own; this project: every member): it may be left out",
       Tier::decision, "cs594.rooms.join-told-to-members", false, nullptr, false,
       [](const json& e, const std::string& drawn_by) {
         return has_op(e, "JOIN_ROOM") && !wrote_op(drawn_by, "JOIN_ROOM");
       }},
      {"cs594",
       "ERR_ILLEGAL_MSG for an empty or long message (a decision: Illegal Messages \"Not currently implemented\"): "
       "the target may relay it instead, and the rooms part there",
       Tier::decision, "cs594.message.empty, cs594.message.too-long", true, nullptr, false,
       [](const json& e, const std::string&) { return has_op(e, "ERR_ILLEGAL_MSG"); }},
  };
}

}  // namespace relaycheck::harness::protocols::cs594
