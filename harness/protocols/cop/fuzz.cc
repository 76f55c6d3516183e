// cop for the network fuzzer: its login reply and the points its spec leaves open.
#include <optional>
#include <variant>

#include "harness/protocols/cop/plugin.h"
#include "proto/cop/codec.h"

namespace relaycheck::harness::protocols::cop {

namespace {

// The bytes that drew the reference's close hold, before any other error, a frame whose own name
// field is not `nick`, the logged-in nickname: 3, 4 and 5 by their sender, the answers 7 and 8 by
// their receiver (the one answering).
bool spoofs(const std::string& bytes, const std::string& nick) {
  using proto::cop::Op;
  proto::cop::Codec codec;
  codec.feed(bytes);
  while (true) {
    auto item = codec.next();
    const auto* f = std::get_if<proto::cop::Frame>(&item);
    if (!f) return false;  // cut short or ill-formed: not a frame the reference judged by its name
    switch (f->op) {
      case Op::public_msg:
      case Op::private_msg:
      case Op::private_request:
        if (f->sender != nick) return true;
        if (f->message.size() > 512) return false;  // the project's limit (specs/README): closed for that
        break;
      case Op::private_accept:
      case Op::private_refuse:
        if (f->receiver != nick) return true;
        break;
      default:
        return false;  // not accepted from a logged-in client at all
    }
  }
}
// Both are CONNECT_ID, alike but for the id (`swapped`: with `a`'s two names the other way round).
bool connect_id_alike(const json& e, const json& a, bool swapped) {
  if (netfuzz::field(e, "op") != "CONNECT_ID" || netfuzz::field(a, "op") != "CONNECT_ID") return false;
  json e2 = e, a2 = a;
  e2.erase("id");
  a2.erase("id");
  if (swapped) {
    a2["sender"] = a.contains("receiver") ? a["receiver"] : json();
    a2["receiver"] = a.contains("sender") ? a["sender"] : json();
  }
  return e2 == a2;
}
// For a written scenario: CONNECT_ID with `e`'s two names (`swapped`: the other way round) and any id.
std::vector<json> connect_id_names(const json& e, bool swapped) {
  if (netfuzz::field(e, "op") != "CONNECT_ID") return {};
  const std::string sender = netfuzz::field(e, "sender"), receiver = netfuzz::field(e, "receiver");
  return {
      json{{"op", "CONNECT_ID"}, {"sender", swapped ? receiver : sender}, {"receiver", swapped ? sender : receiver}}};
}
// The nickname the reference accepted on the connection (its LOGIN_ACCEPTED names it).
std::optional<std::string> logged_in_as(const json& sent) {
  for (const auto& f : sent)
    if (netfuzz::field(f, "op") == "LOGIN_ACCEPTED") return netfuzz::field(f, "nickname");
  return std::nullopt;
}

class Hints final : public netfuzz::ProtocolHints {
 public:
  bool is_login_reply(const json& f) const override { return f.value("op", "") == "LOGIN_ACCEPTED"; }
};

}  // namespace

const netfuzz::ProtocolHints& fuzz_hints() { return netfuzz::hints_instance<Hints>(); }

std::vector<netfuzz::Allowance> allowances() {
  return {
      {"cop", "the id of CONNECT_ID (\"The server then creates a unique id\": any value it draws), all else the same",
       netfuzz::Tier::spec, "cop.private.connect-id-fields (the id captured)", false,
       [](const json& e, const json& a) { return connect_id_alike(e, a, false); }, false, nullptr, nullptr,
       [](const json& e) { return connect_id_names(e, false); }},
      {"cop",
       "the one field of LOGIN_ACCEPTED, LOGIN_REFUSED and UNKNOWN_USER (their tables call it \"sender\", and the "
       "server sends them: \"server\" or the nickname; this project: the nickname)",
       netfuzz::Tier::decision, "cop.login.accepted-names-nickname", false,
       [](const json& e, const json& a) {
         const std::string op = netfuzz::field(e, "op");
         return (op == "LOGIN_ACCEPTED" || op == "LOGIN_REFUSED" || op == "UNKNOWN_USER") &&
                netfuzz::field(a, "op") == op;
       }},
      {"cop",
       "which nicknames a server takes (2.1: \"it must not be larger than the maximum size imposed by the server\"; "
       "this project: 1..32 bytes, see specs/README): LOGIN_ACCEPTED or LOGIN_REFUSED for the same "
       "name, and the servers part there",
       netfuzz::Tier::decision, "cop.login.longest, cop.login.empty, cop.login.too-long", true,
       [](const json& e, const json& a) {
         const std::string ops = netfuzz::field(e, "op") + "|" + netfuzz::field(a, "op");
         return (ops == "LOGIN_ACCEPTED|LOGIN_REFUSED" || ops == "LOGIN_REFUSED|LOGIN_ACCEPTED") &&
                netfuzz::field(e, "nickname") == netfuzz::field(a, "nickname");
       }},
      {"cop",
       "which of CONNECT_ID's two names is \"sender login\" and which \"receiver login\" (3.5's table of 9 "
       "does not say from whose view; this project: the requester's, on both): the same two names the other way "
       "round, any id",
       netfuzz::Tier::decision, "cop.private.connect-id-fields", false,
       [](const json& e, const json& a) { return connect_id_alike(e, a, true); }, false, nullptr, nullptr,
       [](const json& e) { return connect_id_names(e, true); }},
      {"cop",
       "a refused LOGIN: the connection closed after LOGIN_REFUSED (3.4: \"the server does not allowed the "
       "connection and send a connection refusal packet\"; this project keeps it open for another LOGIN), and "
       "the servers part there",
       netfuzz::Tier::decision, "cop.login.retry-after-refusal", true, nullptr, false, nullptr, nullptr, nullptr,
       [](const json& last, const std::string&) { return netfuzz::field(last, "op") == "LOGIN_REFUSED"; }},
      {"cop",
       "a frame whose sender (in 7 and 8: receiver) is not the logged-in nickname (2.3: \"it MUST identify its "
       "source using (eventually assumed) nickname\"; this project: a protocol error, the close): the connection "
       "kept open, the frame dropped or handled under the real nickname, and the servers part there",
       netfuzz::Tier::decision,
       "cop.public.spoofed-sender-closes, cop.private-msg.spoofed-sender-closes, cop.private.spoofed-request-closes, "
       "cop.private.spoofed-answer-closes",
       true, nullptr, false, nullptr, nullptr, nullptr, nullptr,
       [](const json& sent, const std::string& closed_by) {
         const auto nick = logged_in_as(sent);
         return nick && spoofs(closed_by, *nick);
       }},
  };
}

}  // namespace relaycheck::harness::protocols::cop
