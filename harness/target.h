#pragma once
// What a scenario talks to. A Target makes one fresh Transport per scenario run. The kinds, one
// file each (their makers in target_impl.h):
//  - in-process (target_inprocess.cc): the reference engine here, on virtual time (the default);
//  - address (target_address.cc): a server already listening at HOST:PORT, shared by all scenarios;
//  - launched (target_launch.cc): a server started per scenario by the one launcher, the
//    reference server ("spawn") or a profile's program;
//  - client (target_client.cc): a client under test, launched per scenario; relaycheck plays
//    the server.
// make_target parses the three a --target string names: "inprocess", "spawn" and "HOST:PORT".
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "harness/timers.h"
#include "proto/common/address.h"
#include "proto/common/time.h"

namespace relaycheck::harness {

using proto::Millis;

// The target cannot be used at all (unreachable, cannot be started).
struct TargetError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ReadResult {
  enum class Kind { data, closed, timeout };
  Kind kind = Kind::timeout;
  std::string bytes;
  std::string detail;  // for closed: "closed", "reset", ...
};

class Transport {
 public:
  virtual ~Transport() = default;
  virtual void open(const std::string& conn) = 0;  // throws TargetError
  // A connection on a named channel other than the protocol's own (e.g. "control", its
  // simulated end users); throws TargetError where the target has no such channel.
  virtual void open_channel(const std::string& conn, const std::string& channel) {
    throw TargetError("this target has no '" + channel + "' channel (for connection '" + conn + "')");
  }
  // A named fact the target publishes for clients (e.g. "public-key-pem"), if it has it.
  virtual std::optional<std::string> attribute(const std::string& name) { return std::nullopt; }
  // Empty on success, else why the write failed (the peer may have gone).
  virtual std::string write(const std::string& conn, std::string_view bytes) = 0;
  virtual void close(const std::string& conn) = 0;
  // Whatever arrives on conn within `within`: bytes, the peer's close, or nothing.
  virtual ReadResult read(const std::string& conn, Millis within) = 0;
  // Lets time pass: virtual in-process, a real wait over the network.
  virtual void advance(Millis d) = 0;
  // Milliseconds since this transport was made (virtual or real).
  virtual long long now_ms() const = 0;
  // True when "nothing has arrived" is exact at once (in-process): no barrier needed.
  virtual bool exact_quiet() const = 0;
  // When the target process died: how, and its last stderr lines.
  virtual std::optional<std::string> crashed() { return std::nullopt; }

  // Only where relaycheck plays the server (a client under test): wait for the client's next
  // connection and call it `conn`; and type a line on the client's standard input.
  virtual void accept(const std::string& conn, Millis within) {
    throw TargetError("this target does not connect to relaycheck (accept needs a client profile)");
  }
  virtual std::string input(const std::string& text) { return "this target has no standard input"; }
};

class Target {
 public:
  virtual ~Target() = default;
  virtual std::string describe() const = 0;
  // Checks once, before a run, that the target can be used; throws TargetError.
  virtual void check(const std::string& protocol) = 0;
  virtual std::unique_ptr<Transport> connect(const std::string& protocol) = 0;
  // Whether each transport gets a fresh server (so scenarios can run in parallel).
  virtual bool isolated() const = 0;
  // True for a client under test: relaycheck plays the server and runs `role: server` scenarios.
  virtual bool plays_server() const { return false; }
  // Whether the target offers the named channel (Transport::open_channel), when that is known
  // before a scenario runs (an address's profile says); nullopt: only the scenario will tell.
  // A scenario that opens a channel the target lacks is skipped, not an error.
  virtual std::optional<bool> has_channel(const std::string& name) const { return std::nullopt; }
};

struct TargetOptions {
  std::string server_binary;  // for spawn: relaycheck-server
  // Passed to the reference server of protocols that take a --seed (so a run can be repeated).
  std::optional<std::uint64_t> seed;
  // What an address alone does not tell (a profile's attributes: and channels:, or run's
  // --attribute and --channel): facts the target publishes, and its other channels (none given:
  // it has none). A launched target uses the attributes in place of its own announcements.
  std::map<std::string, std::string> attributes;
  std::map<std::string, proto::HostPort> channels;
  Millis connect_timeout{3000};
  Millis start_timeout{5000};
  Clock clock;  // spawn: run --time-scale N divides the reference server's timers (harness/timers.h)
};

// Parses "inprocess", "spawn" or "HOST:PORT"; throws TargetError for anything else.
std::unique_ptr<Target> make_target(std::string_view spec, const TargetOptions& options);

}  // namespace relaycheck::harness
