// Tests of pattern matching (docs/scenarios.md, "Patterns"), ${var} substitution and globs.
#include <string>

#include <gtest/gtest.h>

#include "harness/match.h"

namespace relaycheck::harness {
namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

json J(const char* text) { return json::parse(text); }

MatchResult M(const json& pattern, const json& value, const Vars& vars = {}) { return match(pattern, value, vars); }

// ---------------------------------------------------------------------------------------------
// Scalars

TEST(MatchScalars, EqualScalarsMatch) {
  EXPECT_TRUE(M("OK IDENT alice", "OK IDENT alice").ok);
  EXPECT_TRUE(M(3, 3).ok);
  EXPECT_TRUE(M(true, true).ok);
  EXPECT_TRUE(M(nullptr, nullptr).ok);
  EXPECT_TRUE(M(1.5, 1.5).ok);
}

TEST(MatchScalars, StringsAreComparedExactly) {
  EXPECT_FALSE(M("OK IDENT alice", "OK IDENT alic").ok);
  EXPECT_FALSE(M("OK IDENT alice", "OK IDENT alice ").ok);
  EXPECT_FALSE(M("ok", "OK").ok);
  EXPECT_FALSE(M("OK", "OK IDENT").ok);  // not a prefix match
  const auto r = M("OK", "NO");
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(contains(r.why, "\"OK\"")) << r.why;
  EXPECT_TRUE(contains(r.why, "\"NO\"")) << r.why;
}

TEST(MatchScalars, DifferentTypesDoNotMatch) {
  EXPECT_FALSE(M("3", 3).ok);
  EXPECT_FALSE(M(3, "3").ok);
  EXPECT_FALSE(M(true, 1).ok);
  EXPECT_FALSE(M(1, true).ok);
  EXPECT_FALSE(M(nullptr, "").ok);
  EXPECT_FALSE(M(false, nullptr).ok);
  EXPECT_FALSE(M(2, 3).ok);
  EXPECT_FALSE(M(true, false).ok);
}

TEST(MatchScalars, IntegerAndFloatCompareByValue) {
  EXPECT_TRUE(M(1, 1.0).ok);
  EXPECT_TRUE(M(1.0, 1).ok);
  EXPECT_TRUE(M(json(1u), json(1)).ok);
  EXPECT_TRUE(M(J("1"), J("1.0")).ok);
  EXPECT_FALSE(M(1, 1.5).ok);
  EXPECT_FALSE(M(1.5, 1).ok);
}

// ---------------------------------------------------------------------------------------------
// Objects and arrays

TEST(MatchStructure, PartialObjectMatchIgnoresExtraKeys) {
  const json frame = {{"cmd", "OK"}, {"args", "IDENT alice"}, {"line", "OK IDENT alice"}};
  EXPECT_TRUE(M(J(R"({"cmd": "OK"})"), frame).ok);
  EXPECT_TRUE(M(J(R"({"cmd": "OK", "args": "IDENT alice"})"), frame).ok);
  EXPECT_TRUE(M(json::object(), frame).ok);
  EXPECT_FALSE(M(J(R"({"cmd": "FAIL02"})"), frame).ok);
}

TEST(MatchStructure, MissingKeyFailsNamingIt) {
  const auto r = M(J(R"({"cmd": "OK", "code": 3})"), J(R"({"cmd": "OK"})"));
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(contains(r.why, "code")) << r.why;
  EXPECT_TRUE(contains(r.why, "missing")) << r.why;
}

TEST(MatchStructure, NestedReasonsNameTheKeyPath) {
  const json value = J(R"({"user": {"name": "alice", "roles": ["a", "b"]}})");
  auto r = M(J(R"({"user": {"name": "bob"}})"), value);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(contains(r.why, "user.name")) << r.why;
  EXPECT_TRUE(contains(r.why, "\"bob\"")) << r.why;
  EXPECT_TRUE(contains(r.why, "\"alice\"")) << r.why;

  r = M(J(R"({"user": {"age": 3}})"), value);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(contains(r.why, "user")) << r.why;
  EXPECT_TRUE(contains(r.why, "'age'")) << r.why;

  r = M(J(R"({"user": {"roles": ["a", "c"]}})"), value);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(contains(r.why, "user.roles[1]")) << r.why;
}

TEST(MatchStructure, ObjectPatternAgainstNonObject) {
  const auto r = M(J(R"({"cmd": "OK"})"), "OK");
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.why.empty());
  EXPECT_FALSE(M(J(R"({"cmd": "OK"})"), J(R"(["OK"])")).ok);
}

TEST(MatchStructure, ArraysByLengthAndElement) {
  EXPECT_TRUE(M(J("[1, \"a\", null]"), J("[1, \"a\", null]")).ok);
  EXPECT_TRUE(M(json::array(), json::array()).ok);
  auto r = M(J("[1, 2]"), J("[1, 2, 3]"));
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(contains(r.why, "2 items")) << r.why;
  EXPECT_TRUE(contains(r.why, "3")) << r.why;
  EXPECT_FALSE(M(J("[1, 2, 3]"), J("[1, 2]")).ok);
  EXPECT_FALSE(M(J("[1, 2]"), J("[2, 1]")).ok);
  EXPECT_FALSE(M(J("[1]"), J("{\"0\": 1}")).ok);
  EXPECT_FALSE(M(J("[1]"), 1).ok);
  // Elements are patterns too: partial objects inside arrays.
  EXPECT_TRUE(M(J(R"([{"cmd": "A"}, {"$any": true}])"), J(R"([{"cmd": "A", "x": 1}, 7])")).ok);
}

// ---------------------------------------------------------------------------------------------
// Special forms

TEST(MatchForms, RegexMatchesTheWholeString) {
  const json p = J(R"({"$regex": "OK USERS (\\w+:)*bob"})");
  EXPECT_TRUE(M(p, "OK USERS alice:carol:bob").ok);
  EXPECT_TRUE(M(p, "OK USERS bob").ok);
  EXPECT_FALSE(M(p, "OK USERS bobby").ok);             // trailing text
  EXPECT_FALSE(M(p, "xOK USERS bob").ok);              // leading text
  EXPECT_FALSE(M(J(R"({"$regex": "b"})"), "abc").ok);  // not a search
  EXPECT_TRUE(M(J(R"({"$regex": "a.c"})"), "abc").ok);
  EXPECT_FALSE(M(p, 3).ok);  // not a string
  const auto r = M(p, "NO");
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(contains(r.why, "\"NO\"")) << r.why;
}

TEST(MatchForms, RegexCaptureStoresGroupOne) {
  auto r = M(J(R"~({"$regex": "OK BCST (\\d+) (.*)", "$capture": "id"})~"), "OK BCST 42 hello");
  ASSERT_TRUE(r.ok) << r.why;
  EXPECT_EQ(r.captures.at("id"), "42");
  // Without a group: the whole match.
  r = M(J(R"({"$regex": "[a-z]+", "$capture": "w"})"), "hello");
  ASSERT_TRUE(r.ok) << r.why;
  EXPECT_EQ(r.captures.at("w"), "hello");
  // A failing regex captures nothing.
  r = M(J(R"({"$regex": "\\d+", "$capture": "n"})"), "abc");
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.captures.empty());
}

TEST(MatchForms, Glob) {
  const json p = J(R"({"$glob": "OK USERS *"})");
  EXPECT_TRUE(M(p, "OK USERS alice:bob").ok);
  EXPECT_TRUE(M(p, "OK USERS ").ok);
  EXPECT_FALSE(M(p, "OK USERS").ok);
  EXPECT_FALSE(M(p, "NO USERS x").ok);
  EXPECT_TRUE(M(J(R"({"$glob": "a?c"})"), "abc").ok);
  EXPECT_FALSE(M(J(R"({"$glob": "a?c"})"), "abbc").ok);
  EXPECT_FALSE(M(J(R"({"$glob": "a.c"})"), "abc").ok);  // '.' is literal in a glob
  EXPECT_FALSE(M(p, 5).ok);
}

TEST(GlobMatch, Basics) {
  EXPECT_TRUE(glob_match("saxion.ident.*", "saxion.ident.ok"));
  EXPECT_FALSE(glob_match("saxion.ident.*", "saxion.users.ok"));
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_TRUE(glob_match("", ""));
  EXPECT_FALSE(glob_match("", "a"));
  EXPECT_FALSE(glob_match("?", ""));
  EXPECT_TRUE(glob_match("*.ok", "saxion.ident.ok"));
  EXPECT_TRUE(glob_match("*a*b*c*", "xxaxxbxxcxx"));
  EXPECT_FALSE(glob_match("*a*b*c*", "xxaxxcxxbxx"));
  EXPECT_TRUE(glob_match("a*b", "ab"));
  EXPECT_TRUE(glob_match("a*b", "aXbYb"));
  EXPECT_FALSE(glob_match("a*b", "aXbY"));
  EXPECT_TRUE(glob_match("**", "abc"));
  EXPECT_TRUE(glob_match("?*?", "ab"));
  EXPECT_FALSE(glob_match("?*?", "a"));
}

TEST(GlobMatch, BackslashEscapes) {
  EXPECT_TRUE(glob_match("a\\*b", "a*b"));
  EXPECT_FALSE(glob_match("a\\*b", "aXb"));
  EXPECT_TRUE(glob_match("a\\?", "a?"));
  EXPECT_FALSE(glob_match("a\\?", "ab"));
  EXPECT_TRUE(glob_match("a\\\\b", "a\\b"));
  EXPECT_TRUE(glob_match("*\\*", "xyz*"));
  EXPECT_FALSE(glob_match("*\\*", "xyz"));
}

TEST(MatchForms, Any) {
  const json p = J(R"({"$any": true})");
  EXPECT_TRUE(M(p, "x").ok);
  EXPECT_TRUE(M(p, 1).ok);
  EXPECT_TRUE(M(p, nullptr).ok);
  EXPECT_TRUE(M(p, J("[1, {}]")).ok);
  EXPECT_TRUE(M(p, J("{\"a\": 1}")).ok);
  // Inside an object, $any still requires the key to be there.
  EXPECT_TRUE(M(J(R"({"args": {"$any": true}})"), J(R"({"args": ""})")).ok);
  EXPECT_FALSE(M(J(R"({"args": {"$any": true}})"), J(R"({"cmd": "X"})")).ok);
}

TEST(MatchForms, TypeForEachType) {
  struct Case {
    const char* type;
    json yes;
    json no;
  };
  const Case cases[] = {
      {"string", "s", 1},
      {"number", 1.5, "1.5"},
      {"integer", 3, 3.5},
      {"boolean", false, 0},
      {"array", json::array(), json::object()},
      {"object", json::object(), json::array()},
      {"null", nullptr, "null"},
  };
  for (const auto& c : cases) {
    const json p = {{"$type", c.type}};
    EXPECT_TRUE(M(p, c.yes).ok) << c.type << " vs " << c.yes.dump();
    const auto r = M(p, c.no);
    EXPECT_FALSE(r.ok) << c.type << " vs " << c.no.dump();
    EXPECT_TRUE(contains(r.why, c.type)) << r.why;
  }
  EXPECT_TRUE(M(J(R"({"$type": "number"})"), 3).ok);  // an integer is a number
  EXPECT_FALSE(M(J(R"({"$type": "string"})"), nullptr).ok);
  EXPECT_THROW(M(J(R"({"$type": "float"})"), 1.0), PatternError);
  EXPECT_THROW(M(J(R"({"$type": 3})"), 1), PatternError);
}

TEST(MatchForms, AnyOf) {
  const json p = J(R"({"$any_of": ["OK", {"$regex": "FAIL0[12]"}]})");
  EXPECT_TRUE(M(p, "OK").ok);
  EXPECT_TRUE(M(p, "FAIL02").ok);
  const auto r = M(p, "FAIL03");
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(contains(r.why, "none of the alternatives")) << r.why;
  EXPECT_THROW(M(J(R"({"$any_of": []})"), 1), PatternError);
  EXPECT_THROW(M(J(R"({"$any_of": "x"})"), 1), PatternError);
}

TEST(MatchForms, AnyOfCapturesFromTheMatchingAlternative) {
  const json p = J(R"~({"$any_of": [
      {"$regex": "A (\\w+)", "$capture": "a"},
      {"$regex": "B (\\w+)", "$capture": "b"}]})~");
  auto r = M(p, "B two");
  ASSERT_TRUE(r.ok) << r.why;
  EXPECT_EQ(r.captures.count("a"), 0u);
  EXPECT_EQ(r.captures.at("b"), "two");
  r = M(p, "A one");
  ASSERT_TRUE(r.ok) << r.why;
  EXPECT_EQ(r.captures.at("a"), "one");
  EXPECT_EQ(r.captures.count("b"), 0u);
}

TEST(MatchForms, Not) {
  const json p = J(R"({"$not": {"$regex": "FAIL.*"}})");
  EXPECT_TRUE(M(p, "OK").ok);
  const auto r = M(p, "FAIL01");
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(contains(r.why, "FAIL01")) << r.why;
  EXPECT_FALSE(M(J(R"({"$not": {"$any": true}})"), 1).ok);
  EXPECT_TRUE(M(J(R"({"$not": "x"})"), 3).ok);
  // Negation inside an object.
  EXPECT_TRUE(M(J(R"({"cmd": {"$not": "FAIL00"}})"), J(R"({"cmd": "OK"})")).ok);
  EXPECT_FALSE(M(J(R"({"cmd": {"$not": "FAIL00"}})"), J(R"({"cmd": "FAIL00"})")).ok);
}

TEST(MatchForms, CaptureOfStringsAndNonStrings) {
  auto r = M(J(R"({"$capture": "s"})"), "hello world");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.captures.at("s"), "hello world");  // strings as they are, no quotes
  r = M(J(R"({"$capture": "n"})"), 42);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.captures.at("n"), "42");
  r = M(J(R"({"$capture": "b"})"), true);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.captures.at("b"), "true");
  r = M(J(R"({"$capture": "z"})"), nullptr);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.captures.at("z"), "null");
  r = M(J(R"({"$capture": "o"})"), J(R"({"a": [1, "x"]})"));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(json::parse(r.captures.at("o")), J(R"({"a": [1, "x"]})"));
  EXPECT_EQ(r.captures.at("o"), R"({"a":[1,"x"]})");
  // Captures nested in objects and arrays.
  r = M(J(R"({"args": {"$capture": "who"}, "n": [{"$capture": "first"}, 2]})"),
        J(R"({"cmd": "X", "args": "bob", "n": [1.5, 2]})"));
  ASSERT_TRUE(r.ok) << r.why;
  EXPECT_EQ(r.captures.at("who"), "bob");
  EXPECT_EQ(r.captures.at("first"), "1.5");
  // With $type beside it: the type is checked first.
  r = M(J(R"({"$type": "integer", "$capture": "i"})"), "7");
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.captures.empty());
  EXPECT_THROW(M(J(R"({"$capture": ""})"), 1), PatternError);
  EXPECT_THROW(M(J(R"({"$capture": 3})"), 1), PatternError);
}

TEST(MatchForms, UnknownFormIsAPatternError) {
  EXPECT_THROW(M(J(R"({"$regexp": "x"})"), "x"), PatternError);
  EXPECT_THROW(M(J(R"({"$glob": "x", "$bogus": 1})"), "x"), PatternError);
  EXPECT_THROW(M(J(R"({"cmd": {"$nope": 1}})"), J(R"({"cmd": "x"})")), PatternError);
  try {
    M(J(R"({"$regexp": "x"})"), "x");
  } catch (const PatternError& e) {
    EXPECT_TRUE(contains(e.what(), "$regexp")) << e.what();
  }
}

TEST(MatchForms, BadRegexIsAPatternError) {
  EXPECT_THROW(M(J(R"({"$regex": "(unclosed"})"), "x"), PatternError);
  EXPECT_THROW(M(J(R"({"$regex": "[z-a]"})"), "x"), PatternError);
  EXPECT_THROW(M(J(R"({"$regex": 3})"), "3"), PatternError);
  EXPECT_THROW(M(J(R"({"$glob": 3})"), "3"), PatternError);
}

// ---------------------------------------------------------------------------------------------
// Variables

TEST(Substitute, ReplacesVariables) {
  const Vars vars = {{"who", "alice"}, {"n", "3"}};
  EXPECT_EQ(substitute("IDENT ${who}", vars), "IDENT alice");
  EXPECT_EQ(substitute("${who}${who}-${n}", vars), "alicealice-3");
  EXPECT_EQ(substitute("no vars $ here {}", vars), "no vars $ here {}");
  EXPECT_EQ(substitute("", vars), "");
}

TEST(Substitute, DollarDollarBraceIsALiteral) {
  EXPECT_EQ(substitute("cost $${who}", {}), "cost ${who}");
  EXPECT_EQ(substitute("$${a} ${b}", {{"b", "B"}}), "${a} B");
}

TEST(Substitute, UndefinedOrUnterminatedIsAPatternError) {
  EXPECT_THROW(substitute("IDENT ${nobody}", {{"who", "alice"}}), PatternError);
  EXPECT_THROW(substitute("IDENT ${who", {{"who", "alice"}}), PatternError);
  try {
    substitute("x ${nobody}", {});
    FAIL() << "no error";
  } catch (const PatternError& e) {
    EXPECT_TRUE(contains(e.what(), "nobody")) << e.what();
  }
}

TEST(Substitute, AllStringsOfAValue) {
  const json frame = J(R"({"cmd": "${c}", "args": ["${who}", 3, true], "${who}": "key stays"})");
  const json out = substitute_all(frame, {{"c", "IDENT"}, {"who", "bob"}});
  EXPECT_EQ(out, J(R"({"cmd": "IDENT", "args": ["bob", 3, true], "${who}": "key stays"})"));
  EXPECT_THROW(substitute_all(J(R"(["${x}"])"), {}), PatternError);
}

TEST(MatchVariables, SubstitutedInStringPatterns) {
  const Vars vars = {{"who", "alice"}};
  EXPECT_TRUE(M("OK IDENT ${who}", "OK IDENT alice", vars).ok);
  EXPECT_FALSE(M("OK IDENT ${who}", "OK IDENT bob", vars).ok);
  EXPECT_TRUE(M(J(R"({"args": "IDENT ${who}"})"), J(R"({"cmd": "OK", "args": "IDENT alice"})"), vars).ok);
  // The reason shows the substituted text.
  const auto r = M("OK IDENT ${who}", "OK IDENT bob", vars);
  EXPECT_TRUE(contains(r.why, "OK IDENT alice")) << r.why;
}

TEST(MatchVariables, UndefinedVariableIsAPatternError) {
  EXPECT_THROW(M("OK ${nobody}", "OK x", {}), PatternError);
  EXPECT_THROW(M(J(R"({"$regex": "OK ${nobody}"})"), "OK x", {}), PatternError);
  EXPECT_THROW(M(J(R"({"$glob": "OK ${nobody}"})"), "OK x", {}), PatternError);
}

TEST(MatchVariables, VariableInsideRegexIsLiteral) {
  const Vars vars = {{"v", "a.b"}, {"star", "x*"}, {"grp", "(q)"}};
  EXPECT_TRUE(M(J(R"({"$regex": "${v}"})"), "a.b", vars).ok);
  EXPECT_FALSE(M(J(R"({"$regex": "${v}"})"), "axb", vars).ok);
  EXPECT_TRUE(M(J(R"({"$regex": "OK ${star}"})"), "OK x*", vars).ok);
  EXPECT_FALSE(M(J(R"({"$regex": "OK ${star}"})"), "OK xxx", vars).ok);
  EXPECT_FALSE(M(J(R"({"$regex": "OK ${star}"})"), "OK ", vars).ok);
  // The variable's parentheses are not a group: the capture is the pattern's own group 1.
  auto r = M(J(R"~({"$regex": "${grp} (\\d+)", "$capture": "n"})~"), "(q) 12", vars);
  ASSERT_TRUE(r.ok) << r.why;
  EXPECT_EQ(r.captures.at("n"), "12");
  // The regex around the variable still works.
  EXPECT_TRUE(M(J(R"({"$regex": "${v}.+"})"), "a.bcd", vars).ok);
}

TEST(MatchVariables, VariableInsideGlobIsLiteral) {
  const Vars vars = {{"v", "a*b"}, {"q", "?"}};
  EXPECT_TRUE(M(J(R"({"$glob": "x ${v}"})"), "x a*b", vars).ok);
  EXPECT_FALSE(M(J(R"({"$glob": "x ${v}"})"), "x aZZb", vars).ok);
  EXPECT_FALSE(M(J(R"({"$glob": "${q}"})"), "z", vars).ok);
  EXPECT_TRUE(M(J(R"({"$glob": "${q}*"})"), "?abc", vars).ok);
}

TEST(MatchVariables, DollarDollarBraceInPatterns) {
  // "$${" stands for a literal "${" wherever variables are substituted.
  EXPECT_TRUE(M("cost $${x}", "cost ${x}", {}).ok);
  EXPECT_FALSE(M("cost $${x}", "cost 5", {{"x", "5"}}).ok);
  EXPECT_TRUE(M(J(R"({"$glob": "$${x}*"})"), "${x} and more", {}).ok);
  EXPECT_TRUE(M(J(R"({"$regex": "cost $${x}"})"), "cost ${x}", {}).ok);
}

TEST(MatchResultShape, CapturesOnlyOnSuccess) {
  const auto r = M(J(R"([{"$capture": "a"}, "no"])"), J(R"(["x", "yes"])"));
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.captures.empty());
  EXPECT_TRUE(contains(r.why, "[1]")) << r.why;
}

TEST(TextOf, StringsAsIsOthersAsJson) {
  EXPECT_EQ(text_of("a b"), "a b");
  EXPECT_EQ(text_of(3), "3");
  EXPECT_EQ(text_of(J("[1,2]")), "[1,2]");
  EXPECT_EQ(text_of(nullptr), "null");
}

}  // namespace
}  // namespace relaycheck::harness

namespace relaycheck::harness {
namespace {

TEST(MatchWording, ExactIsTheDefault) {
  EXPECT_FALSE(match(json("FAIL00 Unknown command"), json("FAIL00 UNKNOWN COMMAND"), {}).ok);
}

TEST(MatchWording, LooseIgnoresCaseSpacesAndTrailingWords) {
  const auto loose = Wording::loose;
  EXPECT_TRUE(match(json("FAIL00 Unknown command"), json("FAIL00 UNKNOWN COMMAND"), {}, loose).ok);
  EXPECT_TRUE(match(json("OK GOODBYE"), json("ok   goodbye  "), {}, loose).ok);
  EXPECT_TRUE(match(json("FAIL00 Unknown command"), json("FAIL00 unknown command, try HELP"), {}, loose).ok);
  // Only whole trailing words: "command" is not a prefix match of "commandeer".
  EXPECT_FALSE(match(json("FAIL00 Unknown command"), json("FAIL00 Unknown commandeer"), {}, loose).ok);
  EXPECT_FALSE(match(json("FAIL01 taken"), json("FAIL02 taken"), {}, loose).ok);
  // An empty text has no first word: it is not a prefix of a line starting with punctuation.
  EXPECT_FALSE(match(json(""), json("[lobby] bob: hi"), {}, loose).ok);
  EXPECT_FALSE(match(json(""), json("\xc3\xa9t\xc3\xa9"), {}, loose).ok);
  EXPECT_TRUE(match(json(""), json("  "), {}, loose).ok);
  // It applies inside objects and alternatives too.
  EXPECT_TRUE(match(json{{"line", "OK IDENT alice"}}, json{{"line", "ok ident ALICE"}}, {}, loose).ok);
  EXPECT_TRUE(match(json{{"$any_of", {"nope", "Hello"}}}, json("HELLO there"), {}, loose).ok);
}

}  // namespace
}  // namespace relaycheck::harness

namespace relaycheck::harness {
namespace {

TEST(MatchForms, UnorderedAssignsEachPatternADifferentItem) {
  const json p = {{"$unordered", {"a", {{"$regex", "b."}}, {{"$capture", "rest"}}}}};
  auto r = match(p, json{"bx", "z", "a"}, {});
  ASSERT_TRUE(r.ok) << r.why;
  EXPECT_EQ(r.captures.at("rest"), "z");
  EXPECT_FALSE(match(json{{"$unordered", {"a", "a"}}}, json{"a", "b"}, {}).ok);
  EXPECT_FALSE(match(json{{"$unordered", {"a"}}}, json{"a", "b"}, {}).ok);
  EXPECT_FALSE(match(json{{"$unordered", {"a"}}}, json("a"), {}).ok);
  EXPECT_THROW(match(json{{"$unordered", "a"}}, json{"a"}, {}), PatternError);
}

TEST(MatchForms, StrictRefusesExtraKeys) {
  const json p = {{"$strict", {{"op", 1}, {"name", {{"$type", "string"}}}}}};
  EXPECT_TRUE(match(p, json{{"op", 1}, {"name", "x"}}, {}).ok);
  const auto extra = match(p, json{{"op", 1}, {"name", "x"}, {"id", 7}}, {});
  EXPECT_FALSE(extra.ok);
  EXPECT_NE(extra.why.find("unexpected field 'id'"), std::string::npos) << extra.why;
  EXPECT_FALSE(match(p, json{{"op", 1}}, {}).ok);
}

TEST(MatchForms, EachItemOfAListOfAnyLength) {
  const json service = {{"name", {{"$type", "string"}}}, {"status", {{"$type", "string"}}}};
  const json p = {{"$each", service}};
  EXPECT_TRUE(match(p, json::array(), {}).ok);
  EXPECT_TRUE(match(p, json::parse(R"([{"name": "web", "status": "online"}])"), {}).ok);
  EXPECT_TRUE(
      match(p,
            json::parse(
                R"([{"name": "a", "status": "up"}, {"name": "b", "status": "up"}, {"name": "c", "status": "x"}])"),
            {})
          .ok);
  const auto bad = match(p, json::parse(R"([{"name": "a", "status": "up"}, {"name": "b"}])"), {});
  EXPECT_FALSE(bad.ok);
  EXPECT_NE(bad.why.find("[1]: missing field 'status'"), std::string::npos) << bad.why;
  EXPECT_FALSE(match(p, json{{"name", "a"}, {"status", "up"}}, {}).ok) << "an object is no list";
}

}  // namespace
}  // namespace relaycheck::harness
