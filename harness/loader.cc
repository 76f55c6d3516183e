#include "harness/loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "harness/match.h"
#include "harness/protocols/dialect.h"
#include "harness/scenario_check.h"
#include "harness/timers.h"
#include "proto/common/duration.h"

namespace relaycheck::harness {

namespace fs = std::filesystem;

const char* to_string(Step::Kind k) {
  switch (k) {
    case Step::Kind::connect:
      return "connect";
    case Step::Kind::accept:
      return "accept";
    case Step::Kind::input:
      return "input";
    case Step::Kind::send:
      return "send";
    case Step::Kind::expect:
      return "expect";
    case Step::Kind::ignore:
      return "ignore";
    case Step::Kind::quiet:
      return "quiet";
    case Step::Kind::close:
      return "close";
    case Step::Kind::expect_close:
      return "expect_close";
    case Step::Kind::advance:
      return "advance";
    case Step::Kind::set:
      return "set";
    case Step::Kind::repeat:
      return "repeat";
    case Step::Kind::include:
      return "include";
    case Step::Kind::take_heartbeats:
      return "take_heartbeats";
  }
  return "?";
}

namespace {

class Reader {
 public:
  // `directory`: the protocol directory the file is in (load_suite), or empty.
  Reader(std::string file, std::string directory) : file_(std::move(file)), directory_(std::move(directory)) {}

  Location at(const YAML::Node& n) const {
    const auto m = n.Mark();
    return {file_, m.line + 1, m.column + 1};
  }
  [[noreturn]] void fail(const YAML::Node& n, const std::string& message) const { throw ScenarioError(at(n), message); }

  // YAML -> JSON. Plain scalars that look like numbers, booleans or null become those; quoted
  // scalars stay strings.
  json to_json(const YAML::Node& n) const {
    switch (n.Type()) {
      case YAML::NodeType::Null:
        return nullptr;
      case YAML::NodeType::Scalar:
        return scalar(n);
      case YAML::NodeType::Sequence: {
        json a = json::array();
        for (const auto& item : n) a.push_back(to_json(item));
        return a;
      }
      case YAML::NodeType::Map: {
        json o = json::object();
        for (const auto& kv : n) {
          if (!kv.first.IsScalar()) fail(kv.first, "a key must be a plain string");
          o[kv.first.Scalar()] = to_json(kv.second);
        }
        return o;
      }
      case YAML::NodeType::Undefined:
        break;
    }
    fail(n, "unsupported YAML node");
  }

  std::string string_field(const YAML::Node& map, const char* key, bool required = true) const {
    const YAML::Node v = map[key];
    if (!v) {
      if (required) fail(map, std::string("missing '") + key + "'");
      return {};
    }
    if (!v.IsScalar()) fail(v, std::string("'") + key + "' must be a string");
    return v.Scalar();
  }

  // A `key: true|false` flag; absent is false.
  bool flag(const YAML::Node& map, const char* key, const std::string& what) const {
    const YAML::Node v = map[key];
    if (!v) return false;
    const json b = v.IsScalar() ? scalar(v) : json();
    if (!b.is_boolean()) fail(v, what + ": '" + key + "' must be true or false");
    return b.get<bool>();
  }

  void only_keys(const YAML::Node& map, std::initializer_list<const char*> allowed, const std::string& what) const {
    for (const auto& kv : map) {
      const std::string k = kv.first.Scalar();
      if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return k == a; })) {
        std::string list;
        for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        fail(kv.first, "unknown key '" + k + "' in " + what + " (expected: " + list + ")");
      }
    }
  }

  Millis duration(const YAML::Node& n) const {
    if (!n.IsScalar()) fail(n, "expected a duration such as 500ms or 2s");
    auto d = proto::parse_duration(n.Scalar());
    if (!d) fail(n, "not a duration: '" + n.Scalar() + "' (e.g. 500ms, 2s)");
    return Millis{d->count()};
  }

  // A wait the runner may scale (harness/timers.h): a plain duration, or a named timer
  // expression such as `${<protocol>.<timer>} + 20s`.
  DurationValue timer_duration(const YAML::Node& n) const {
    if (!n.IsScalar()) fail(n, "expected a duration such as 500ms, 2s or ${" + protocol_ + ".<timer>} + 1s");
    try {
      return parse_duration_expression(n.Scalar(), protocol_);
    } catch (const std::invalid_argument& e) {
      fail(n, e.what());
    }
  }
  std::optional<DurationValue> within(const YAML::Node& map) const {
    if (!map["within"]) return std::nullopt;
    return timer_duration(map["within"]);
  }

  // A connection name; its ${var}s must be closed (they are filled in at run time).
  std::string name(const YAML::Node& n, const std::string& what) const {
    if (!n.IsScalar() || n.Scalar().empty()) fail(n, what + ": a connection name must be a non-empty string");
    text(n, what);
    return n.Scalar();
  }
  std::string on(const YAML::Node& map, const std::string& what) const {
    if (!map["on"]) fail(map, what + ": missing 'on'");
    return name(map["on"], what);
  }
  // A scalar text with ${var} references, checked for unterminated ones.
  std::string text(const YAML::Node& n, const std::string& what) const {
    const std::string& s = n.Scalar();
    for (auto at = s.find("${"); at != std::string::npos; at = s.find("${", at + 2)) {
      if (at > 0 && s[at - 1] == '$') continue;  // "$${" is a literal "${"
      if (s.find('}', at) == std::string::npos) fail(n, what + ": unterminated ${ in '" + s + "'");
    }
    return s;
  }

  std::vector<std::string> names(const YAML::Node& n, const std::string& what) const {
    std::vector<std::string> list;
    if (n.IsScalar())
      list.push_back(name(n, what));
    else if (n.IsSequence() && n.size() > 0) {
      for (const auto& item : n) list.push_back(name(item, what));
    } else
      fail(n, what + ": expected a connection name or a list of them");
    return list;
  }

  // connect: names, or {name: n, channel: c} for a protocol's other channel (a control channel).
  std::vector<NewConnection> connections(const YAML::Node& n) const {
    auto one = [&](const YAML::Node& item) -> NewConnection {
      if (item.IsScalar()) return {name(item, "connect"), ""};
      if (!item.IsMap()) fail(item, "connect: expected a connection name or {name, channel}");
      only_keys(item, {"name", "channel"}, "connect");
      if (!item["name"] || !item["name"].IsScalar()) fail(item, "connect: {name, channel} needs a name");
      NewConnection c{name(item["name"], "connect"), ""};
      if (item["channel"]) c.channel = string_field(item, "channel");
      return c;
    };
    std::vector<NewConnection> list;
    if (n.IsSequence() && n.size() > 0) {
      for (const auto& item : n) list.push_back(one(item));
    } else if (n.IsScalar() || n.IsMap()) {
      list.push_back(one(n));
    } else
      fail(n, "connect: expected a connection name or a list of them");
    return list;
  }

  // A pattern as the dialect reads frames, with its $-forms checked (match.h).
  FramePattern pattern(const YAML::Node& n, const std::string& what) const {
    json written = to_json(n);
    json p = dialect_->normalize_pattern(written);
    try {
      check_pattern(p);
    } catch (const PatternError& e) {
      fail(n, what + ": " + e.what());
    }
    return FramePattern{std::move(p), std::move(written)};
  }
  // `frame: P` or `frames: [P, ...]`.
  std::vector<FramePattern> patterns(const YAML::Node& v, const std::string& what) const {
    std::vector<FramePattern> out;
    if (v["frame"])
      out.push_back(pattern(v["frame"], what));
    else {
      for (const auto& item : v["frames"]) out.push_back(pattern(item, what));
    }
    return out;
  }

  std::vector<Step> steps(const YAML::Node& n) const {
    if (!n.IsSequence()) fail(n, "'steps' must be a list");
    if (n.size() == 0) fail(n, "'steps' is empty");
    std::vector<Step> out;
    for (const auto& item : n) out.push_back(step(item));
    return out;
  }

  Step step(const YAML::Node& n) const {
    if (!n.IsMap() || n.size() != 1)
      fail(n, "a step is a map with exactly one key (connect, send, expect, quiet, ...)");
    const auto kv = *n.begin();
    const std::string kind = kv.first.Scalar();
    const YAML::Node v = kv.second;
    return Step{body(kind, kv.first, v), at(kv.first)};
  }

  Step::Body body(const std::string& kind, const YAML::Node& key, const YAML::Node& v) const {
    if (kind == "connect") return ConnectStep{connections(v)};
    if (kind == "accept") {
      if (v.IsMap()) {
        only_keys(v, {"on", "within"}, "accept");
        return AcceptStep{on(v, "accept"), within(v)};
      }
      if (v.IsScalar()) return AcceptStep{name(v, "accept"), std::nullopt};
      fail(v, "accept: expected a connection name or {on, within}");
    }
    if (kind == "input") {
      if (v.IsScalar()) return InputStep{text(v, "input") + "\n"};
      if (v.IsMap() && v["raw"] && v.size() == 1) return InputStep{string_field(v, "raw")};
      fail(v, "input: expected a line of text, or {raw: TEXT} for exact bytes");
    }
    if (kind == "send") return send(v);
    if (kind == "expect") {
      if (!v.IsMap()) fail(v, "expect: expected {on, frame|frames, within}");
      only_keys(v, {"on", "frame", "frames", "within", "or_close"}, "expect");
      ExpectStep s{on(v, "expect"), {}, within(v), false};
      if (v["frame"] && v["frames"]) fail(v, "expect: give frame or frames, not both");
      if (!v["frame"] && !(v["frames"] && v["frames"].IsSequence() && v["frames"].size() > 0))
        fail(v, "expect: missing 'frame' (or a non-empty 'frames' list)");
      s.frames = patterns(v, "expect");
      // The spec allows a close instead (docs/scenarios.md, "A frame or a close").
      s.or_close = flag(v, "or_close", "expect");
      return s;
    }
    if (kind == "ignore") {
      if (!v.IsMap()) fail(v, "ignore: expected {on, frame|frames}");
      only_keys(v, {"on", "frame", "frames"}, "ignore");
      IgnoreStep s{on(v, "ignore"), {}};
      if (v["frame"] && v["frames"]) fail(v, "ignore: give frame or frames, not both");
      if (!v["frame"] && !(v["frames"] && v["frames"].IsSequence()))  // [] stops ignoring
        fail(v, "ignore: missing 'frame' (or a 'frames' list; an empty list stops ignoring)");
      s.frames = patterns(v, "ignore");
      return s;
    }
    if (kind == "quiet") {
      if (!v.IsMap()) return QuietStep{names(v, kind), std::nullopt};
      // quiet's `within` caps its silence window: a timer scenario knows how long it may listen.
      only_keys(v, {"on", "within"}, kind);
      if (!v["on"]) fail(v, kind + ": missing 'on'");
      return QuietStep{names(v["on"], kind), within(v)};
    }
    if (kind == "close") {
      if (!v.IsMap()) return CloseStep{names(v, kind)};
      only_keys(v, {"on"}, kind);
      if (!v["on"]) fail(v, kind + ": missing 'on'");
      return CloseStep{names(v["on"], kind)};
    }
    if (kind == "expect_close") {
      if (v.IsMap()) {
        only_keys(v, {"on", "within", "after_any"}, "expect_close");
        // after_any: whatever bytes come before the close are allowed (a spec's error packet with no form).
        return ExpectCloseStep{on(v, "expect_close"), within(v), flag(v, "after_any", "expect_close")};
      }
      if (v.IsScalar()) return ExpectCloseStep{name(v, "expect_close"), std::nullopt, false};
      fail(v, "expect_close: expected a connection name or {on, within, after_any}");
    }
    if (kind == "take_heartbeats") return TakeHeartbeatsStep{names(v, "take_heartbeats")};
    if (kind == "advance") return AdvanceStep{timer_duration(v)};
    if (kind == "set") {
      if (!v.IsMap()) fail(v, "set: expected a map of variable names to values");
      SetStep s;
      for (const auto& item : v) {
        if (!item.second.IsScalar()) fail(item.second, "set: a value must be a scalar");
        s.vars[item.first.Scalar()] = text(item.second, "set");
      }
      return s;
    }
    if (kind == "repeat") {
      if (!v.IsMap()) fail(v, "repeat: expected {times, steps}");
      only_keys(v, {"times", "steps"}, "repeat");
      const json t = v["times"] ? to_json(v["times"]) : json();
      if (!t.is_number_integer() || t.get<long long>() < 0 || t.get<long long>() > 100000)
        fail(v, "repeat: 'times' must be an integer 0..100000");
      if (!v["steps"]) fail(v, "repeat: missing 'steps'");
      return RepeatStep{t.get<long long>(), steps(v["steps"])};
    }
    if (kind == "include") {
      if (v.IsScalar()) return IncludeStep{v.Scalar(), {}};
      if (!v.IsMap()) fail(v, "include: expected a fragment name or {fragment, with}");
      only_keys(v, {"fragment", "with"}, "include");
      IncludeStep s{string_field(v, "fragment"), {}};
      if (v["with"]) {
        if (!v["with"].IsMap()) fail(v["with"], "include: 'with' must be a map");
        for (const auto& item : v["with"]) {
          if (!item.second.IsScalar()) fail(item.second, "include: a 'with' value must be a scalar");
          s.with[item.first.Scalar()] = text(item.second, "include");
        }
      }
      return s;
    }
    fail(key, "unknown step '" + kind +
                  "' (expected connect, accept, input, send, expect, ignore, quiet, close, expect_close, advance, "
                  "set, repeat, include, take_heartbeats)");
  }

  SendStep send(const YAML::Node& v) const {
    if (!v.IsMap()) fail(v, "send: expected {on, frame|frames|raw|hex}");
    only_keys(v, {"on", "frame", "frames", "raw", "hex", "chop", "delay"}, "send");
    SendStep s;
    s.on = on(v, "send");
    const int payloads = !!v["frame"] + !!v["frames"] + !!v["raw"] + !!v["hex"];
    if (payloads != 1) fail(v, "send: give exactly one of frame, frames, raw, hex");
    if (v["frame"]) s.payload = std::vector<FrameTemplate>{FrameTemplate{to_json(v["frame"])}};
    if (v["frames"]) {
      if (!v["frames"].IsSequence() || v["frames"].size() == 0)
        fail(v["frames"], "send: 'frames' must be a non-empty list");
      std::vector<FrameTemplate> frames;
      for (const auto& item : v["frames"]) frames.push_back(FrameTemplate{to_json(item)});
      s.payload = std::move(frames);
    }
    if (v["raw"]) {
      string_field(v, "raw");
      s.payload = RawText{text(v["raw"], "send")};
    }
    if (v["hex"]) {
      std::string hex;
      for (char c : string_field(v, "hex"))
        if (!std::isspace(static_cast<unsigned char>(c))) hex += c;
      if (hex.size() % 2 || hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
        fail(v["hex"], "send: 'hex' must be pairs of hex digits");
      std::string bytes;
      for (std::size_t i = 0; i < hex.size(); i += 2)
        bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
      s.payload = ExactBytes{std::move(bytes)};
    }
    if (v["chop"]) {
      const json c = to_json(v["chop"]);
      if (!c.is_number_integer() || c.get<long long>() < 1) fail(v["chop"], "send: 'chop' must be a positive integer");
      s.chop = c.get<std::size_t>();
    }
    if (v["delay"]) s.delay = duration(v["delay"]);
    return s;
  }

  void document(const YAML::Node& root, Suite& suite) const {
    if (!root.IsMap()) fail(root, "a scenario file is a map with 'protocol' and 'scenarios' and/or 'fragments'");
    only_keys(root, {"protocol", "scenarios", "fragments"}, "a scenario file");
    const std::string protocol = string_field(root, "protocol");
    dialect_ = find_dialect(protocol);
    if (!dialect_) fail(root["protocol"], "unknown protocol '" + protocol + "'");
    protocol_ = protocol;  // names the timers its durations may use
    if (!directory_.empty() && protocol != directory_)
      fail(root["protocol"], "file is in " + directory_ + "/ but says protocol " + protocol);
    if (!root["scenarios"] && !root["fragments"]) fail(root, "the file has neither 'scenarios' nor 'fragments'");
    if (const YAML::Node frs = root["fragments"]) {
      if (!frs.IsMap()) fail(frs, "'fragments' must be a map of names to step lists");
      for (const auto& kv : frs) {
        Fragment f{kv.first.Scalar(), steps(kv.second), at(kv.first)};
        auto& space = suite.fragments[protocol];
        if (auto prev = space.find(f.name); prev != space.end())
          fail(kv.first, "fragment '" + f.name + "' is already defined at " + prev->second.at.str());
        space.emplace(f.name, std::move(f));
      }
    }
    if (const YAML::Node list = root["scenarios"]) {
      if (!list.IsSequence()) fail(list, "'scenarios' must be a list");
      for (const auto& n : list) {
        if (!n.IsMap()) fail(n, "a scenario is a map with id, spec, requirement, level, steps");
        only_keys(n, {"id", "spec", "requirement", "level", "steps", "tags", "role", "requires"}, "a scenario");
        Scenario s;
        s.at = at(n);
        s.protocol = protocol;
        s.id = string_field(n, "id");
        if (s.id.rfind(protocol + ".", 0) != 0)
          fail(n["id"], "scenario id '" + s.id + "' must start with '" + protocol + ".'");
        s.spec = string_field(n, "spec");
        s.requirement = string_field(n, "requirement");
        s.level = string_field(n, "level");
        // must/should/may: the spec's own words; decision: this project's reading of an open point.
        if (s.level != "must" && s.level != "should" && s.level != "may" && s.level != "decision")
          fail(n["level"], "level must be must, should, may or decision, not '" + s.level + "'");
        if (const YAML::Node tags = n["tags"]) {
          if (!tags.IsSequence()) fail(tags, "'tags' must be a list of words");
          for (const auto& t : tags) {
            if (!t.IsScalar() || t.Scalar().empty()) fail(t, "a tag must be a non-empty word");
            s.tags.push_back(t.Scalar());
          }
        }
        if (const YAML::Node req = n["requires"]) {
          if (!req.IsSequence()) fail(req, "'requires' must be a list of optional feature names");
          for (const auto& f : req) {
            if (!f.IsScalar() || f.Scalar().empty()) fail(f, "a feature name must be a non-empty word");
            s.requires_features.push_back(f.Scalar());
          }
        }
        if (n["role"]) {
          s.role = string_field(n, "role");
          if (s.role != "client" && s.role != "server")
            fail(n["role"], "role must be client (relaycheck tests a server) or server (it tests a client)");
        }
        if (!n["steps"]) fail(n, "scenario '" + s.id + "' has no 'steps'");
        s.steps = steps(n["steps"]);
        suite.scenarios.push_back(std::move(s));
      }
    }
  }

 private:
  json scalar(const YAML::Node& n) const {
    const std::string& s = n.Scalar();
    if (n.Tag() != "?") return s;  // quoted or explicitly tagged: a string
    if (s == "null" || s == "~") return nullptr;
    if (s == "true") return true;
    if (s == "false") return false;
    if (!s.empty() &&
        (std::isdigit(static_cast<unsigned char>(s[0])) || ((s[0] == '-' || s[0] == '+') && s.size() > 1))) {
      std::size_t used = 0;
      try {
        long long v = std::stoll(s, &used);
        if (used == s.size()) return v;
        double d = std::stod(s, &used);
        if (used == s.size()) return d;
      } catch (const std::exception&) {
      }
    }
    return s;
  }

  std::string file_;
  std::string directory_;
  mutable std::string protocol_;              // the file's protocol: whose ${protocol.timer} names its durations use
  mutable const Dialect* dialect_ = nullptr;  // reads its patterns
};

void check_includes(const std::vector<Step>& steps, const std::map<std::string, Fragment>& space) {
  for (const auto& s : steps) {
    if (const auto* include = s.as<IncludeStep>()) {
      if (!space.count(include->fragment))
        throw ScenarioError(s.at, "include: no fragment named '" + include->fragment + "'");
    }
    if (const auto* repeat = s.as<RepeatStep>()) check_includes(repeat->steps, space);
  }
}

void parse(const std::string& text, const std::string& display_name, const std::string& directory, Suite& suite) {
  Reader reader(display_name, directory);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ScenarioError({display_name, e.mark.line + 1, e.mark.column + 1}, "YAML syntax: " + e.msg);
  }
  try {
    reader.document(root, suite);
  } catch (const YAML::Exception& e) {
    throw ScenarioError({display_name, e.mark.line + 1, e.mark.column + 1}, e.msg);
  }
}

std::string read_text(const std::string& path, const std::string& display_name) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError({display_name, 0, 0}, "cannot read file");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

void load_text(const std::string& text, const std::string& display_name, Suite& suite) {
  parse(text, display_name, "", suite);
}

void load_file(const std::string& path, const std::string& display_name, Suite& suite) {
  parse(read_text(path, display_name), display_name, "", suite);
}

void check_suite(const Suite& suite) {
  std::map<std::string, Location> ids;
  static const std::map<std::string, Fragment> kNone;
  for (const auto& s : suite.scenarios) {
    if (auto [it, fresh] = ids.emplace(s.id, s.at); !fresh)
      throw ScenarioError(s.at, "duplicate scenario id '" + s.id + "' (first at " + it->second.str() + ")");
    auto space = suite.fragments.find(s.protocol);
    check_includes(s.steps, space == suite.fragments.end() ? kNone : space->second);
  }
  for (const auto& [protocol, space] : suite.fragments)
    for (const auto& [name, f] : space) check_includes(f.steps, space);
  check_references(suite);  // connection names and pattern forms (scenario_check.h)
}

Suite load_suite(const std::string& root, const std::vector<std::string>& protocols) {
  Suite suite;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) throw ScenarioError({root, 0, 0}, "scenario directory not found");
  std::vector<std::string> dirs = protocols;
  if (dirs.empty()) {
    for (const auto& e : fs::directory_iterator(root))
      if (e.is_directory() && find_dialect(e.path().filename().string())) dirs.push_back(e.path().filename().string());
    std::sort(dirs.begin(), dirs.end());
  }
  for (const auto& protocol : dirs) {
    const fs::path dir = fs::path(root) / protocol;
    if (!fs::is_directory(dir, ec))
      throw ScenarioError({dir.string(), 0, 0}, "no scenarios for protocol '" + protocol + "'");
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.is_regular_file() && (e.path().extension() == ".yaml" || e.path().extension() == ".yml"))
        files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      const std::string display = protocol + "/" + f.filename().string();
      // The file's protocol must be its directory's (checked at its `protocol:` value).
      parse(read_text(f.string(), display), display, protocol, suite);
    }
  }
  check_suite(suite);
  return suite;
}

}  // namespace relaycheck::harness
