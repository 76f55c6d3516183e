// psuirc for the network fuzzer: its login reply, its replies' kinds, and the points its spec
// leaves open.
#include <optional>

#include "harness/match.h"
#include "harness/protocols/psuirc/plugin.h"
#include "proto/common/utf8.h"

namespace relaycheck::harness::protocols::psuirc {

using netfuzz::Allowance;
using netfuzz::Tier;

namespace {

// A reply line read loosely (harness/match.h's loose wording); nothing for a frame without one.
std::optional<std::string> loose(const json& f) {
  if (!f.is_object() || !f.contains("line") || !f["line"].is_string()) return std::nullopt;
  return fold_wording(f["line"].get<std::string>());
}
bool is_refusal(const std::optional<std::string>& line) {
  return line == "input invalid" || line == "invalid username" || line == "client invalid";
}

class Hints final : public netfuzz::ProtocolHints {
 public:
  bool is_login_reply(const json& f) const override { return f.value("line", "") == "welcome user"; }
  // Replies are fixed phrases; deliveries start with a room name, so two words say enough.
  std::string kind_of(const json& f) const override { return netfuzz::first_words(f.value("line", ""), 2); }
};

}  // namespace

const netfuzz::ProtocolHints& fuzz_hints() { return netfuzz::hints_instance<Hints>(); }

std::vector<Allowance> allowances() {
  return {
      {"psuirc", "\"Both the server and client may terminate the connection at any time\": a close instead of a reply",
       Tier::spec, "psuirc.limits.seventh-closed (after_any)", true, nullptr, true},
      {"psuirc",
       "a reply's wording read loosely, letter case and spacing (section 6 writes \"welcome user \\n\" with a "
       "space; specs/README: exact for the reference, loose for other targets)",
       Tier::spec, "psuirc.login.welcome (wording: loose)", false,
       [](const json& e, const json& a) { return loose(e) && loose(e) == loose(a); }},
      {"psuirc",
       "a refused input other than a short name (section 6 lists \"input invalid\" and \"client invalid\" and "
       "gives \"invalid username\" only for a name under two characters): any of the three",
       Tier::spec, "none yet", false,
       [](const json& e, const json& a) {
         return is_refusal(loose(e)) && loose(e) != "invalid username" && is_refusal(loose(a));
       }},
      {"psuirc",
       "ill-formed UTF-8 closes the connection after \"input invalid\" (a decision; 4 asks for readable UTF-8 and "
       "says nothing of the answer): the target may answer otherwise and keep it, and the connections part there",
       Tier::decision, "psuirc.labels.invalid-utf8-closes", true, nullptr, false,
       [](const json& e, const std::string& drawn_by) {
         return loose(e) == "input invalid" && proto::find_invalid_utf8(drawn_by).has_value();
       }},
  };
}

}  // namespace relaycheck::harness::protocols::psuirc
