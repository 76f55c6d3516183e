#include "harness/scenario_check.h"

#include <algorithm>
#include <map>
#include <type_traits>
#include <variant>

#include "harness/match.h"
#include "harness/protocols/dialect.h"

namespace relaycheck::harness {

namespace {

bool dynamic(const std::string& name) { return name.find("${") != std::string::npos; }

using Vars = std::map<std::string, std::string>;

// ${name} filled from the variables known here (include's `with`, `set`); others stay as they are.
std::string fill(const std::string& text, const Vars& vars) {
  std::string out = text;
  for (const auto& [k, v] : vars) {
    const std::string ref = "${" + k + "}";
    for (auto at = out.find(ref); at != std::string::npos; at = out.find(ref, at + v.size()))
      out.replace(at, ref.size(), v);
  }
  return out;
}

// How deep include and repeat may nest (the runner's limit too).
constexpr int kMaxDepth = 32;

class ReferenceChecker {
 public:
  ReferenceChecker(const Suite& suite, const Scenario& scenario)
      : suite_(suite), scenario_(scenario), dialect_(find_dialect(scenario.protocol)) {}

  void steps(const std::vector<Step>& list, int depth, Vars& vars) {
    if (depth > kMaxDepth && !list.empty())
      throw ScenarioError(list.front().at,
                          "include/repeat nested too deeply (more than " + std::to_string(kMaxDepth) + ")");
    for (const auto& s : list) step(s, depth, vars);
  }

 private:
  [[noreturn]] void fail(const Step& s, const std::string& message) const {
    throw ScenarioError(s.at, std::string(to_string(s.kind())) + ": " + message);
  }

  void opened(const Step& s, const std::string& name, const std::string& channel = "") {
    if (dynamic(name)) names_known_ = false;  // a name made at run time: later names cannot be checked
    if (names_known_ && open_[name]) fail(s, "connection '" + name + "' is already open (close it first)");
    open_[name] = true;
    channel_of_[name] = channel;
  }

  // A frame without variables is sent as written: where the connection's codec is the dialect's
  // encode(), one it cannot encode is an error now, not when the scenario runs.
  void encodable(const Step& s, const SendStep& b, const Vars& vars) {
    const auto* frames = std::get_if<std::vector<FrameTemplate>>(&b.payload);
    const auto channel = channel_of_.find(fill(b.on, vars));
    if (!frames || !dialect_ || channel == channel_of_.end() || dynamic(channel->second) ||
        !dialect_->encodes_statelessly(channel->second))
      return;
    for (const auto& f : *frames) {
      if (dynamic(f.value.dump(-1, ' ', false, json::error_handler_t::replace))) continue;
      try {
        dialect_->encode(f.value);
      } catch (const DialectError& e) {
        fail(s, std::string("this frame cannot be sent: ") + e.what());
      }
    }
  }
  // The connection may be closed from here on: connecting it again is allowed.
  void may_close(const std::string& name, const Vars& vars) { open_[fill(name, vars)] = false; }

  void used(const Step& s, const std::string& name, const Vars& vars) {
    if (!names_known_) return;
    const std::string n = fill(name, vars);
    if (dynamic(n) || open_.count(n)) return;
    std::string known;
    for (const auto& [o, is_open] : open_) known += (known.empty() ? "" : ", ") + o;
    fail(s, "no connection named '" + n + "' (" + (known.empty() ? "none is open yet" : "open: " + known) +
                "; connect it first)");
  }

  void channel(const Step& s, const std::string& channel) {
    if (channel.empty() || dynamic(channel) || !dialect_) return;
    ConnectionContext context;
    context.channel = channel;
    context.plays_server = scenario_.role == "server";
    try {
      dialect_->codec(context);
    } catch (const DialectError& e) {
      fail(s, e.what());
    }
  }

  void step(const Step& s, int depth, Vars& vars) {
    std::visit(
        [&](const auto& b) {
          using T = std::decay_t<decltype(b)>;
          if constexpr (std::is_same_v<T, ConnectStep>) {
            if (scenario_.role == "server") fail(s, "in a role: server scenario the client connects; use accept");
            for (const auto& c : b.connections) {
              channel(s, c.channel);
              opened(s, fill(c.name, vars), fill(c.channel, vars));
            }
          } else if constexpr (std::is_same_v<T, AcceptStep>) {
            if (scenario_.role != "server") fail(s, "only role: server scenarios accept connections");
            opened(s, fill(b.on, vars));
          } else if constexpr (std::is_same_v<T, SetStep>) {
            for (const auto& [k, v] : b.vars) vars[k] = fill(v, vars);
          } else if constexpr (std::is_same_v<T, RepeatStep>) {
            // Twice when it runs more than once: a connection its body leaves open is opened again.
            for (long long i = 0; i < std::min<long long>(std::max<long long>(b.times, 1), 2); ++i)
              steps(b.steps, depth + 1, vars);
          } else if constexpr (std::is_same_v<T, IncludeStep>) {
            include(s, b, depth, vars);
          } else if constexpr (std::is_same_v<T, SendStep>) {
            used(s, b.on, vars);
            encodable(s, b, vars);
          } else if constexpr (std::is_same_v<T, IgnoreStep>) {
            used(s, b.on, vars);
          } else if constexpr (std::is_same_v<T, ExpectStep>) {
            used(s, b.on, vars);
            if (b.or_close) may_close(b.on, vars);
          } else if constexpr (std::is_same_v<T, ExpectCloseStep>) {
            used(s, b.on, vars);
            may_close(b.on, vars);
          } else if constexpr (std::is_same_v<T, QuietStep>) {
            for (const auto& n : b.on) used(s, n, vars);
          } else if constexpr (std::is_same_v<T, CloseStep>) {
            for (const auto& n : b.on) used(s, n, vars), may_close(n, vars);
          }
          // input, advance and take_heartbeats (which may name a connection opened later) use none.
        },
        s.body);
  }

  void include(const Step& s, const IncludeStep& b, int depth, Vars& vars) {
    const auto space = suite_.fragments.find(scenario_.protocol);
    if (space == suite_.fragments.end()) return;
    const auto f = space->second.find(b.fragment);
    if (f == space->second.end()) return;
    if (std::find(including_.begin(), including_.end(), b.fragment) != including_.end())
      fail(
          s, "fragment '" + b.fragment + "' includes itself (through " + [&] {
            std::string chain;
            for (const auto& name : including_) chain += (chain.empty() ? "" : " -> ") + name;
            return chain;
          }() + ")");
    Vars inner = vars;  // the fragment sees its `with` values over the caller's variables
    for (const auto& [k, v] : b.with) inner[k] = fill(v, vars);
    including_.push_back(b.fragment);
    steps(f->second.steps, depth + 1, inner);
    including_.pop_back();
  }

  const Suite& suite_;
  const Scenario& scenario_;
  const Dialect* dialect_;
  std::map<std::string, bool> open_;               // connection names seen, and whether they are certainly open
  std::map<std::string, std::string> channel_of_;  // their channels ("" for the ordinary one)
  bool names_known_ = true;
  std::vector<std::string> including_;  // the fragments the checked step is inside
};

}  // namespace

void check_references(const Suite& suite) {
  for (const auto& scenario : suite.scenarios) {
    Vars vars;
    ReferenceChecker(suite, scenario).steps(scenario.steps, 0, vars);
  }
}

}  // namespace relaycheck::harness
