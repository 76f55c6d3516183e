#include "harness/scenario_check.h"

#include <map>
#include <set>

#include "harness/match.h"

namespace relaycheck::harness {

namespace {

bool dynamic(const std::string& name) { return name.find("${") != std::string::npos; }

using Vars = std::map<std::string, std::string>;

// ${name} filled from the variables known here (include's `with`, `set`); others stay as they are.
std::string fill(const std::string& text, const Vars& vars) {
  std::string out = text;
  for (const auto& [k, v] : vars) {
    const std::string ref = "${" + k + "}";
    for (auto at = out.find(ref); at != std::string::npos; at = out.find(ref, at + v.size())) out.replace(at, ref.size(), v);
  }
  return out;
}

// Object keys that all start with '$' make a pattern form (match.cc); each must be known.
void check_forms(const json& pattern, const Step& step) {
  if (pattern.is_object()) {
    bool form = !pattern.empty();
    for (const auto& [k, v] : pattern.items()) form = form && !k.empty() && k[0] == '$';
    for (const auto& [k, v] : pattern.items()) {
      if (form && !is_pattern_form(k))
        throw ScenarioError(step.at, std::string(to_string(step.kind)) + ": unknown pattern form '" + k +
                                         "' (known: $any, $any_of, $capture, $contains, $glob, $not, $regex, $strict, $text, "
                                         "$type, $unordered)");
      check_forms(v, step);
    }
  } else if (pattern.is_array()) {
    for (const auto& v : pattern) check_forms(v, step);
  }
}

class ReferenceChecker {
 public:
  ReferenceChecker(const Suite& suite, const Scenario& scenario) : suite_(suite), scenario_(scenario) {}

  void steps(const std::vector<Step>& list, int depth, Vars& vars) {
    if (depth > 32) return;  // the runner reports nesting that deep
    for (const auto& s : list) step(s, depth, vars);
  }

 private:
  void opened(const std::string& name) {
    if (dynamic(name)) names_known_ = false;  // a name made at run time: later names cannot be checked
    open_.insert(name);
  }

  void used(const Step& s, const json& name, const Vars& vars) {
    if (!names_known_ || !name.is_string()) return;
    const std::string n = fill(name.get<std::string>(), vars);
    if (dynamic(n) || open_.count(n)) return;
    std::string known;
    for (const auto& o : open_) known += (known.empty() ? "" : ", ") + o;
    throw ScenarioError(s.at, std::string(to_string(s.kind)) + ": no connection named '" + n + "' (" +
                                  (known.empty() ? "none is open yet" : "open: " + known) + "; connect it first)");
  }

  void step(const Step& s, int depth, Vars& vars) {
    switch (s.kind) {
      case Step::Kind::connect:
        for (const auto& c : s.args) opened(fill(c.is_object() ? c.value("name", "") : c.get<std::string>(), vars));
        return;
      case Step::Kind::accept:
        opened(fill(s.args.value("on", ""), vars));
        return;
      case Step::Kind::set:
        for (const auto& [k, v] : s.args.items())
          if (v.is_string()) vars[k] = fill(v.get<std::string>(), vars);
        return;
      case Step::Kind::repeat:
        steps(s.steps, depth + 1, vars);
        return;
      case Step::Kind::include: {
        const auto space = suite_.fragments.find(scenario_.protocol);
        if (space == suite_.fragments.end()) return;
        const auto f = space->second.find(s.args.value("fragment", ""));
        if (f == space->second.end()) return;
        Vars inner = vars;  // the fragment sees its `with` values over the caller's variables
        if (s.args.contains("with"))
          for (const auto& [k, v] : s.args["with"].items())
            if (v.is_string()) inner[k] = fill(v.get<std::string>(), vars);
        steps(f->second.steps, depth + 1, inner);
        return;
      }
      default:
        break;
    }
    if (s.kind == Step::Kind::expect || s.kind == Step::Kind::ignore)
      if (s.args.contains("frames")) check_forms(s.args["frames"], s);
    // The steps that act on an open connection (take_heartbeats may name one opened later).
    const bool acts = s.kind == Step::Kind::send || s.kind == Step::Kind::expect || s.kind == Step::Kind::ignore ||
                      s.kind == Step::Kind::quiet || s.kind == Step::Kind::close || s.kind == Step::Kind::expect_close;
    if (!acts || !s.args.is_object() || !s.args.contains("on")) return;
    const json& on = s.args["on"];
    if (on.is_array()) {
      for (const auto& n : on) used(s, n, vars);
    } else {
      used(s, on, vars);
    }
  }

  const Suite& suite_;
  const Scenario& scenario_;
  std::set<std::string> open_;
  bool names_known_ = true;
};

}  // namespace

void check_references(const Suite& suite) {
  for (const auto& scenario : suite.scenarios) {
    Vars vars;
    ReferenceChecker(suite, scenario).steps(scenario.steps, 0, vars);
  }
}

}  // namespace relaycheck::harness
