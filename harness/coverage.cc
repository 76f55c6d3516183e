#include "harness/coverage.h"

#include <fstream>
#include <sstream>
#include <type_traits>
#include <variant>

#include <yaml-cpp/yaml.h>

#include "reports/result.h"

namespace relaycheck::harness {

namespace {

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// `term` occurs in `text` with no word character right before or after it.
bool names(const std::string& text, const std::string& term) {
  for (auto at = text.find(term); at != std::string::npos; at = text.find(term, at + 1)) {
    const bool before = at > 0 && word_char(text[at - 1]);
    const bool after = at + term.size() < text.size() && word_char(text[at + term.size()]);
    if (!before && !after) return true;
  }
  return false;
}

// Every string value in the steps, with included fragments' steps, as one searchable text.
void collect_strings(const json& v, std::string& out) {
  if (v.is_string())
    out += "\x1f" + v.get<std::string>() + "\x1f";
  else if (v.is_array() || v.is_object())
    for (const auto& item : v) collect_strings(item, out);
}

void add_string(const std::string& s, std::string& out) { out += "\x1f" + s + "\x1f"; }

void step_strings(const std::vector<Step>& steps, const Suite& suite, const std::string& protocol, int depth,
                  std::string& out) {
  if (depth > 16) return;
  for (const auto& s : steps) {
    std::visit(
        [&](const auto& b) {
          using T = std::decay_t<decltype(b)>;
          if constexpr (requires { b.on; }) {
            if constexpr (std::is_same_v<std::decay_t<decltype(b.on)>, std::string>)
              add_string(b.on, out);
            else
              for (const auto& n : b.on) add_string(n, out);
          }
          if constexpr (requires { b.frames; })
            for (const auto& f : b.frames) collect_strings(f.written, out);
          if constexpr (std::is_same_v<T, ConnectStep>) {
            for (const auto& c : b.connections) {
              add_string(c.name, out);
              if (!c.channel.empty()) add_string(c.channel, out);
            }
          } else if constexpr (std::is_same_v<T, InputStep>) {
            add_string(b.text, out);
          } else if constexpr (std::is_same_v<T, SendStep>) {
            if (const auto* frames = std::get_if<std::vector<FrameTemplate>>(&b.payload))
              for (const auto& f : *frames) collect_strings(f.value, out);
            else if (const auto* raw = std::get_if<RawText>(&b.payload))
              add_string(raw->text, out);
          } else if constexpr (std::is_same_v<T, SetStep>) {
            for (const auto& [k, v] : b.vars) add_string(v, out);
          } else if constexpr (std::is_same_v<T, RepeatStep>) {
            step_strings(b.steps, suite, protocol, depth + 1, out);
          } else if constexpr (std::is_same_v<T, IncludeStep>) {
            add_string(b.fragment, out);
            for (const auto& [k, v] : b.with) add_string(v, out);
            auto space = suite.fragments.find(protocol);
            if (space == suite.fragments.end()) return;
            auto f = space->second.find(b.fragment);
            if (f != space->second.end()) step_strings(f->second.steps, suite, protocol, depth + 1, out);
          }
        },
        s.body);
  }
}

}  // namespace

std::string RequirementCoverage::tier() const {
  if (!by_tier.at("spec").empty()) return "spec";
  return by_tier.at("decision").empty() ? "" : "decision";
}

std::vector<Requirement> load_requirements(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ScenarioError({path, 0, 0}, "cannot read requirements file");
  std::stringstream text;
  text << in.rdbuf();
  auto at = [&](const YAML::Node& n) { return Location{path, n.Mark().line + 1, n.Mark().column + 1}; };
  YAML::Node root;
  try {
    root = YAML::Load(text.str());
  } catch (const YAML::Exception& e) {
    throw ScenarioError({path, e.mark.line + 1, e.mark.column + 1}, "YAML syntax: " + e.msg);
  }
  if (!root.IsMap() || !root["requirements"] || !root["requirements"].IsSequence())
    throw ScenarioError(at(root), "a requirements file is a map with requirements: [{id, section, text, terms}]");
  std::vector<Requirement> out;
  for (const auto& n : root["requirements"]) {
    if (!n.IsMap() || !n["id"] || !n["section"] || !n["text"])
      throw ScenarioError(at(n), "a requirement needs id, section and text");
    Requirement r{
        n["id"].as<std::string>(), n["section"].as<std::string>(), n["text"].as<std::string>(), {}, {}, at(n)};
    if (const YAML::Node values = n["in_steps"]) {
      if (!values.IsSequence()) throw ScenarioError(at(values), "in_steps must be a list of strings");
      for (const auto& v : values) r.in_steps.push_back(v.as<std::string>());
    }
    if (const YAML::Node terms = n["terms"]) {
      if (!terms.IsSequence()) throw ScenarioError(at(terms), "terms must be a list of strings");
      for (const auto& t : terms) r.terms.push_back(t.as<std::string>());
    } else if (r.in_steps.empty()) {
      r.terms.push_back(r.id);
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<RequirementCoverage> cover(const std::vector<Requirement>& requirements, const Suite& suite,
                                       const std::string& protocol) {
  std::vector<RequirementCoverage> out;
  for (const auto& r : requirements) {
    RequirementCoverage c{r, {}, {{"spec", {}}, {"decision", {}}}};
    for (const auto& s : suite.scenarios) {
      if (s.protocol != protocol) continue;
      bool tests = false;
      for (const auto& term : r.terms) tests = tests || names(s.spec, term);
      if (!tests && !r.in_steps.empty()) {
        std::string strings;
        step_strings(s.steps, suite, protocol, 0, strings);
        for (const auto& v : r.in_steps) tests = tests || strings.find("\x1f" + v + "\x1f") != std::string::npos;
      }
      if (tests) {
        c.scenario_ids.push_back(s.id);
        c.by_tier[reports::tier_of(s.level)].push_back(s.id);
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace relaycheck::harness
