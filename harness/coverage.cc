#include "harness/coverage.h"

#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

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

}  // namespace

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
    Requirement r{n["id"].as<std::string>(), n["section"].as<std::string>(), n["text"].as<std::string>(), {}, at(n)};
    if (const YAML::Node terms = n["terms"]) {
      if (!terms.IsSequence()) throw ScenarioError(at(terms), "terms must be a list of strings");
      for (const auto& t : terms) r.terms.push_back(t.as<std::string>());
    } else {
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
    RequirementCoverage c{r, {}};
    for (const auto& s : suite.scenarios) {
      if (s.protocol != protocol) continue;
      for (const auto& term : r.terms) {
        if (names(s.spec, term)) {
          c.scenario_ids.push_back(s.id);
          break;
        }
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace relaycheck::harness
