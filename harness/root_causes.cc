#include "harness/root_causes.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <utility>

namespace relaycheck::harness {

namespace {

bool identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Replaces `value` in `text` by `mask`; a whole word only when `whole_word`.
std::string replace_all(const std::string& text, const std::string& value, const std::string& mask, bool whole_word) {
  std::string out;
  std::size_t from = 0;
  for (auto at = text.find(value); at != std::string::npos; at = text.find(value, at + 1)) {
    if (at < from) continue;
    if (whole_word) {
      const bool before = at > 0 && identifier_char(text[at - 1]);
      const bool after = at + value.size() < text.size() && identifier_char(text[at + value.size()]);
      if (before || after) continue;
    }
    out.append(text, from, at - from).append(mask);
    from = at + value.size();
  }
  return out.append(text, from, std::string::npos);
}

}  // namespace

std::string mask_run_names(const std::string& text, const Vars& vars) {
  std::vector<std::pair<std::string, std::string>> by_length(vars.begin(), vars.end());
  std::stable_sort(by_length.begin(), by_length.end(),
                   [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });
  std::string out = text;
  for (const auto& [name, value] : by_length) {
    if (value.empty()) continue;
    const bool short_value = value.size() < 3;
    // A short all-letter value ("on", "a") is as likely a word of the message as a name.
    if (short_value &&
        std::all_of(value.begin(), value.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }))
      continue;
    out = replace_all(out, value, "${" + name + "}", short_value);
  }
  return out;
}

void group_root_causes(std::vector<reports::ScenarioResult>& results) {
  std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> groups;  // (at, why) -> results
  for (std::size_t i = 0; i < results.size(); ++i) {
    auto& r = results[i];
    r.blocked_by.reset();
    if (r.status != reports::Status::fail || r.failed_at.empty() || r.failed_via.empty()) continue;
    groups[{r.failed_at, r.failed_why}].push_back(i);
  }
  for (const auto& [key, members] : groups) {
    if (members.size() < 2) continue;  // one failure at a step is just a failure
    // The first that counts in a default run: a spec-tier one, where there is one.
    const auto spec = std::find_if(members.begin(), members.end(),
                                   [&](std::size_t i) { return reports::tier_of(results[i].level) == "spec"; });
    const std::string& first = results[spec != members.end() ? *spec : members.front()].id;
    for (std::size_t i : members) results[i].blocked_by = reports::ScenarioResult::BlockedBy{key.first, first};
  }
}

}  // namespace relaycheck::harness
