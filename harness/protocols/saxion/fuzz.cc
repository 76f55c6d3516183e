// saxion for the network fuzzer: its login reply and the points its spec leaves open.
#include <algorithm>
#include <set>
#include <sstream>

#include "harness/protocols/saxion/plugin.h"

namespace relaycheck::harness::protocols::saxion {

using netfuzz::Allowance;
using netfuzz::field;
using netfuzz::Tier;

namespace {

bool cmd_pair(const json& a, const json& b, const std::set<std::string>& either) {
  return either.count(field(a, "cmd")) && either.count(field(b, "cmd"));
}
// Every line of `written` (the last may lack its end) starts with one of `prefixes`.
bool only_lines_starting(const std::string& written, std::initializer_list<const char*> prefixes) {
  std::istringstream in(written);
  bool any = false;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (std::none_of(prefixes.begin(), prefixes.end(), [&](const char* p) { return line.rfind(p, 0) == 0; }))
      return false;
    any = true;
  }
  return any;
}
bool is_error_code(const std::string& code) {
  return code == "DSCN" || (code.size() == 6 && code.rfind("FAIL", 0) == 0);
}
// The other code of a pair the spec allows either way, with any text: {cmd: CODE}.
std::vector<json> other_code(const json& e, const std::set<std::string>& pair) {
  std::vector<json> out;
  const std::string code = field(e, "cmd");
  if (pair.count(code))
    for (const auto& other : pair)
      if (other != code) out.push_back(json{{"cmd", other}});
  return out;
}
std::multiset<std::string> names_of_users(const std::string& args) {
  std::multiset<std::string> names;
  std::istringstream in(args.substr(std::min(args.size(), std::string("USERS ").size())));
  for (std::string n; std::getline(in, n, ':');) names.insert(n);
  return names;
}

class Hints final : public netfuzz::ProtocolHints {
 public:
  bool is_login_reply(const json& f) const override {
    return f.value("cmd", "") == "OK" && f.value("args", "").rfind("IDENT ", 0) == 0;
  }
};

}  // namespace

const netfuzz::ProtocolHints& fuzz_hints() { return netfuzz::hints_instance<Hints>(); }

std::vector<Allowance> allowances() {
  return {
      {"saxion", "FAIL00 (unknown command) or FAIL03 (login first) for a command before login", Tier::spec,
       "saxion.errors.unknown-before-login, saxion.errors.users-needs-login", false,
       [](const json& e, const json& a) {
         return cmd_pair(e, a, {"FAIL00", "FAIL03"});
       },
       false, nullptr, nullptr,
       [](const json& e) {
         return other_code(e, {"FAIL00", "FAIL03"});
       }},
      {"saxion", "IDENT with its own name when logged in: FAIL04 or FAIL01", Tier::spec,
       "saxion.errors.ident-twice-same-name", false,
       [](const json& e, const json& a) {
         return cmd_pair(e, a, {"FAIL04", "FAIL01"});
       },
       false, nullptr, nullptr,
       [](const json& e) {
         return other_code(e, {"FAIL04", "FAIL01"});
       }},
      {"saxion", "BCST from the only logged-in user: OK BCST or FAIL06", Tier::spec, "saxion.broadcast.alone", false,
       [](const json& e, const json& a) {
         return (field(e, "cmd") == "OK" && field(e, "args").rfind("BCST", 0) == 0 && field(a, "cmd") == "FAIL06") ||
                (field(a, "cmd") == "OK" && field(a, "args").rfind("BCST", 0) == 0 && field(e, "cmd") == "FAIL06");
       }},
      {"saxion", "OK USERS lists the names in any order", Tier::spec, "saxion.users.two", false,
       [](const json& e, const json& a) {
         return field(e, "cmd") == "OK" && field(a, "cmd") == "OK" && field(e, "args").rfind("USERS ", 0) == 0 &&
                field(a, "args").rfind("USERS ", 0) == 0 &&
                names_of_users(field(e, "args")) == names_of_users(field(a, "args"));
       }},
      {"saxion", "the text after an error code (FAILxx, DSCN): the table's texts describe the codes", Tier::spec,
       "saxion.errors.bcst-needs-login ({cmd: FAIL03}, the code only)", false,
       [](const json& e, const json& a) {
         return is_error_code(field(e, "cmd")) && field(e, "cmd") == field(a, "cmd");
       },
       false, nullptr, nullptr,
       [](const json& e) {
         return is_error_code(field(e, "cmd")) ? std::vector<json>{json{{"cmd", field(e, "cmd")}}}
                                               : std::vector<json>{};
       }},
      {"saxion",
       "a client's acknowledgement (OK PM_PUBKEY, OK PM_SESSIONKEY): the spec's flows answer it with nothing; an error "
       "(FAIL03 before login) or nothing",
       Tier::spec, "none yet", false, nullptr, false,
       [](const json& e, const std::string& drawn_by) {
         return field(e, "cmd").rfind("FAIL", 0) == 0 &&
                only_lines_starting(drawn_by, {"OK PM_PUBKEY", "OK PM_SESSIONKEY"});
       },
       json{{"cmd", {{"$regex", "FAIL[0-9]{2}"}}}}},
      {"saxion", "the INIT text", Tier::decision, "saxion.connect.init-text", false,
       [](const json& e, const json& a) { return field(e, "cmd") == "INIT" && field(a, "cmd") == "INIT"; }},
      {"saxion", "the username format and length: OK IDENT or FAIL02", Tier::decision, "saxion.ident.name-too-long",
       true,
       [](const json& e, const json& a) {
         auto ok_ident = [](const json& f) {
           return field(f, "cmd") == "OK" && field(f, "args").rfind("IDENT", 0) == 0;
         };
         return (ok_ident(e) && field(a, "cmd") == "FAIL02") || (ok_ident(a) && field(e, "cmd") == "FAIL02");
       }},
  };
}

}  // namespace relaycheck::harness::protocols::saxion
