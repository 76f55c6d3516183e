#include "harness/profile.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "harness/match.h"
#include "harness/protocols/dialect.h"
#include "proto/common/duration.h"

namespace relaycheck::harness {

namespace fs = std::filesystem;

const KnownFailure* Profile::known_failure(const std::string& id) const {
  for (const auto& k : known_failures)
    if (glob_match(k.pattern, id)) return &k;
  return nullptr;
}

namespace {

class ProfileReader {
 public:
  explicit ProfileReader(std::string file) : file_(std::move(file)) {}

  Location at(const YAML::Node& n) const { return {file_, n.Mark().line + 1, n.Mark().column + 1}; }
  [[noreturn]] void fail(const YAML::Node& n, const std::string& m) const { throw ScenarioError(at(n), m); }

  std::string text(const YAML::Node& n, const std::string& what) const {
    if (!n.IsScalar()) fail(n, what + " must be a string");
    return n.Scalar();
  }

  void only(const YAML::Node& map, std::initializer_list<const char*> keys, const std::string& what) const {
    for (const auto& kv : map) {
      bool ok = false;
      for (const char* k : keys) ok = ok || kv.first.Scalar() == k;
      if (!ok) fail(kv.first, "unknown key '" + kv.first.Scalar() + "' in " + what);
    }
  }

  // A fixed port (`port: 4000`) for a server whose port is hard-coded.
  std::uint16_t port(const YAML::Node& n, const std::string& what) const {
    const std::string t = text(n, what);
    const bool digits = !t.empty() && t.size() <= 5 && t.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || std::stoul(t) < 1 || std::stoul(t) > 65535) fail(n, what + " must be a port number from 1 to 65535");
    return static_cast<std::uint16_t>(std::stoul(t));
  }

  bool yes(const YAML::Node& n, const std::string& what) const {
    const std::string t = text(n, what);
    if (t != "true") fail(n, what + " must be true (leave it out for the default)");
    return true;
  }

  // clock: {scale: N} (the reference server's timers divided by N) or {faketime: N} (libfaketime
  // runs the target's clocks N times fast; an address target: it already runs so). docs/profiles.md.
  Clock clock(const YAML::Node& n, Profile& p) const {
    if (!n.IsMap() || n.size() != 1) fail(n, "clock must be {scale: N} or {faketime: N}");
    only(n, {"scale", "faketime"}, "clock");
    const auto kv = *n.begin();
    Clock c;
    c.mode = kv.first.Scalar() == "scale" ? Clock::Mode::scaled : Clock::Mode::faketime;
    const auto factor = parse_clock_factor(text(kv.second, "clock." + kv.first.Scalar()));
    if (!factor) fail(kv.second, "clock." + kv.first.Scalar() + " must be a number from 1 to 10000");
    c.factor = *factor;
    if (c.mode == Clock::Mode::scaled) {
      const bool reference = p.launch && !p.launch->command.empty() &&
                             fs::path(p.launch->command.front()).filename() == "relaycheck-server";
      if (!reference)
        fail(kv.first,
             "clock: {scale: N} passes the reference server (relaycheck-server) its timers divided by N; "
             "for another program use {faketime: N}");
    }
    if (p.launch) p.launch->clock = c;
    return c;
  }

  // ready: {port: true} (the port listens, seen through /proc; the default), {stdout: TEXT} or
  // {connect: true} (a real connection, which the server sees).
  void ready(const YAML::Node& r, LaunchSpec& l) const {
    const char* forms = "launch.ready must be one of {port: true}, {stdout: TEXT} or {connect: true}";
    if (!r.IsMap() || r.size() != 1) fail(r, forms);
    only(r, {"port", "stdout", "connect"}, "launch.ready");
    if (r["stdout"]) {
      l.ready_stdout = text(r["stdout"], "launch.ready.stdout");
      if (l.ready_stdout.empty()) fail(r["stdout"], "launch.ready.stdout must not be empty");
    }
    if (r["port"]) yes(r["port"], "launch.ready.port");
    if (r["connect"]) l.ready_connect = yes(r["connect"], "launch.ready.connect");
  }

  LaunchSpec launch(const YAML::Node& n, const fs::path& dir) const {
    if (!n.IsMap()) fail(n, "launch must be a map with command, cwd, env, ready, port, start_timeout");
    only(n, {"command", "cwd", "env", "ready", "port", "start_timeout"}, "launch");
    LaunchSpec l;
    const YAML::Node cmd = n["command"];
    if (!cmd || !cmd.IsSequence() || cmd.size() == 0)
      fail(cmd ? cmd : n, "launch.command must be a non-empty list of arguments");
    for (const auto& a : cmd) l.command.push_back(text(a, "a command argument"));
    l.cwd = (dir / (n["cwd"] ? text(n["cwd"], "launch.cwd") : std::string("."))).lexically_normal().string();
    if (const YAML::Node env = n["env"]) {
      if (!env.IsMap()) fail(env, "launch.env must be a map");
      for (const auto& kv : env) l.env.emplace_back(kv.first.Scalar(), text(kv.second, "an env value"));
    }
    if (const YAML::Node r = n["ready"]) ready(r, l);
    if (const YAML::Node p = n["port"]) l.fixed_port = port(p, "launch.port");
    if (const YAML::Node t = n["start_timeout"]) {
      auto d = proto::parse_duration(text(t, "launch.start_timeout"));
      if (!d) fail(t, "launch.start_timeout: not a duration");
      l.start_timeout = *d;
    }
    return l;
  }

  Profile read(const YAML::Node& root, const fs::path& dir) const {
    if (!root.IsMap()) fail(root, "a profile is a map (name, launch or address, known_failures)");
    only(root,
         {"name", "description", "role", "launch", "address", "attributes", "channels", "vars", "wording", "barrier",
          "capabilities", "known_failures", "known_failures_file", "port", "clock", "protocol"},
         "a profile");
    Profile p;
    p.file = file_;
    p.name = root["name"] ? text(root["name"], "name") : fs::path(file_).stem().string();
    if (root["description"]) p.description = text(root["description"], "description");
    if (const YAML::Node proto = root["protocol"]) {
      auto add = [&](const YAML::Node& n) {
        const std::string id = text(n, "protocol");
        if (!find_dialect(id)) fail(n, "protocol: unknown protocol '" + id + "' (known: " + known_protocols() + ")");
        p.protocols.push_back(id);
      };
      if (proto.IsScalar())
        add(proto);
      else if (proto.IsSequence() && proto.size() > 0)
        for (const auto& item : proto) add(item);
      else
        fail(proto, "protocol: a protocol name or a non-empty list of them");
    }
    if (root["launch"] && root["address"]) fail(root, "give launch or address, not both");
    if (root["launch"])
      p.launch = launch(root["launch"], dir);
    else if (root["address"])
      p.address = text(root["address"], "address");
    else
      fail(root, "a profile needs launch (a command to start the target) or address (HOST:PORT)");
    if (const YAML::Node fixed = root["port"]) {
      if (!p.launch) fail(fixed, "port: is the fixed port of a launched server; an address already names its port");
      if (p.launch->fixed_port) fail(fixed, "give port: once, at the top or under launch");
      p.launch->fixed_port = port(fixed, "port");
    }
    if (root["role"]) {
      p.role = text(root["role"], "role");
      if (p.role != "server" && p.role != "client") fail(root["role"], "role must be server or client");
      if (p.role == "client" && !p.launch)
        fail(root["role"], "a client profile needs launch (relaycheck starts the client)");
    }
    if (p.launch && p.role == "server") where_it_listens(root["launch"], *p.launch);
    if (const YAML::Node w = root["wording"]) {
      const std::string word = text(w, "wording");
      if (word != "exact" && word != "loose") fail(w, "wording must be exact or loose");
      p.wording = word == "loose" ? Wording::loose : Wording::exact;
    }
    if (const YAML::Node b = root["barrier"]) {
      p.barrier = barrier_mode_from(text(b, "barrier"));
      if (!p.barrier) fail(b, "barrier must be probe or silence");
    }
    if (const YAML::Node c = root["clock"]) p.clock = clock(c, p);
    if (const YAML::Node caps = root["capabilities"]) {
      if (!caps.IsSequence()) fail(caps, "capabilities must be a list of optional feature names");
      p.capabilities.emplace();
      for (const auto& c : caps) p.capabilities->push_back(text(c, "a capability"));
    }
    if (const YAML::Node a = root["attributes"]) attributes(a, dir, p);
    if (const YAML::Node c = root["channels"]) {
      if (p.launch)
        fail(c,
             "channels: names the channels of a server at an address; a launched server announces its own ('NAME "
             "listening on HOST:PORT' on stdout)");
      channels(c, p);
    }
    if (const YAML::Node vars = root["vars"]) {
      if (!vars.IsMap()) fail(vars, "vars must be a map of names to strings");
      for (const auto& kv : vars) p.vars[kv.first.Scalar()] = text(kv.second, "a var value");
    }
    if (root["known_failures"]) known(root["known_failures"], p);
    return p;
  }

  // attributes: {NAME: TEXT or {file: PATH}}; a PATH is relative to the profile's directory.
  void attributes(const YAML::Node& map, const fs::path& dir, Profile& p) const {
    if (!map.IsMap()) fail(map, "attributes must be a map of names to text or {file: PATH}");
    for (const auto& kv : map) {
      const std::string name = text(kv.first, "an attribute name");
      const YAML::Node v = kv.second;
      if (v.IsMap()) {
        only(v, {"file"}, "attribute '" + name + "'");
        if (!v["file"]) fail(v, "attribute '" + name + "': give {file: PATH} or the text itself");
        const fs::path path = dir / text(v["file"], "attribute '" + name + "' file");
        std::ifstream in(path);
        if (!in) fail(v["file"], "attribute '" + name + "': cannot read '" + path.string() + "'");
        std::stringstream content;
        content << in.rdbuf();
        p.attributes[name] = content.str();
      } else {
        p.attributes[name] = text(v, "attribute '" + name + "'");
      }
    }
  }

  // channels: {NAME: HOST:PORT}; {} states that the target has none.
  void channels(const YAML::Node& map, Profile& p) const {
    if (!map.IsMap()) fail(map, "channels must be a map of channel names to HOST:PORT ({} for none)");
    for (const auto& kv : map) {
      const std::string name = text(kv.first, "a channel name");
      const auto hp = proto::parse_host_port(text(kv.second, "channel '" + name + "'"));
      if (!hp) fail(kv.second, "channel '" + name + "' must be HOST:PORT, got '" + kv.second.Scalar() + "'");
      p.channels[name] = *hp;
    }
  }

  // Readiness by port needs to know the port: {port} in the command or a fixed port:.
  void where_it_listens(const YAML::Node& n, const LaunchSpec& l) const {
    bool mentions = false;
    for (const auto& a : l.command) mentions = mentions || a.find("{port}") != std::string::npos;
    if (!mentions && !l.fixed_port && l.ready_stdout.empty())
      fail(n,
           "launch: relaycheck cannot tell where the server listens: put {port} in launch.command, give a fixed "
           "port:, or use ready: {stdout: \"listening on\"} (a 'listening on HOST:PORT' line names the address)");
  }

  void known(const YAML::Node& list, Profile& p) const {
    {
      if (!list.IsSequence()) fail(list, "known_failures must be a list of {id, reason}");
      for (const auto& item : list) {
        if (!item.IsMap()) fail(item, "a known failure is {id: ID-OR-GLOB, reason: WHY}");
        only(item, {"id", "reason"}, "a known failure");
        if (!item["id"] || !item["reason"]) fail(item, "a known failure needs both id and reason");
        const std::string reason = text(item["reason"], "reason");
        if (reason.empty()) fail(item["reason"], "a known failure needs a reason");
        p.known_failures.push_back({text(item["id"], "id"), reason, at(item)});
      }
    }
  }

 private:
  std::string file_;
};

}  // namespace

Profile load_profile(const std::string& name_or_path, const std::string& scenario_root) {
  fs::path path = name_or_path;
  std::error_code ec;
  if (!fs::exists(path, ec) && name_or_path.find('/') == std::string::npos)
    path = fs::path(scenario_root) / "profiles" / (name_or_path + ".yaml");
  std::ifstream in(path);
  if (!in) throw ScenarioError({path.string(), 0, 0}, "cannot read profile");
  std::stringstream s;
  s << in.rdbuf();
  ProfileReader reader(path.string());
  YAML::Node root;
  try {
    root = YAML::Load(s.str());
  } catch (const YAML::Exception& e) {
    throw ScenarioError({path.string(), e.mark.line + 1, e.mark.column + 1}, "YAML syntax: " + e.msg);
  }
  const fs::path dir = fs::absolute(path, ec).parent_path();
  Profile profile = reader.read(root, dir);
  if (const YAML::Node file = root["known_failures_file"]) {
    const fs::path list_path = dir / reader.text(file, "known_failures_file");
    std::ifstream list_in(list_path);
    if (!list_in) throw ScenarioError(reader.at(file), "cannot read known_failures_file '" + list_path.string() + "'");
    std::stringstream list_text;
    list_text << list_in.rdbuf();
    ProfileReader list_reader(list_path.string());
    try {
      const YAML::Node list_root = YAML::Load(list_text.str());
      if (!list_root.IsMap() || !list_root["known_failures"])
        list_reader.fail(list_root, "a known_failures_file is a map with known_failures: [...]");
      list_reader.known(list_root["known_failures"], profile);
    } catch (const YAML::Exception& e) {
      throw ScenarioError({list_path.string(), e.mark.line + 1, e.mark.column + 1}, "YAML syntax: " + e.msg);
    }
  }
  return profile;
}

std::string baseline_yaml(const std::vector<std::pair<std::string, std::string>>& failing) {
  YAML::Emitter out;
  out << YAML::Comment("written by relaycheck run --write-baseline; give each reason in words");
  out << YAML::BeginMap << YAML::Key << "known_failures" << YAML::Value << YAML::BeginSeq;
  for (const auto& [id, message] : failing) {
    const std::string first_line = message.substr(0, message.find('\n'));
    out << YAML::BeginMap << YAML::Key << "id" << YAML::Value << id << YAML::Key << "reason" << YAML::Value
        << ("baseline: " + first_line) << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace relaycheck::harness
