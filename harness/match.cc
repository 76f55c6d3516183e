#include "harness/match.h"

#include <regex>
#include <set>

namespace relaycheck::harness {

std::string fold_wording(const std::string& s) {
  std::string o;
  for (unsigned char c : s) {
    if (std::isspace(c)) {
      if (!o.empty() && o.back() != ' ') o += ' ';
    } else {
      o += static_cast<char>(std::tolower(c));
    }
  }
  if (!o.empty() && o.back() == ' ') o.pop_back();
  return o;
}

std::string text_of(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

namespace {

std::string substitute_with(const std::string& text, const Vars& vars, std::string (*escape)(const std::string&)) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 3, "$${") == 0) {
      out += escape ? escape("${") : "${";  // a literal "${", also inside $regex / $glob
      i += 3;
    } else if (text.compare(i, 2, "${") == 0) {
      const auto end = text.find('}', i + 2);
      if (end == std::string::npos) throw PatternError("unterminated ${ in '" + text + "'");
      const std::string name = text.substr(i + 2, end - i - 2);
      auto it = vars.find(name);
      if (it == vars.end()) throw PatternError("undefined variable ${" + name + "}");
      out += escape ? escape(it->second) : it->second;
      i = end + 1;
    } else {
      out += text[i++];
    }
  }
  return out;
}

std::string regex_escape(const std::string& s) {
  static const std::string special = R"(\^$.|?*+()[]{}/)";
  std::string o;
  for (char c : s) {
    if (special.find(c) != std::string::npos) o += '\\';
    o += c;
  }
  return o;
}

std::string glob_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '*' || c == '?' || c == '\\') o += '\\';
    o += c;
  }
  return o;
}

bool glob_match(const std::string& p, std::size_t pi, const std::string& s, std::size_t si) {
  // Iterative with backtracking on the last '*'.
  std::size_t star = std::string::npos, mark = 0;
  while (si < s.size()) {
    if (pi < p.size() && p[pi] == '\\' && pi + 1 < p.size() && p[pi + 1] == s[si]) {
      pi += 2, ++si;
    } else if (pi < p.size() && (p[pi] == '?' || (p[pi] == s[si] && p[pi] != '*' && p[pi] != '\\'))) {
      ++pi, ++si;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++, mark = si;
    } else if (star != std::string::npos) {
      pi = star + 1, si = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

std::string show(const json& v) {
  std::string s = text_of(v);
  if (v.is_string()) s = "\"" + s + "\"";
  if (s.size() > 200) s = s.substr(0, 200) + "...";
  return s;
}

bool is_form(const json& p) {
  if (!p.is_object() || p.empty()) return false;
  for (const auto& [k, v] : p.items())
    if (k.empty() || k[0] != '$') return false;
  return true;
}

bool same_words(const std::string& want, const std::string& got, Wording wording) {
  if (wording == Wording::exact) return want == got;
  const std::string w = fold_wording(want), g = fold_wording(got);
  // Trailing text must start at a word boundary: "command, try HELP" but not "commandeer". An
  // empty text has no first word, so it matches only an empty (or all-space) text.
  return g == w || (!w.empty() && g.size() > w.size() && g.compare(0, w.size(), w) == 0 &&
                    !std::isalnum(static_cast<unsigned char>(g[w.size()])));
}

class Matcher {
 public:
  explicit Matcher(const Vars& vars, Wording wording = Wording::exact) : vars_(vars), wording_(wording) {}
  Vars captures;

  // Returns an empty string on match, else the reason.
  std::string run(const json& p, const json& v, const std::string& path) {
    if (is_form(p)) return form(p, v, path);
    if (p.is_object()) {
      if (!v.is_object()) return at(path) + "expected an object, got " + show(v);
      for (const auto& [k, sub] : p.items()) {
        if (!v.contains(k)) return at(path) + "missing field '" + k + "'";
        if (auto why = run(sub, v.at(k), path.empty() ? k : path + "." + k); !why.empty()) return why;
      }
      return {};
    }
    if (p.is_array()) {
      if (!v.is_array()) return at(path) + "expected a list, got " + show(v);
      if (p.size() != v.size())
        return at(path) + "expected " + std::to_string(p.size()) + " items, got " + std::to_string(v.size());
      for (std::size_t i = 0; i < p.size(); ++i)
        if (auto why = run(p[i], v[i], path + "[" + std::to_string(i) + "]"); !why.empty()) return why;
      return {};
    }
    if (p.is_string()) {
      const std::string want = substitute_with(p.get<std::string>(), vars_, nullptr);
      if (v.is_string() && same_words(want, v.get<std::string>(), wording_)) return {};
      return at(path) + "expected \"" + want + "\", got " + show(v);
    }
    if (p.is_number() && v.is_number()) {
      if (p == v) return {};
      if (p.is_number_float() || v.is_number_float())
        if (p.get<double>() == v.get<double>()) return {};
    } else if (p == v) {
      return {};
    }
    return at(path) + "expected " + show(p) + ", got " + show(v);
  }

 private:
  static std::string at(const std::string& path) { return path.empty() ? "" : path + ": "; }

  // Gives pattern i and the later ones each a distinct unused element (backtracking); captures
  // come from the assignment that works.
  bool assign(const json& want, const json& v, std::size_t i, std::vector<bool>& used, const std::string& path) {
    if (i == want.size()) return true;
    for (std::size_t j = 0; j < v.size(); ++j) {
      if (used[j]) continue;
      Matcher sub(vars_, wording_);
      if (!sub.run(want[i], v[j], path + "[" + std::to_string(j) + "]").empty()) continue;
      used[j] = true;
      if (assign(want, v, i + 1, used, path)) {
        captures.insert(sub.captures.begin(), sub.captures.end());
        return true;
      }
      used[j] = false;
    }
    return false;
  }

  std::string form(const json& p, const json& v, const std::string& path) {
    for (const auto& [k, arg] : p.items())
      if (!is_pattern_form(k)) throw PatternError("unknown pattern form '" + k + "'");
    std::string captured = text_of(v);
    if (p.contains("$any_of")) {
      const json& alts = p["$any_of"];
      if (!alts.is_array() || alts.empty()) throw PatternError("$any_of needs a non-empty list");
      std::string whys;
      bool ok = false;
      for (const auto& alt : alts) {
        Matcher sub(vars_, wording_);
        auto why = sub.run(alt, v, path);
        if (why.empty()) {
          captures.insert(sub.captures.begin(), sub.captures.end());
          ok = true;
          break;
        }
        whys += (whys.empty() ? "" : "; or ") + why;
      }
      if (!ok) return at(path) + "none of the alternatives matched (" + whys + ")";
    }
    if (p.contains("$strict")) {
      const json& want = p["$strict"];
      if (!want.is_object()) throw PatternError("$strict needs an object pattern");
      if (!v.is_object()) return at(path) + "expected an object, got " + show(v);
      for (const auto& [k, item] : v.items())
        if (!want.contains(k)) return at(path) + "unexpected field '" + k + "' (the pattern is $strict)";
      if (auto why = run(want, v, path); !why.empty()) return why;
    }
    if (p.contains("$unordered")) {
      const json& want = p["$unordered"];
      if (!want.is_array()) throw PatternError("$unordered needs a list");
      if (!v.is_array()) return at(path) + "expected a list, got " + show(v);
      if (want.size() != v.size())
        return at(path) + "expected " + std::to_string(want.size()) + " items in any order, got " +
               std::to_string(v.size());
      std::vector<bool> used(v.size(), false);
      if (!assign(want, v, 0, used, path)) return at(path) + "no order of " + show(v) + " matches the patterns";
    }
    if (p.contains("$contains")) {
      // A list holding these items among others (a shared server lists other runs' rooms too).
      const json& want = p["$contains"];
      if (!want.is_array()) throw PatternError("$contains needs a list");
      if (!v.is_array()) return at(path) + "expected a list, got " + show(v);
      std::vector<bool> used(v.size(), false);
      if (!assign(want, v, 0, used, path)) return at(path) + "no items of " + show(v) + " match the patterns";
    }
    if (p.contains("$each")) {
      // A list whose every item matches (any length, none too): a spec that gives the items' form only.
      if (!v.is_array()) return at(path) + "expected a list, got " + show(v);
      for (std::size_t i = 0; i < v.size(); ++i)
        if (auto why = run(p["$each"], v[i], path + "[" + std::to_string(i) + "]"); !why.empty()) return why;
    }
    if (p.contains("$not")) {
      Matcher sub(vars_, wording_);
      if (sub.run(p["$not"], v, path).empty()) return at(path) + "matched what $not excludes: " + show(v);
    }
    if (p.contains("$type")) {
      const std::string t = p["$type"].is_string() ? p["$type"].get<std::string>() : "";
      bool ok;
      if (t == "string")
        ok = v.is_string();
      else if (t == "number")
        ok = v.is_number();
      else if (t == "integer")
        ok = v.is_number_integer();
      else if (t == "boolean")
        ok = v.is_boolean();
      else if (t == "array")
        ok = v.is_array();
      else if (t == "object")
        ok = v.is_object();
      else if (t == "null")
        ok = v.is_null();
      else
        throw PatternError("$type must be string, number, integer, boolean, array, object or null");
      if (!ok) return at(path) + "expected a " + t + ", got " + show(v);
    }
    if (p.contains("$text")) {
      // A scalar of any type by its text: a number captured as "7" matches 7 again.
      if (!p["$text"].is_string()) throw PatternError("$text needs a string");
      const std::string want = substitute(p["$text"].get<std::string>(), vars_);
      if (v.is_object() || v.is_array() || text_of(v) != want)
        return at(path) + "expected a value whose text is \"" + want + "\", got " + show(v);
    }
    if (p.contains("$glob")) {
      if (!p["$glob"].is_string()) throw PatternError("$glob needs a string");
      const std::string g = substitute_with(p["$glob"].get<std::string>(), vars_, glob_escape);
      if (!v.is_string() || !glob_match(g, 0, v.get<std::string>(), 0))
        return at(path) + "expected text like \"" + g + "\", got " + show(v);
    }
    if (p.contains("$regex")) {
      if (!p["$regex"].is_string()) throw PatternError("$regex needs a string");
      const std::string r = substitute_with(p["$regex"].get<std::string>(), vars_, regex_escape);
      std::regex re;
      try {
        re = std::regex(r, std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        throw PatternError("bad $regex '" + r + "': " + e.what());
      }
      std::smatch m;
      const std::string s = v.is_string() ? v.get<std::string>() : std::string();
      if (!v.is_string() || !std::regex_match(s, m, re))
        return at(path) + "expected text matching /" + r + "/, got " + show(v);
      captured = m.size() > 1 ? m[1].str() : m[0].str();
    }
    if (p.contains("$capture")) {
      if (!p["$capture"].is_string() || p["$capture"].get<std::string>().empty())
        throw PatternError("$capture needs a variable name");
      captures[p["$capture"].get<std::string>()] = captured;
    }
    return {};
  }

  const Vars& vars_;
  Wording wording_;
};

}  // namespace

namespace {
const std::set<std::string>& pattern_forms() {
  static const std::set<std::string> forms = {"$regex",   "$glob",      "$any",      "$type",   "$any_of", "$not",
                                              "$capture", "$unordered", "$contains", "$strict", "$text",   "$each"};
  return forms;
}
}  // namespace

bool is_pattern_form(const std::string& key) { return pattern_forms().count(key) > 0; }

void check_pattern(const json& p) {
  if (p.is_array()) {
    for (const auto& item : p) check_pattern(item);
    return;
  }
  if (!p.is_object()) return;
  if (!is_form(p)) {
    for (const auto& [k, sub] : p.items()) check_pattern(sub);
    return;
  }
  for (const auto& [k, arg] : p.items()) {
    if (!is_pattern_form(k)) {
      std::string known;
      for (const auto& f : pattern_forms()) known += (known.empty() ? "" : ", ") + f;
      throw PatternError("unknown pattern form '" + k + "' (known: " + known + ")");
    }
    auto needs = [&](bool ok, const std::string& what) {
      if (!ok) throw PatternError(what);
    };
    if (k == "$any_of") needs(arg.is_array() && !arg.empty(), "$any_of needs a non-empty list");
    if (k == "$strict") needs(arg.is_object(), "$strict needs an object pattern");
    if (k == "$unordered") needs(arg.is_array(), "$unordered needs a list");
    if (k == "$contains") needs(arg.is_array(), "$contains needs a list");
    if (k == "$text") needs(arg.is_string(), "$text needs a string");
    if (k == "$glob") needs(arg.is_string(), "$glob needs a string");
    if (k == "$capture") needs(arg.is_string() && !arg.get<std::string>().empty(), "$capture needs a variable name");
    if (k == "$type") {
      static const std::set<std::string> types = {"string", "number", "integer", "boolean", "array", "object", "null"};
      needs(arg.is_string() && types.count(arg.get<std::string>()),
            "$type must be string, number, integer, boolean, array, object or null");
    }
    if (k == "$regex") {
      needs(arg.is_string(), "$regex needs a string");
      const std::string r = arg.get<std::string>();
      // With ${var}s the expression is only known when the variables are.
      if (r.find("${") == std::string::npos) {
        try {
          std::regex(r, std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
          throw PatternError("bad $regex '" + r + "': " + e.what());
        }
      }
    }
    if (k == "$any_of" || k == "$strict" || k == "$unordered" || k == "$contains" || k == "$each" || k == "$not")
      check_pattern(arg);
  }
}

bool glob_match(const std::string& pattern, const std::string& text) { return glob_match(pattern, 0, text, 0); }

std::string substitute(const std::string& text, const Vars& vars) { return substitute_with(text, vars, nullptr); }

json substitute_all(const json& value, const Vars& vars) {
  if (value.is_string()) return substitute(value.get<std::string>(), vars);
  if (value.is_array()) {
    json a = json::array();
    for (const auto& item : value) a.push_back(substitute_all(item, vars));
    return a;
  }
  if (value.is_object()) {
    json o = json::object();
    for (const auto& [k, item] : value.items()) o[k] = substitute_all(item, vars);
    return o;
  }
  return value;
}

MatchResult match(const json& pattern, const json& value, const Vars& vars, Wording wording) {
  Matcher m(vars, wording);
  MatchResult r;
  r.why = m.run(pattern, value, "");
  r.ok = r.why.empty();
  if (r.ok) r.captures = std::move(m.captures);
  return r;
}

}  // namespace relaycheck::harness
