#pragma once
// Pattern matching of received frames (docs/scenarios.md, "Patterns") and ${var} substitution.
#include <map>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace relaycheck::harness {

using nlohmann::json;
using Vars = std::map<std::string, std::string>;

// A pattern or template that cannot be used: an undefined variable, a bad regex, an unknown
// $-form. The scenario errors rather than fails.
struct PatternError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Replaces ${name} with the variable's value; "$${" stands for a literal "${".
std::string substitute(const std::string& text, const Vars& vars);
// Substitutes inside every string of a JSON value (frames to send). Patterns are substituted
// while matching instead, where a variable inside $regex or $glob is taken literally.
json substitute_all(const json& value, const Vars& vars);

struct MatchResult {
  bool ok = false;
  std::string why;  // on mismatch: the path and the reason, e.g. "args: expected "x", got "y""
  Vars captures;
};

// How literal strings compare. Exact by default; loose for targets whose human-readable wording
// differs: letter case and runs of spaces are ignored, and text may go on after the pattern's
// last word, from a word boundary ("FAIL00 Unknown command" matches "FAIL00 UNKNOWN COMMAND,
// try HELP" but not "FAIL00 Unknown commandeer").
enum class Wording { exact, loose };

// Text as loose wording compares it: lower case, runs of white space as one space, no leading or
// trailing space.
std::string fold_wording(const std::string& s);

MatchResult match(const json& pattern, const json& value, const Vars& vars, Wording wording = Wording::exact);

// Shell-style glob: '*' any run, '?' one character, '\\' escapes the next one.
bool glob_match(const std::string& pattern, const std::string& text);
// A key a pattern form may use ($regex, $any_of, ...); the loader refuses others up front.
bool is_pattern_form(const std::string& key);

// Throws PatternError for what match() would refuse whatever the frame and variables: an unknown
// $-form, a form's argument of the wrong kind, a $regex that does not compile (one without ${var}s).
void check_pattern(const json& pattern);

// A value's text for captures and messages: strings as they are, the rest as JSON.
std::string text_of(const json& value);

}  // namespace relaycheck::harness
