// psuirc for the network fuzzer: its login reply, its replies' kinds, and the points its spec
// leaves open.
#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <set>
#include <string_view>

#include "harness/match.h"
#include "harness/protocols/psuirc/plugin.h"
#include "proto/common/utf8.h"
#include "proto/psuirc/codec.h"
#include "proto/psuirc/replies.h"

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

namespace reply = proto::psuirc::reply;
using Counts = std::pair<std::size_t, std::size_t>;  // the reference's frames and the target's an entry spans

std::string line_of(const json& f) { return netfuzz::field(f, "line"); }
bool is_line(const json& f, std::string_view text) { return loose(f) == fold_wording(std::string(text)); }

// The complete lines of `written` (a line's end, or CR LF, left off; a last line without its end
// is the start of a later one).
std::vector<std::string> complete_lines(const std::string& written) {
  std::vector<std::string> lines;
  for (std::size_t at = 0, end; (end = written.find('\n', at)) != std::string::npos; at = end + 1) {
    lines.push_back(written.substr(at, end - at));
    if (!lines.back().empty() && lines.back().back() == '\r') lines.back().pop_back();
  }
  return lines;
}
// A command line split into its word (lower case: commands are in any letter case) and the rest.
std::pair<std::string, std::string> command_of(const std::string& line) {
  const auto space = line.find(' ');
  std::string word = line.substr(0, space);
  std::transform(word.begin(), word.end(), word.begin(), [](unsigned char ch) { return std::tolower(ch); });
  return {word, space == std::string::npos ? std::string() : line.substr(space + 1)};
}
// A room's name on a list line: at least one byte, no space and no control character.
bool label_like(const std::string& s) {
  return !s.empty() && std::none_of(s.begin(), s.end(), [](unsigned char ch) { return ch <= ' ' || ch == 0x7f; });
}
// Every help command's word is named in `text`.
bool names_every_command(const std::string& text) {
  for (const char* word : {"liro", "lime", "room", "join", "leve", "send", "help", "exit"})
    if (text.find(word) == std::string::npos) return false;
  return true;
}
// Holds a code point whose readability the spec leaves open: an invisible format character, a
// space other than ' ', a private-use code point or a noncharacter (well-formed UTF-8 only).
bool holds_unclear_character(const std::string& s) {
  if (proto::find_invalid_utf8(s)) return false;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t n = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
    char32_t cp = n == 1 ? b : b & (0xff >> (n + 1));
    for (std::size_t m = 1; m < n; ++m) cp = (cp << 6) | (static_cast<unsigned char>(s[i + m]) & 0x3f);
    i += n;
    const auto in = [cp](char32_t lo, char32_t hi) { return cp >= lo && cp <= hi; };
    if (cp == 0xa0 || cp == 0xad || cp == 0x61c || cp == 0x1680 || cp == 0x180e || in(0x2000, 0x200f) ||
        in(0x2028, 0x202f) || in(0x205f, 0x206f) || cp == 0x3000 || cp == 0xfeff || in(0xfff9, 0xfffb) ||
        in(0xe000, 0xf8ff) || in(0xfdd0, 0xfdef) || (cp & 0xfffe) == 0xfffe || in(0xe0000, 0xe007f) || cp >= 0xf0000)
      return true;
  }
  return false;
}
// A $regex (ECMAScript, matched whole) for a line that reads `folded` loosely (fold_wording): any
// letter case, any run of white space where it has a space, and white space around it.
std::string loose_pattern(const std::string& folded) {
  std::string r = "\\s*";
  for (unsigned char ch : folded) {
    if (ch == ' ')
      r += "\\s+";
    else if (std::isalpha(ch))
      r += std::string("[") + static_cast<char>(ch) + static_cast<char>(std::toupper(ch)) + "]";
    else if (std::string_view("^$\\.*+?()[]{}|").find(static_cast<char>(ch)) != std::string_view::npos)
      r += std::string("\\") + static_cast<char>(ch);
    else
      r += static_cast<char>(ch);
  }
  return r + "\\s*";
}
// One of the spec's fixed replies (sections 5.10 and 6) or the reference's help line, read loosely.
bool is_fixed_reply(const json& f) {
  static const std::vector<std::string> fixed = [] {
    std::vector<std::string> v;
    for (std::string_view r : {reply::kWelcome,        reply::kInvalidUsername,
                               reply::kNameExists,     reply::kAlreadyIn,
                               reply::kInputInvalid,   reply::kClientInvalid,
                               reply::kUnknownCommand, reply::kRoomsTitle,
                               reply::kNoRooms,        reply::kInvalidRoomName,
                               reply::kNoSuchRoom,     reply::kMembersTitle,
                               reply::kRoomAdded,      reply::kAlreadyMember,
                               reply::kMemberJoined,   reply::kMemberLeft,
                               reply::kYouLeft,        reply::kGranted,
                               reply::kNotMember,      reply::kBadMessage,
                               reply::kExit,           reply::kHelp})
      v.push_back(fold_wording(std::string(r)));
    return v;
  }();
  const auto l = loose(f);
  return l && std::find(fixed.begin(), fixed.end(), *l) != fixed.end();
}
// A delivered room message, as the reference words it ("<room> <sender> <message>"): its three
// parts, or nothing for a line that is one of the fixed replies.
std::optional<std::array<std::string, 3>> delivery_parts(const json& f) {
  const std::string line = line_of(f);
  if (is_fixed_reply(f)) return std::nullopt;
  if (line.rfind(reply::kDeliveredPrefix, 0) == 0) return std::nullopt;
  const auto one = line.find(' ');
  const auto two = one == std::string::npos ? one : line.find(' ', one + 1);
  if (two == std::string::npos || two + 1 >= line.size()) return std::nullopt;
  return std::array<std::string, 3>{line.substr(0, one), line.substr(one + 1, two - one - 1), line.substr(two + 1)};
}
// `line` holds each of `parts` in order.
bool holds_in_order(const std::string& line, const std::array<std::string, 3>& parts) {
  std::size_t at = 0;
  for (const auto& p : parts) {
    const auto found = line.find(p, at);
    if (found == std::string::npos) return false;
    at = found + p.size();
  }
  return true;
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
       [](const json& e, const json& a) { return loose(e) && loose(e) == loose(a); }, false, nullptr, nullptr,
       [](const json& e) {
         const auto l = loose(e);
         return l ? std::vector<json>{json{{"line", {{"$regex", loose_pattern(*l)}}}}} : std::vector<json>{};
       }},
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
      {"psuirc",
       "the help text's words (5.8: \"Response client will receive the text describing all the available "
       "commands.\" gives no text): one line naming every command",
       Tier::spec, "psuirc.commands.help ($any), psuirc.commands.help-one-line", false, nullptr, false, nullptr,
       nullptr, nullptr, nullptr, nullptr,
       [](const std::vector<json>& e, const std::string&, const std::vector<json>& a) -> Counts {
         if (line_of(e[0]) == reply::kHelp && names_every_command(line_of(a[0]))) return {1, 1};
         return {0, 0};
       }},
      {"psuirc",
       "the help text in several lines, or in words that do not name every command (5.8 gives no text and no line "
       "count; this project: one line naming every command)",
       Tier::decision, "psuirc.commands.help-one-line", false, nullptr, false, nullptr, nullptr, nullptr, nullptr,
       nullptr,
       [](const std::vector<json>& e, const std::string&, const std::vector<json>& a) -> Counts {
         if (line_of(e[0]) != reply::kHelp) return {0, 0};
         // Where the text ends only the next reply shows: every line up to the reference's next,
         // a fixed reply, or the text's first line again (help asked twice).
         std::size_t n = 0;
         while (n < a.size() && a[n].contains("line") && !(e.size() > 1 && is_line(a[n], line_of(e[1]))) &&
                !is_fixed_reply(a[n]) && !(n > 0 && a[n] == a[0]))
           ++n;
         return {1, n};
       }},
      {"psuirc",
       "blank lines before \"exit successful\" (6: EXIT SUCCESSFUL = \"\\n exit successful\"; this project: the "
       "one line)",
       Tier::decision, "psuirc.commands.exit-one-line", false, nullptr, false, nullptr, nullptr, nullptr, nullptr,
       nullptr,
       [](const std::vector<json>& e, const std::string&, const std::vector<json>& a) -> Counts {
         if (line_of(e[0]) != reply::kExit) return {0, 0};
         std::size_t blank = 0;
         while (blank < a.size() && loose(a[blank]) == "") ++blank;
         if (blank > 0 && blank < a.size() && is_line(a[blank], reply::kExit)) return {1, blank + 1};
         return {0, 0};
       }},
      {"psuirc",
       "\"liro\" on a server that served other clients (5.2: \"Response list of all rooms\"; the reference "
       "starts each case with none): \"Available rooms\" and the reference's rooms among others, in any order",
       Tier::spec, "psuirc.rooms.create-and-list-shared", false, nullptr, false, nullptr, nullptr, nullptr, nullptr,
       nullptr,
       [](const std::vector<json>& e, const std::string& drawn_by, const std::vector<json>& a) -> Counts {
         const auto lines = complete_lines(drawn_by);
         if (std::none_of(lines.begin(), lines.end(),
                          [](const std::string& l) { return command_of(l).first == "liro"; }))
           return {0, 0};
         const bool none = line_of(e[0]) == reply::kNoRooms;
         if ((!none && line_of(e[0]) != reply::kRoomsTitle) || !is_line(a[0], reply::kRoomsTitle)) return {0, 0};
         // Each list: its title and the room lines after it (a fixed reply has a space, a room none).
         std::size_t ne = 1, na = 1;
         while (!none && ne < e.size() && label_like(line_of(e[ne]))) ++ne;
         std::multiset<std::string> listed;
         for (; na < a.size() && label_like(line_of(a[na])); ++na) listed.insert(line_of(a[na]));
         if (listed.empty()) return {0, 0};
         for (std::size_t i = 1; i < ne; ++i) {
           const auto it = listed.find(line_of(e[i]));
           if (it == listed.end()) return {0, 0};
           listed.erase(it);
         }
         return {ne, na};
       }},
      {"psuirc",
       "the sender's own copy of its room message (1: \"Any message sent to that room is forwarded to all users "
       "currently joined to that room.\", the sender among them; this project: the confirmation alone)",
       Tier::decision, "psuirc.send.no-echo-to-sender", false, nullptr, false, nullptr, nullptr, nullptr, nullptr,
       nullptr,
       [](const std::vector<json>& e, const std::string& drawn_by, const std::vector<json>& a) -> Counts {
         const std::string confirmation = line_of(e[0]);
         if (a.size() < 2 || confirmation.rfind(reply::kDeliveredPrefix, 0) != 0) return {0, 0};
         // The confirmation and the copy, in either order; the copy holds the room and the message
         // of a "send" to that room the write holds.
         const bool first = is_line(a[0], confirmation);
         if (!first && !is_line(a[1], confirmation)) return {0, 0};
         const std::string copy = line_of(first ? a[1] : a[0]);
         for (const auto& l : complete_lines(drawn_by)) {
           const auto [word, rest] = command_of(l);
           const auto space = rest.find(' ');
           if (word == "send" && space != std::string::npos &&
               confirmation == std::string(reply::kDeliveredPrefix) + rest.substr(0, space) &&
               holds_in_order(copy, {rest.substr(0, space), "", rest.substr(space + 1)}))
             return {1, 2};
         }
         return {0, 0};
       }},
      {"psuirc",
       "a room message's wording as delivered (5.7 gives none; this project: \"<room> <sender> <message>\"): "
       "any line holding the room, the sender and the message in that order",
       Tier::decision, "psuirc.send.reference-format", false,
       [](const json& e, const json& a) {
         const auto parts = delivery_parts(e);
         return parts && line_of(a) != line_of(e) && holds_in_order(line_of(a), *parts);
       }},
      {"psuirc",
       "which characters are readable in a label or a message (4: \"Must consist entirely of readable utf "
       "character values\" names none; this project: all but control characters): a format character, a space "
       "other than ' ', a private-use code point or a noncharacter may be refused (\"invalid username\", "
       "\"invalid room name\", \"invalid message format\") where the reference answers otherwise, and the "
       "servers part there",
       Tier::decision, "none yet", true, nullptr, false, nullptr, nullptr, nullptr, nullptr, nullptr,
       [](const std::vector<json>& e, const std::string& drawn_by, const std::vector<json>& a) -> Counts {
         // Which reply answers which of a write's lines is not known here: a refusal is allowed
         // where any line of the write holds such a character where it refuses one.
         for (const std::string& line : complete_lines(drawn_by)) {
           if (line_of(e[0]) == reply::kWelcome) {  // the line was a username
             if (is_line(a[0], reply::kInvalidUsername) && holds_unclear_character(line)) return {1, 1};
             continue;
           }
           const auto [word, rest] = command_of(line);
           const auto space = rest.find(' ');
           const std::string room = word == "send" ? rest.substr(0, space) : rest;
           const bool names_room =
               word == "room" || word == "join" || word == "leve" || word == "lime" || word == "send";
           if (names_room && is_line(a[0], reply::kInvalidRoomName) && holds_unclear_character(room)) return {1, 1};
           if (word == "send" && space != std::string::npos && is_line(a[0], reply::kBadMessage) &&
               line_of(e[0]) != reply::kBadMessage && holds_unclear_character(rest.substr(space + 1)))
             return {1, 1};
         }
         return {0, 0};
       }},
      {"psuirc",
       "the reference's limit on a line, a command with a 100 KiB room name and a 100 KiB message (a decision; 4 "
       "bounds a label and the spec no line): its \"input invalid\" and close may be left out where a line is "
       "longer, and the connections part there",
       Tier::decision, "psuirc.framing.line-too-long", true, nullptr, false,
       [](const json& e, const std::string& drawn_by) {
         if (!is_line(e, reply::kInputInvalid)) return false;
         // Drawn by no line's end: the line still open went over the limit (its start, written
         // before the last answer, is not in `drawn_by`; ill-formed UTF-8 has its own entry).
         if (drawn_by.find('\n') == std::string::npos) return true;
         for (std::size_t at = 0; at < drawn_by.size();) {
           std::size_t end = drawn_by.find('\n', at);
           if (end == std::string::npos) end = drawn_by.size();
           if (end - at > proto::psuirc::kMaxLineBytes + 1) return true;  // + 1: a CR before the end
           at = end + 1;
         }
         return false;
       }},
  };
}

}  // namespace relaycheck::harness::protocols::psuirc
