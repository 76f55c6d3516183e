// Tests of the scenario loader: the model a valid file produces, the typed steps' fields,
// YAML scalar typing, and the file:line:column of every kind of input error.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "harness/loader.h"

namespace relaycheck::harness {
namespace {

namespace fs = std::filesystem;

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// The error a text gives, or nothing (with a test failure) when it loads.
std::optional<ScenarioError> error_of(const std::string& text, const std::string& name = "saxion/t.yaml") {
  Suite suite;
  try {
    load_text(text, name, suite);
  } catch (const ScenarioError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a ScenarioError for:\n" << text;
  return std::nullopt;
}

// Checks "<file>:<line>:<column>: " at the start of the message, the Location, and a phrase.
void expect_error_at(const std::optional<ScenarioError>& e, const std::string& file, int line, int column,
                     const std::string& phrase) {
  ASSERT_TRUE(e.has_value());
  const std::string what = e->what();
  const std::string prefix = file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
  EXPECT_TRUE(starts_with(what, prefix)) << "message: " << what << "\nexpected prefix: " << prefix;
  EXPECT_EQ(e->where.file, file);
  EXPECT_EQ(e->where.line, line) << what;
  EXPECT_EQ(e->where.column, column) << what;
  EXPECT_TRUE(contains(what, phrase)) << "message: " << what << "\nexpected to contain: " << phrase;
}

// A scenario whose steps start on line 8; each step line is "      - KEY: VALUE", so the step's
// key is at column 9.
const std::string kHead =
    "protocol: saxion\n"    // 1
    "scenarios:\n"          // 2
    "  - id: saxion.t.a\n"  // 3
    "    spec: S\n"         // 4
    "    requirement: R\n"  // 5
    "    level: must\n"     // 6
    "    steps:\n";         // 7

std::optional<ScenarioError> step_error(const std::string& step_lines) { return error_of(kHead + step_lines); }

// ---------------------------------------------------------------------------------------------
// A valid file

const std::string kValid =
    "protocol: saxion\n"                                              // 1
    "fragments:\n"                                                    // 2
    "  hello:\n"                                                      // 3
    "    - connect: ${who}\n"                                         // 4
    "    - expect: {on: \"${who}\", frame: {cmd: INIT}}\n"            // 5
    "scenarios:\n"                                                    // 6
    "  - id: saxion.t.one\n"                                          // 7
    "    spec: \"S1\"\n"                                              // 8
    "    requirement: R1 is required.\n"                              // 9
    "    level: must\n"                                               // 10
    "    steps:\n"                                                    // 11
    "      - include: {fragment: hello, with: {who: a}}\n"            // 12
    "      - connect: [b, c]\n"                                       // 13
    "      - send: {on: a, frame: \"IDENT a\"}\n"                     // 14
    "      - send: {on: a, frames: [\"X\", {cmd: Y, args: z}]}\n"     // 15
    "      - send: {on: a, raw: \"R\\r\\n\", chop: 2, delay: 5ms}\n"  // 16
    "      - send: {on: a, hex: \"49 44 0a\"}\n"                      // 17
    "      - expect: {on: a, frame: \"OK\", within: 2s}\n"            // 18
    "      - expect: {on: a, frames: [{cmd: A}, \"B\"]}\n"            // 19
    "      - quiet: a\n"                                              // 20
    "      - quiet: [a, b]\n"                                         // 21
    "      - close: b\n"                                              // 22
    "      - expect_close: c\n"                                       // 23
    "      - expect_close: {on: a, within: 1.5s}\n"                   // 24
    "      - advance: 5m\n"                                           // 25
    "      - set: {x: 3, y: \"q\"}\n"                                 // 26
    "      - repeat: {times: 2, steps: [{connect: \"d${i}\"}]}\n"     // 27
    "      - include: hello\n"                                        // 28
    "      - quiet: {on: c}\n"                                        // 29
    "  - id: saxion.t.two\n"                                          // 30
    "    spec: S2\n"                                                  // 31
    "    requirement: R2\n"                                           // 32
    "    level: may\n"                                                // 33
    "    steps:\n"                                                    // 34
    "      - connect: a\n";                                           // 35

TEST(LoaderValid, ScenariosAndTheirFields) {
  Suite suite;
  load_text(kValid, "saxion/v.yaml", suite);
  ASSERT_EQ(suite.scenarios.size(), 2u);
  const Scenario& one = suite.scenarios[0];
  EXPECT_EQ(one.id, "saxion.t.one");
  EXPECT_EQ(one.protocol, "saxion");
  EXPECT_EQ(one.spec, "S1");
  EXPECT_EQ(one.requirement, "R1 is required.");
  EXPECT_EQ(one.level, "must");
  EXPECT_EQ(one.at.file, "saxion/v.yaml");
  EXPECT_EQ(one.at.line, 7);
  EXPECT_EQ(one.at.column, 5);
  EXPECT_EQ(one.steps.size(), 18u);

  const Scenario& two = suite.scenarios[1];
  EXPECT_EQ(two.id, "saxion.t.two");
  EXPECT_EQ(two.level, "may");
  EXPECT_EQ(two.at.line, 30);
  ASSERT_EQ(two.steps.size(), 1u);
  ASSERT_EQ(two.steps[0].kind(), Step::Kind::connect);
  EXPECT_EQ(two.steps[0].as<ConnectStep>()->connections, (std::vector<NewConnection>{{"a", ""}}));
}

TEST(LoaderValid, Fragments) {
  Suite suite;
  load_text(kValid, "saxion/v.yaml", suite);
  ASSERT_EQ(suite.fragments.count("saxion"), 1u);
  const auto& space = suite.fragments.at("saxion");
  ASSERT_EQ(space.size(), 1u);
  const Fragment& hello = space.at("hello");
  EXPECT_EQ(hello.name, "hello");
  EXPECT_EQ(hello.at.line, 3);
  EXPECT_EQ(hello.at.column, 3);
  ASSERT_EQ(hello.steps.size(), 2u);
  ASSERT_EQ(hello.steps[0].kind(), Step::Kind::connect);
  // substituted when run, not loaded
  EXPECT_EQ(hello.steps[0].as<ConnectStep>()->connections, (std::vector<NewConnection>{{"${who}", ""}}));
  EXPECT_EQ(hello.steps[0].at.line, 4);
  EXPECT_EQ(hello.steps[0].at.column, 7);
  const auto* expect = hello.steps[1].as<ExpectStep>();
  ASSERT_NE(expect, nullptr);
  EXPECT_EQ(expect->on, "${who}");
  EXPECT_EQ(expect->frames, (std::vector<FramePattern>{{json{{"cmd", "INIT"}}}}));
  EXPECT_FALSE(expect->within.has_value());
  EXPECT_FALSE(expect->or_close);
}

TEST(LoaderValid, StepKindsAndLocations) {
  Suite suite;
  load_text(kValid, "saxion/v.yaml", suite);
  const auto& steps = suite.scenarios.at(0).steps;
  using K = Step::Kind;
  const std::vector<K> kinds = {K::include,      K::connect, K::send,  K::send,   K::send,    K::send,
                                K::expect,       K::expect,  K::quiet, K::quiet,  K::close,   K::expect_close,
                                K::expect_close, K::advance, K::set,   K::repeat, K::include, K::quiet};
  ASSERT_EQ(steps.size(), kinds.size());
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    EXPECT_EQ(steps[i].kind(), kinds[i]) << "step " << i << " is " << to_string(steps[i].kind());
    EXPECT_EQ(steps[i].at.file, "saxion/v.yaml");
    EXPECT_EQ(steps[i].at.line, static_cast<int>(12 + i)) << "step " << i;
    EXPECT_EQ(steps[i].at.column, 9) << "step " << i;
  }
  EXPECT_STREQ(to_string(K::expect_close), "expect_close");
  EXPECT_STREQ(to_string(K::repeat), "repeat");
  EXPECT_STREQ(to_string(K::take_heartbeats), "take_heartbeats");
}

// A step's typed body, or a test failure.
template <class T>
const T& body(const Step& s) {
  const T* b = s.as<T>();
  EXPECT_NE(b, nullptr) << "step at line " << s.at.line << " is " << to_string(s.kind());
  static const T kNone{};
  return b ? *b : kNone;
}

std::vector<FrameTemplate> sent_frames(const Step& s) {
  const auto* frames = std::get_if<std::vector<FrameTemplate>>(&body<SendStep>(s).payload);
  EXPECT_NE(frames, nullptr) << "step at line " << s.at.line << " sends no frames";
  return frames ? *frames : std::vector<FrameTemplate>{};
}

TEST(LoaderValid, TypedFields) {
  Suite suite;
  load_text(kValid, "saxion/v.yaml", suite);
  const auto& s = suite.scenarios.at(0).steps;
  // include with variables
  EXPECT_EQ(body<IncludeStep>(s[0]).fragment, "hello");
  EXPECT_EQ(body<IncludeStep>(s[0]).with, (std::map<std::string, std::string>{{"who", "a"}}));
  // connect a list
  EXPECT_EQ(body<ConnectStep>(s[1]).connections, (std::vector<NewConnection>{{"b", ""}, {"c", ""}}));
  // send frame -> a one-element frames list
  EXPECT_EQ(body<SendStep>(s[2]).on, "a");
  EXPECT_EQ(sent_frames(s[2]), (std::vector<FrameTemplate>{{"IDENT a"}}));
  EXPECT_FALSE(body<SendStep>(s[2]).chop.has_value());
  EXPECT_EQ(body<SendStep>(s[2]).delay, Millis{0});
  // send frames: the list as written, objects included
  EXPECT_EQ(sent_frames(s[3]), (std::vector<FrameTemplate>{{"X"}, {json{{"cmd", "Y"}, {"args", "z"}}}}));
  // raw with YAML escapes, chop, delay
  ASSERT_TRUE(std::holds_alternative<RawText>(body<SendStep>(s[4]).payload));
  EXPECT_EQ(std::get<RawText>(body<SendStep>(s[4]).payload).text, "R\r\n");
  EXPECT_EQ(body<SendStep>(s[4]).chop, std::optional<std::size_t>(2));
  EXPECT_EQ(body<SendStep>(s[4]).delay, Millis{5});
  // hex -> exact bytes
  ASSERT_TRUE(std::holds_alternative<ExactBytes>(body<SendStep>(s[5]).payload));
  EXPECT_EQ(std::get<ExactBytes>(body<SendStep>(s[5]).payload).bytes, std::string("ID\n"));
  // expect frame + within: the dialect's normalised pattern, a plain (unscaled) duration
  EXPECT_EQ(body<ExpectStep>(s[6]).on, "a");
  EXPECT_EQ(body<ExpectStep>(s[6]).frames, (std::vector<FramePattern>{{json{{"line", "OK"}}}}));
  ASSERT_TRUE(body<ExpectStep>(s[6]).within.has_value());
  EXPECT_EQ(body<ExpectStep>(s[6]).within->spec, Millis{2000});
  EXPECT_FALSE(body<ExpectStep>(s[6]).within->scaled);
  EXPECT_EQ(body<ExpectStep>(s[7]).frames, (std::vector<FramePattern>{{json{{"cmd", "A"}}}, {json{{"line", "B"}}}}));
  EXPECT_FALSE(body<ExpectStep>(s[7]).within.has_value());
  // quiet: a -> on [a]; quiet: [a, b]; close: b -> on [b]
  EXPECT_EQ(body<QuietStep>(s[8]).on, (std::vector<std::string>{"a"}));
  EXPECT_EQ(body<QuietStep>(s[9]).on, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(body<CloseStep>(s[10]).on, (std::vector<std::string>{"b"}));
  // expect_close
  EXPECT_EQ(body<ExpectCloseStep>(s[11]).on, "c");
  EXPECT_FALSE(body<ExpectCloseStep>(s[11]).within.has_value());
  EXPECT_FALSE(body<ExpectCloseStep>(s[11]).after_any);
  EXPECT_EQ(body<ExpectCloseStep>(s[12]).on, "a");
  EXPECT_EQ(body<ExpectCloseStep>(s[12]).within->spec, Millis{1500});
  // advance 5m
  EXPECT_EQ(body<AdvanceStep>(s[13]).by.spec, Millis{300000});
  // set: variables are text
  EXPECT_EQ(body<SetStep>(s[14]).vars, (std::map<std::string, std::string>{{"x", "3"}, {"y", "q"}}));
  // repeat
  EXPECT_EQ(body<RepeatStep>(s[15]).times, 2);
  const auto& inner = body<RepeatStep>(s[15]).steps;
  ASSERT_EQ(inner.size(), 1u);
  EXPECT_EQ(body<ConnectStep>(inner[0]).connections, (std::vector<NewConnection>{{"d${i}", ""}}));
  EXPECT_EQ(inner[0].at.line, 27);
  // include by name only
  EXPECT_EQ(body<IncludeStep>(s[16]).fragment, "hello");
  EXPECT_TRUE(body<IncludeStep>(s[16]).with.empty());
  // quiet: {on: c}
  EXPECT_EQ(body<QuietStep>(s[17]).on, (std::vector<std::string>{"c"}));
  EXPECT_FALSE(body<QuietStep>(s[17]).within.has_value());
}

TEST(LoaderValid, TheRestOfTheFields) {
  Suite suite;
  load_text(kHead +
                "      - connect: {name: k, channel: control}\n"
                "      - expect: {on: k, frame: X, within: \"${saxion.ping_interval} + 1s\", or_close: true}\n"
                "      - expect_close: {on: k, after_any: true}\n"
                "      - ignore: {on: k, frames: []}\n"
                "      - take_heartbeats: [k, l]\n"
                "      - input: hello\n"
                "      - input: {raw: \"x\"}\n",
            "saxion/r.yaml", suite);
  const auto& s = suite.scenarios.at(0).steps;
  ASSERT_EQ(s.size(), 7u);
  EXPECT_EQ(body<ConnectStep>(s[0]).connections, (std::vector<NewConnection>{{"k", "control"}}));
  EXPECT_TRUE(body<ExpectStep>(s[1]).or_close);
  ASSERT_TRUE(body<ExpectStep>(s[1]).within.has_value());
  EXPECT_TRUE(body<ExpectStep>(s[1]).within->scaled);
  EXPECT_TRUE(body<ExpectCloseStep>(s[2]).after_any);
  EXPECT_TRUE(body<IgnoreStep>(s[3]).frames.empty());
  EXPECT_EQ(body<TakeHeartbeatsStep>(s[4]).on, (std::vector<std::string>{"k", "l"}));
  EXPECT_EQ(body<InputStep>(s[5]).text, "hello\n");
  EXPECT_EQ(body<InputStep>(s[6]).text, "x");
}

TEST(LoaderValid, PlainScalarsAreTypedQuotedOnesStayStrings) {
  const std::string text =
      "protocol: saxion\n"
      "scenarios:\n"
      "  - id: saxion.t.types\n"
      "    spec: S\n"
      "    requirement: R\n"
      "    level: should\n"
      "    steps:\n"
      "      - send:\n"
      "          on: a\n"
      "          frame:\n"
      "            int: 3\n"
      "            dq: \"3\"\n"
      "            sq: '3'\n"
      "            neg: -2\n"
      "            flt: 1.5\n"
      "            yes_: true\n"
      "            no_: false\n"
      "            qtrue: \"true\"\n"
      "            nul: null\n"
      "            tilde: ~\n"
      "            empty:\n"
      "            word: abc\n"
      "            version: 1.2.3\n"
      "            mixed: 5abc\n"
      "            list: [1, \"1\", x]\n";
  Suite suite;
  load_text(text, "saxion/types.yaml", suite);
  ASSERT_EQ(suite.scenarios.size(), 1u);
  const auto& step = suite.scenarios[0].steps.at(0);
  ASSERT_EQ(step.kind(), Step::Kind::send);
  const std::vector<FrameTemplate> frames = sent_frames(step);
  ASSERT_EQ(frames.size(), 1u);
  const json& f = frames[0].value;
  EXPECT_TRUE(f.at("int").is_number_integer());
  EXPECT_EQ(f.at("int"), 3);
  EXPECT_TRUE(f.at("dq").is_string());
  EXPECT_EQ(f.at("dq"), "3");
  EXPECT_TRUE(f.at("sq").is_string());
  EXPECT_EQ(f.at("sq"), "3");
  EXPECT_TRUE(f.at("neg").is_number_integer());
  EXPECT_EQ(f.at("neg"), -2);
  EXPECT_TRUE(f.at("flt").is_number_float());
  EXPECT_DOUBLE_EQ(f.at("flt").get<double>(), 1.5);
  EXPECT_EQ(f.at("yes_"), true);
  EXPECT_EQ(f.at("no_"), false);
  EXPECT_EQ(f.at("qtrue"), "true");
  EXPECT_TRUE(f.at("nul").is_null());
  EXPECT_TRUE(f.at("tilde").is_null());
  EXPECT_TRUE(f.at("empty").is_null());
  EXPECT_EQ(f.at("word"), "abc");
  EXPECT_EQ(f.at("version"), "1.2.3");
  EXPECT_EQ(f.at("mixed"), "5abc");
  EXPECT_EQ(f.at("list"), json::parse(R"([1, "1", "x"])"));
  EXPECT_TRUE(f.at("list")[1].is_string());
}

TEST(LoaderValid, DurationsInEveryPlace) {
  Suite suite;
  load_text(kHead +
                "      - expect: {on: a, frame: X, within: 250ms}\n"
                "      - send: {on: a, raw: x, chop: 1, delay: 1.5s}\n"
                "      - advance: 3s\n"
                "      - expect_close: {on: a, within: 2m}\n",
            "saxion/d.yaml", suite);
  const auto& s = suite.scenarios.at(0).steps;
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(body<ExpectStep>(s[0]).within->spec, Millis{250});
  EXPECT_EQ(body<SendStep>(s[1]).delay, Millis{1500});
  EXPECT_EQ(body<AdvanceStep>(s[2]).by.spec, Millis{3000});
  EXPECT_EQ(body<ExpectCloseStep>(s[3]).within->spec, Millis{120000});
}

TEST(LoaderValid, FragmentsOnlyFile) {
  Suite suite;
  load_text("protocol: saxion\nfragments:\n  f:\n    - connect: a\n", "saxion/f.yaml", suite);
  EXPECT_TRUE(suite.scenarios.empty());
  ASSERT_EQ(suite.fragments["saxion"].count("f"), 1u);
  EXPECT_EQ(suite.fragments["saxion"].at("f").steps.size(), 1u);
}

// ---------------------------------------------------------------------------------------------
// Errors: YAML syntax and file structure

TEST(LoaderErrors, YamlSyntaxUnclosedBracket) {
  // The flow list opened on line 4 is still open when line 5 starts; yaml-cpp gives up at the
  // first token that cannot continue the list: "level" at line 5, column 5.
  const std::string text =
      "protocol: saxion\n"          // 1
      "scenarios:\n"                // 2
      "  - id: saxion.t.a\n"        // 3
      "    steps: [{connect: a}\n"  // 4
      "    level: must\n";          // 5
  expect_error_at(error_of(text), "saxion/t.yaml", 5, 5, "YAML syntax");
  // Left open at the end of the file: the end of the file (line 5, column 1) is where.
  expect_error_at(error_of("protocol: saxion\n"            // 1
                           "scenarios:\n"                  // 2
                           "  - id: saxion.t.a\n"          // 3
                           "    steps: [{connect: a}\n"),  // 4
                  "saxion/t.yaml", 5, 1, "YAML syntax");
}

TEST(LoaderErrors, YamlSyntaxIllegalMapValue) {
  // "a: b: c" -- the second ':' (column 19 of line 5) is where the error is.
  const std::string text =
      "protocol: saxion\n"        // 1
      "scenarios:\n"              // 2
      "  - id: saxion.t.a\n"      // 3
      "    spec: S\n"             // 4
      "    requirement: R: x\n";  // 5: "    requirement: R" is 18 characters
  expect_error_at(error_of(text), "saxion/t.yaml", 5, 19, "YAML syntax");
}

TEST(LoaderErrors, UnknownTopLevelKey) {
  const std::string text =
      "protocol: saxion\n"  // 1
      "scenario:\n"         // 2
      "  - id: saxion.t.a\n";
  expect_error_at(error_of(text), "saxion/t.yaml", 2, 1, "unknown key 'scenario'");
}

TEST(LoaderErrors, UnknownProtocol) {
  const std::string text =
      "# a comment\n"        // 1
      "protocol: chatter\n"  // 2: value at column 11
      "scenarios: []\n";
  expect_error_at(error_of(text), "saxion/t.yaml", 2, 11, "unknown protocol 'chatter'");
}

TEST(LoaderErrors, MissingProtocol) {
  expect_error_at(error_of("\nscenarios: []\n"), "saxion/t.yaml", 2, 1, "missing 'protocol'");
}

TEST(LoaderErrors, NeitherScenariosNorFragments) {
  expect_error_at(error_of("protocol: saxion\n"), "saxion/t.yaml", 1, 1, "neither");
}

// A valid first scenario (lines 3-7) followed by a second one starting on line 8, column 5.
const std::string kFirst =
    "protocol: saxion\n"            // 1
    "scenarios:\n"                  // 2
    "  - id: saxion.t.first\n"      // 3
    "    spec: S\n"                 // 4
    "    requirement: R\n"          // 5
    "    level: must\n"             // 6
    "    steps: [{connect: a}]\n";  // 7

TEST(LoaderErrors, MissingId) {
  const std::string text = kFirst +
                           "  - spec: S\n"  // 8
                           "    requirement: R\n"
                           "    level: must\n"
                           "    steps: [{connect: a}]\n";
  expect_error_at(error_of(text), "saxion/t.yaml", 8, 5, "missing 'id'");
}

TEST(LoaderErrors, MissingSpec) {
  const std::string text = kFirst +
                           "  - id: saxion.t.b\n"  // 8
                           "    requirement: R\n"
                           "    level: must\n"
                           "    steps: [{connect: a}]\n";
  expect_error_at(error_of(text), "saxion/t.yaml", 8, 5, "missing 'spec'");
}

TEST(LoaderErrors, MissingRequirement) {
  const std::string text = kFirst +
                           "  - id: saxion.t.b\n"  // 8
                           "    spec: S\n"
                           "    level: must\n"
                           "    steps: [{connect: a}]\n";
  expect_error_at(error_of(text), "saxion/t.yaml", 8, 5, "missing 'requirement'");
}

TEST(LoaderErrors, MissingLevel) {
  const std::string text = kFirst +
                           "  - id: saxion.t.b\n"  // 8
                           "    spec: S\n"
                           "    requirement: R\n"
                           "    steps: [{connect: a}]\n";
  expect_error_at(error_of(text), "saxion/t.yaml", 8, 5, "missing 'level'");
}

TEST(LoaderErrors, MissingSteps) {
  const std::string text = kFirst +
                           "  - id: saxion.t.b\n"  // 8
                           "    spec: S\n"
                           "    requirement: R\n"
                           "    level: must\n";
  expect_error_at(error_of(text), "saxion/t.yaml", 8, 5, "has no 'steps'");
}

TEST(LoaderErrors, EmptySteps) {
  const std::string text = kFirst +
                           "  - id: saxion.t.b\n"  // 8
                           "    spec: S\n"         // 9
                           "    requirement: R\n"  // 10
                           "    level: must\n"     // 11
                           "    steps: []\n";      // 12: '[' at column 12
  expect_error_at(error_of(text), "saxion/t.yaml", 12, 12, "'steps' is empty");
}

TEST(LoaderErrors, BadLevel) {
  const std::string text = kFirst +
                           "  - id: saxion.t.b\n"   // 8
                           "    spec: S\n"          // 9
                           "    requirement: R\n"   // 10
                           "    level: must-ish\n"  // 11: value at column 12
                           "    steps: [{connect: a}]\n";
  expect_error_at(error_of(text), "saxion/t.yaml", 11, 12, "level must be must, should, may or decision");
}

TEST(LoaderErrors, IdWithoutProtocolPrefix) {
  const std::string text = kFirst +
                           "  - id: other.t.b\n"  // 8: value at column 9
                           "    spec: S\n"
                           "    requirement: R\n"
                           "    level: must\n"
                           "    steps: [{connect: a}]\n";
  expect_error_at(error_of(text), "saxion/t.yaml", 8, 9, "must start with 'saxion.'");
  // The prefix includes the dot.
  const std::string nodot = kFirst +
                            "  - id: saxionx.b\n"
                            "    spec: S\n"
                            "    requirement: R\n"
                            "    level: must\n"
                            "    steps: [{connect: a}]\n";
  expect_error_at(error_of(nodot), "saxion/t.yaml", 8, 9, "must start with 'saxion.'");
}

TEST(LoaderErrors, UnknownScenarioKey) {
  const std::string text = kFirst +
                           "  - id: saxion.t.b\n"  // 8
                           "    spec: S\n"         // 9
                           "    requirment: R\n";  // 10
  expect_error_at(error_of(text), "saxion/t.yaml", 10, 5, "unknown key 'requirment'");
}

// ---------------------------------------------------------------------------------------------
// Errors: steps (the step lines start on line 8; "      - " puts the key at column 9)

TEST(LoaderErrors, UnknownStepKind) {
  expect_error_at(step_error("      - connect: a\n"
                             "      - jump: a\n"),  // 9
                  "saxion/t.yaml", 9, 9, "unknown step 'jump'");
}

TEST(LoaderErrors, StepWithTwoKeys) {
  expect_error_at(step_error("      - connect: a\n"  // 8
                             "      - close: a\n"    // 9: the step map starts at column 9
                             "        quiet: a\n"),  // 10
                  "saxion/t.yaml", 9, 9, "exactly one key");
  expect_error_at(step_error("      - {connect: a, close: a}\n"), "saxion/t.yaml", 8, 9, "exactly one key");
}

TEST(LoaderErrors, UnknownKeyInSend) {
  // "      - send: {on: a, frame: X, bogus: 1}": '{' at 15, "bogus" at 33.
  expect_error_at(step_error("      - send: {on: a, frame: X, bogus: 1}\n"), "saxion/t.yaml", 8, 33,
                  "unknown key 'bogus' in send");
}

TEST(LoaderErrors, UnknownKeyInExpect) {
  // "      - expect: {on: a, frmae: X}": '{' at 17, "frmae" at 25.
  expect_error_at(step_error("      - expect: {on: a, frmae: X}\n"), "saxion/t.yaml", 8, 25,
                  "unknown key 'frmae' in expect");
  // In block style: the key's own line and column.
  expect_error_at(step_error("      - expect:\n"          // 8
                             "          on: a\n"          // 9
                             "          frame: X\n"       // 10
                             "          within: 1s\n"     // 11
                             "          timeout: 1s\n"),  // 12
                  "saxion/t.yaml", 12, 11, "unknown key 'timeout' in expect");
}

TEST(LoaderErrors, SendWithTwoPayloads) {
  expect_error_at(step_error("      - send: {on: a, frame: X, raw: Y}\n"), "saxion/t.yaml", 8, 15,
                  "exactly one of frame, frames, raw, hex");
  expect_error_at(step_error("      - send: {on: a, raw: Y, hex: \"41\"}\n"), "saxion/t.yaml", 8, 15,
                  "exactly one of frame, frames, raw, hex");
}

TEST(LoaderErrors, SendWithNoPayload) {
  expect_error_at(step_error("      - connect: a\n"
                             "      - send: {on: a}\n"),  // 9
                  "saxion/t.yaml", 9, 15, "exactly one of frame, frames, raw, hex");
}

TEST(LoaderErrors, SendWithoutOn) {
  expect_error_at(step_error("      - send: {frame: X}\n"), "saxion/t.yaml", 8, 15, "missing 'on'");
}

TEST(LoaderErrors, ExpectWithoutFrame) {
  expect_error_at(step_error("      - expect: {on: a, within: 1s}\n"), "saxion/t.yaml", 8, 17, "missing 'frame'");
}

TEST(LoaderErrors, BadHex) {
  // "      - send: {on: a, hex: \"4G\"}": the quoted value starts at column 28.
  expect_error_at(step_error("      - send: {on: a, hex: \"4G\"}\n"), "saxion/t.yaml", 8, 28, "'hex' must be pairs");
  expect_error_at(step_error("      - send: {on: a, hex: \"494\"}\n"), "saxion/t.yaml", 8, 28, "'hex' must be pairs");
}

TEST(LoaderErrors, BadDuration) {
  // "      - expect: {on: a, frame: X, within: 2 parsecs}": the value starts at column 43.
  expect_error_at(step_error("      - expect: {on: a, frame: X, within: 2 parsecs}\n"), "saxion/t.yaml", 8, 43,
                  "not a duration: '2 parsecs'");
  // "      - advance: soon": the value at column 18.
  expect_error_at(step_error("      - connect: a\n"
                             "      - advance: soon\n"),
                  "saxion/t.yaml", 9, 18, "not a duration: 'soon'");
  // "      - send: {on: a, raw: x, delay: -5ms}": the value at column 38.
  expect_error_at(step_error("      - send: {on: a, raw: x, delay: -5ms}\n"), "saxion/t.yaml", 8, 38, "not a duration");
}

TEST(LoaderErrors, BadChop) {
  // "      - send: {on: a, raw: x, chop: 0}": the value at column 37.
  expect_error_at(step_error("      - send: {on: a, raw: x, chop: 0}\n"), "saxion/t.yaml", 8, 37,
                  "'chop' must be a positive integer");
  expect_error_at(step_error("      - send: {on: a, raw: x, chop: \"2\"}\n"), "saxion/t.yaml", 8, 37,
                  "'chop' must be a positive integer");
  expect_error_at(step_error("      - send: {on: a, raw: x, chop: 1.5}\n"), "saxion/t.yaml", 8, 37,
                  "'chop' must be a positive integer");
}

TEST(LoaderErrors, RepeatWithoutTimes) {
  // "      - repeat: {steps: [{connect: a}]}": '{' at column 17.
  expect_error_at(step_error("      - repeat: {steps: [{connect: a}]}\n"), "saxion/t.yaml", 8, 17,
                  "'times' must be an integer");
  expect_error_at(step_error("      - repeat: {times: -1, steps: [{connect: a}]}\n"), "saxion/t.yaml", 8, 17,
                  "'times' must be an integer");
}

TEST(LoaderErrors, RepeatWithoutSteps) {
  expect_error_at(step_error("      - repeat: {times: 2}\n"), "saxion/t.yaml", 8, 17, "missing 'steps'");
}

TEST(LoaderErrors, ErrorInsideRepeatBody) {
  // Nested steps report their own position: "        - bogus: 1" puts the key at column 11.
  expect_error_at(step_error("      - repeat:\n"           // 8
                             "          times: 2\n"        // 9
                             "          steps:\n"          // 10
                             "            - connect: a\n"  // 11
                             "            - bogus: 1\n"),  // 12: key at column 15
                  "saxion/t.yaml", 12, 15, "unknown step 'bogus'");
}

TEST(LoaderErrors, DuplicateFragmentInOneFile) {
  const std::string text =
      "protocol: saxion\n"   // 1
      "fragments:\n"         // 2
      "  f:\n"               // 3
      "    - connect: a\n"   // 4
      "  f:\n"               // 5
      "    - connect: b\n";  // 6
  expect_error_at(error_of(text, "saxion/frag.yaml"), "saxion/frag.yaml", 5, 3,
                  "fragment 'f' is already defined at saxion/frag.yaml:3:3");
}

TEST(LoaderErrors, LoadFileMissing) {
  Suite suite;
  try {
    load_file("/nonexistent/relaycheck/x.yaml", "saxion/x.yaml", suite);
    FAIL() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_TRUE(starts_with(e.what(), "saxion/x.yaml:")) << e.what();
    EXPECT_TRUE(contains(e.what(), "cannot read")) << e.what();
  }
}

// Patterns are checked when loaded, at the pattern: what match() would refuse whatever arrives.
TEST(LoaderErrors, BadPatternForms) {
  // "      - expect: {on: a, frame: {...}}": the pattern starts at column 32.
  expect_error_at(step_error("      - expect: {on: a, frame: {cmd: {$regex: \"(\"}}}\n"), "saxion/t.yaml", 8, 32,
                  "expect: bad $regex '('");
  expect_error_at(step_error("      - expect: {on: a, frame: {cmd: {$type: text}}}\n"), "saxion/t.yaml", 8, 32,
                  "$type must be string, number");
  expect_error_at(step_error("      - expect: {on: a, frame: {cmd: {$any_of: X}}}\n"), "saxion/t.yaml", 8, 32,
                  "$any_of needs a non-empty list");
  expect_error_at(step_error("      - expect: {on: a, frame: {cmd: {$not: {$regexp: X}}}}\n"), "saxion/t.yaml", 8, 32,
                  "unknown pattern form '$regexp'");
  // "      - ignore: {on: a, frames: [X, {...}]}": the second pattern at column 37.
  expect_error_at(step_error("      - ignore: {on: a, frames: [X, {cmd: {$capture: \"\"}}]}\n"), "saxion/t.yaml", 8, 37,
                  "ignore: $capture needs a variable name");
  // A $regex with a variable is only known when run.
  Suite suite;
  EXPECT_NO_THROW(
      load_text(kHead + "      - expect: {on: a, frame: {cmd: {$regex: \"${x}(\"}}}\n", "saxion/v.yaml", suite));
}

TEST(LoaderErrors, UnterminatedVariable) {
  // "      - connect: \"b${who\"": the name at column 18.
  expect_error_at(step_error("      - connect: \"b${who\"\n"), "saxion/t.yaml", 8, 18, "connect: unterminated ${");
  expect_error_at(step_error("      - send: {on: a, raw: \"x${y\"}\n"), "saxion/t.yaml", 8, 28,
                  "send: unterminated ${");
}

TEST(LoaderErrors, EmptyConnectionName) {
  expect_error_at(step_error("      - quiet: [a, \"\"]\n"), "saxion/t.yaml", 8, 20,
                  "a connection name must be a non-empty string");
}

// ---------------------------------------------------------------------------------------------
// load_suite: cross-file rules, with a scenario tree made in a temporary directory

class LoadSuite : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::temp_directory_path() / ("relaycheck-loader-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  void write(const std::string& rel, const std::string& text) {
    const fs::path p = root_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }
  std::optional<ScenarioError> suite_error(const std::vector<std::string>& protocols = {}) {
    try {
      load_suite(root_.string(), protocols);
    } catch (const ScenarioError& e) {
      return e;
    }
    ADD_FAILURE() << "load_suite gave no error";
    return std::nullopt;
  }
  fs::path root_;
};

std::string scenario_file(const std::string& id, const std::string& step = "{connect: a}") {
  return "protocol: saxion\n"  // 1
         "scenarios:\n"        // 2
         "  - id: " +
         id +
         "\n"                    // 3
         "    spec: S\n"         // 4
         "    requirement: R\n"  // 5
         "    level: must\n"     // 6
         "    steps:\n"          // 7
         "      - " +
         step + "\n";  // 8
}

TEST_F(LoadSuite, LoadsFilesInNameOrderWithDisplayNames) {
  write("saxion/b.yaml", scenario_file("saxion.t.b"));
  write("saxion/a.yaml", scenario_file("saxion.t.a"));
  write("saxion/c.yml", scenario_file("saxion.t.c"));
  write("saxion/notes.txt", "not a scenario file: [");
  const Suite suite = load_suite(root_.string(), {});
  ASSERT_EQ(suite.scenarios.size(), 3u);
  EXPECT_EQ(suite.scenarios[0].id, "saxion.t.a");
  EXPECT_EQ(suite.scenarios[0].at.file, "saxion/a.yaml");
  EXPECT_EQ(suite.scenarios[1].id, "saxion.t.b");
  EXPECT_EQ(suite.scenarios[1].at.file, "saxion/b.yaml");
  EXPECT_EQ(suite.scenarios[2].id, "saxion.t.c");
  EXPECT_EQ(suite.scenarios[2].at.file, "saxion/c.yml");
}

TEST_F(LoadSuite, FragmentsAreSharedAcrossFiles) {
  write("saxion/a.yaml", scenario_file("saxion.t.a", "include: {fragment: shared, with: {who: x}}"));
  write("saxion/z.yaml", "protocol: saxion\nfragments:\n  shared:\n    - connect: ${who}\n");
  const Suite suite = load_suite(root_.string(), {"saxion"});
  ASSERT_EQ(suite.scenarios.size(), 1u);
  EXPECT_EQ(suite.fragments.at("saxion").count("shared"), 1u);
}

TEST_F(LoadSuite, DuplicateScenarioIdAcrossFiles) {
  write("saxion/a.yaml", scenario_file("saxion.t.same"));
  write("saxion/b.yaml",
        "protocol: saxion\n"           // 1
        "scenarios:\n"                 // 2
        "  - id: saxion.t.other\n"     // 3
        "    spec: S\n"                // 4
        "    requirement: R\n"         // 5
        "    level: must\n"            // 6
        "    steps: [{connect: a}]\n"  // 7
        "  - id: saxion.t.same\n"      // 8
        "    spec: S\n"
        "    requirement: R\n"
        "    level: must\n"
        "    steps: [{connect: a}]\n");
  const auto e = suite_error();
  expect_error_at(e, "saxion/b.yaml", 8, 5, "duplicate scenario id 'saxion.t.same'");
  ASSERT_TRUE(e.has_value());
  EXPECT_TRUE(contains(e->what(), "first at saxion/a.yaml:3:5")) << e->what();
}

TEST_F(LoadSuite, IncludeOfMissingFragment) {
  write("saxion/a.yaml", scenario_file("saxion.t.a", "include: nope"));
  expect_error_at(suite_error(), "saxion/a.yaml", 8, 9, "no fragment named 'nope'");
}

TEST_F(LoadSuite, IncludeOfMissingFragmentInsideRepeat) {
  write("saxion/a.yaml", scenario_file("saxion.t.a", "connect: a") +
                             "      - repeat:\n"                            // 9
                             "          times: 2\n"                         // 10
                             "          steps:\n"                           // 11
                             "            - include: {fragment: gone}\n");  // 12: key at column 15
  expect_error_at(suite_error(), "saxion/a.yaml", 12, 15, "no fragment named 'gone'");
}

TEST_F(LoadSuite, IncludeOfMissingFragmentInsideAFragment) {
  write("saxion/f.yaml",
        "protocol: saxion\n"        // 1
        "fragments:\n"              // 2
        "  outer:\n"                // 3
        "    - connect: a\n"        // 4
        "    - include: inner\n");  // 5: key at column 7
  expect_error_at(suite_error(), "saxion/f.yaml", 5, 7, "no fragment named 'inner'");
}

TEST_F(LoadSuite, DuplicateFragmentAcrossFiles) {
  write("saxion/a.yaml", "protocol: saxion\nfragments:\n  hello:\n    - connect: a\n");
  write("saxion/b.yaml",
        "protocol: saxion\n"    // 1
        "fragments:\n"          // 2
        "  other:\n"            // 3
        "    - connect: b\n"    // 4
        "  hello:\n"            // 5
        "    - connect: c\n");  // 6
  expect_error_at(suite_error(), "saxion/b.yaml", 5, 3, "fragment 'hello' is already defined at saxion/a.yaml:3:3");
}

TEST_F(LoadSuite, ErrorsInAFileNameThatFile) {
  write("saxion/a.yaml", scenario_file("saxion.t.a"));
  write("saxion/b.yaml", scenario_file("saxion.t.b", "jump: a"));
  expect_error_at(suite_error(), "saxion/b.yaml", 8, 9, "unknown step 'jump'");
}

TEST_F(LoadSuite, FileProtocolMismatchingItsDirectory) {
  // The directory says "other", the file says saxion: the error points at the protocol value.
  write("other/x.yaml", scenario_file("saxion.t.x"));
  expect_error_at(suite_error({"other"}), "other/x.yaml", 1, 11, "file is in other/ but says protocol saxion");
}

TEST_F(LoadSuite, FragmentsOnlyFileMismatchingItsDirectory) {
  // A file with fragments only must be checked too: its fragments would otherwise land in the
  // namespace of the protocol it names, not of its directory.
  write("other/f.yaml", "protocol: saxion\nfragments:\n  f:\n    - connect: a\n");
  expect_error_at(suite_error({"other"}), "other/f.yaml", 1, 11, "file is in other/ but says protocol saxion");
}

TEST_F(LoadSuite, MissingProtocolDirectory) {
  write("saxion/a.yaml", scenario_file("saxion.t.a"));
  const auto e = suite_error({"nothere"});
  ASSERT_TRUE(e.has_value());
  EXPECT_TRUE(contains(e->what(), "no scenarios for protocol 'nothere'")) << e->what();
}

TEST_F(LoadSuite, MissingRoot) {
  try {
    load_suite((root_ / "absent").string(), {});
    FAIL() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_TRUE(contains(e.what(), "scenario directory not found")) << e.what();
  }
}

TEST_F(LoadSuite, DirectoriesThatAreNotProtocolsAreSkipped) {
  write("saxion/a.yaml", scenario_file("saxion.t.a"));
  write("profiles/p.yaml", "not: [a scenario file");
  const Suite suite = load_suite(root_.string(), {});
  EXPECT_EQ(suite.scenarios.size(), 1u);
}

// Checks made before anything runs that the runner used to make only when it got to the step.
TEST_F(LoadSuite, UnknownConnection) {
  write("saxion/a.yaml", scenario_file("saxion.t.a", "connect: a") + "      - expect: {on: carol, frame: X}\n");
  expect_error_at(suite_error(), "saxion/a.yaml", 9, 9,
                  "expect: no connection named 'carol' (open: a; connect it first)");
}

TEST_F(LoadSuite, ConnectionOpenedTwice) {
  write("saxion/a.yaml", scenario_file("saxion.t.a", "connect: a") + "      - connect: [b, a]\n");
  expect_error_at(suite_error(), "saxion/a.yaml", 9, 9, "connect: connection 'a' is already open");
}

TEST_F(LoadSuite, FrameThatCannotBeSent) {
  // cop's frames need a known op: a literal one that has none fails when the file loads.
  write("cop/a.yaml",
        "protocol: cop\nscenarios:\n  - id: cop.t.a\n    spec: \"s\"\n    requirement: \"r\"\n"
        "    level: must\n    steps:\n      - connect: a\n"
        "      - send: {on: a, frame: {op: NOPE}}\n");  // 9
  expect_error_at(suite_error({"cop"}), "cop/a.yaml", 9, 9, "send: this frame cannot be sent: cop frame: unknown op");
  // ...but one with a variable is filled in when it runs, and checked then.
  write("cop/a.yaml",
        "protocol: cop\nscenarios:\n  - id: cop.t.a\n    spec: \"s\"\n    requirement: \"r\"\n"
        "    level: must\n    steps:\n      - connect: a\n"
        "      - send: {on: a, frame: {op: \"${op}\"}}\n");
  EXPECT_NO_THROW(load_suite(root_.string(), {"cop"}));
}

TEST_F(LoadSuite, ConnectionOpenedAgainAfterItsClose) {
  // close, expect_close and an expect that allows a close free the name.
  write("saxion/a.yaml", scenario_file("saxion.t.a", "connect: [a, b, c]") +
                             "      - close: a\n"
                             "      - expect_close: b\n"
                             "      - expect: {on: c, frame: X, or_close: true}\n"
                             "      - connect: [a, b, c]\n");
  EXPECT_NO_THROW(load_suite(root_.string(), {}));
}

TEST_F(LoadSuite, RepeatThatLeavesItsConnectionOpen) {
  write("saxion/a.yaml", scenario_file("saxion.t.a", "connect: a") +
                             "      - repeat:\n"             // 9
                             "          times: 2\n"          // 10
                             "          steps:\n"            // 11
                             "            - connect: x\n");  // 12: key at column 15
  expect_error_at(suite_error(), "saxion/a.yaml", 12, 15, "connect: connection 'x' is already open");
}

TEST_F(LoadSuite, ConnectInAServerRoleScenario) {
  write("saxion/a.yaml",
        "protocol: saxion\n"      // 1
        "scenarios:\n"            // 2
        "  - id: saxion.t.a\n"    // 3
        "    spec: S\n"           // 4
        "    requirement: R\n"    // 5
        "    level: must\n"       // 6
        "    role: server\n"      // 7
        "    steps:\n"            // 8
        "      - connect: a\n");  // 9
  expect_error_at(suite_error(), "saxion/a.yaml", 9, 9,
                  "connect: in a role: server scenario the client connects; use accept");
}

TEST_F(LoadSuite, AcceptInAClientRoleScenario) {
  write("saxion/a.yaml", scenario_file("saxion.t.a", "accept: a"));
  expect_error_at(suite_error(), "saxion/a.yaml", 8, 9, "accept: only role: server scenarios accept connections");
}

TEST_F(LoadSuite, ChannelTheProtocolDoesNotHave) {
  write("saxion/a.yaml", scenario_file("saxion.t.a", "connect: {name: a, channel: side}"));
  expect_error_at(suite_error(), "saxion/a.yaml", 8, 9, "connect: saxion has no 'side' channel");
}

TEST_F(LoadSuite, FragmentThatIncludesItself) {
  write("saxion/f.yaml",
        "protocol: saxion\n"        // 1
        "fragments:\n"              // 2
        "  outer:\n"                // 3
        "    - include: inner\n"    // 4
        "  inner:\n"                // 5
        "    - connect: a\n"        // 6
        "    - include: outer\n");  // 7: key at column 7
  write("saxion/a.yaml", scenario_file("saxion.t.a", "include: outer"));
  expect_error_at(suite_error(), "saxion/f.yaml", 7, 7,
                  "include: fragment 'outer' includes itself (through outer -> inner)");
}

// The real suite loads, every scenario has the saxion prefix and the fragments it includes.
TEST(LoaderRealSuite, SaxionLoads) {
  const Suite suite = load_suite(RELAYCHECK_SCENARIO_DIR, {"saxion"});
  EXPECT_GT(suite.scenarios.size(), 10u);
  for (const auto& s : suite.scenarios) {
    EXPECT_EQ(s.protocol, "saxion");
    EXPECT_TRUE(starts_with(s.id, "saxion.")) << s.id;
    EXPECT_TRUE(starts_with(s.at.file, "saxion/")) << s.at.file;
    EXPECT_GT(s.at.line, 0);
    EXPECT_FALSE(s.steps.empty());
  }
  ASSERT_EQ(suite.fragments.count("saxion"), 1u);
  EXPECT_EQ(suite.fragments.at("saxion").count("login"), 1u);
  EXPECT_EQ(suite.fragments.at("saxion").at("login").at.file, "saxion/fragments.yaml");
}

}  // namespace
}  // namespace relaycheck::harness
