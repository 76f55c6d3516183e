#pragma once
// A protocol's traffic pattern for `relaycheck load`: how a client logs in and joins the room
// everyone talks in, the message it sends (carrying its index and a sequence number, so every
// delivery can be checked), and what each frame it receives is. Frames are the scenario
// dialect's JSON (harness/protocols/<id>/dialect.h), so no wire format is written twice.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "harness/protocols/dialect.h"

namespace relaycheck::harness::load {

struct LoadConfig;
struct LoadOutcome;
struct TargetFacts;
class LoadStats;

// A frame to send during setup and the reply that completes that step.
struct SetupStep {
  json frame;
  json reply;  // a pattern for match.h (normalised by the dialect)
};

struct Received {
  enum class Kind {
    delivery,  // someone's message: sender index and sequence number below
    ack,       // the server's confirmation of this client's own message
    ping,      // the server checks the client is alive: answer with Pattern::pong
    error,     // the protocol's error reply
    corrupt,   // looks like a message but its body or sender does not add up
    other,     // joins, leaves and the like: not checked
  };
  Kind kind = Kind::other;
  int sender = -1;
  std::uint64_t seq = 0;
  std::string detail;  // for error and corrupt
};

class Pattern {
 public:
  virtual ~Pattern() = default;
  virtual std::string protocol() const = 0;
  // Client names: valid in every protocol (letters and digits, 3..14 characters).
  static std::string name(int client);
  // Reference-server options the pattern needs for `clients` clients (a server's client limit).
  virtual std::vector<std::string> server_args(int clients) const { return {}; }
  // The steps to log in; the steps only the first client runs once everyone is in (creating
  // the room); the steps every client runs after that (joining it).
  virtual std::vector<SetupStep> login(int client) const = 0;
  virtual std::vector<SetupStep> create_room() const { return {}; }
  virtual std::vector<SetupStep> join(int client) const { return {}; }
  virtual json message(int client, std::uint64_t seq, std::size_t size) const = 0;
  virtual Received classify(int client, const json& frame) const = 0;
  virtual std::optional<json> pong(const json& ping) const { return std::nullopt; }
  // A pattern whose clients do not all talk to each other runs its own load (true, and
  // run_own_load does it); the others run everyone-to-everyone (run.cc).
  virtual bool runs_own_load() const { return false; }
  virtual LoadOutcome run_own_load(const Dialect& dialect, const boost::asio::ip::tcp::endpoint& server,
                                   const TargetFacts& facts, const LoadConfig& config,
                                   const std::function<void(const LoadStats&, double elapsed)>& on_second) const;
};

// The protocol's plug-in's pattern (harness/protocols/<id>/load_pattern.cc); nothing for a
// protocol without one.
std::unique_ptr<Pattern> make_pattern(const std::string& protocol);
std::string patterns_known();

// The text a message carries: "m <client> <seq>", padded with 'x' to `size` bytes.
std::string message_body(int client, std::uint64_t seq, std::size_t size);

// A frame's string field, "" when absent or not a string (the plug-ins' patterns read frames so).
std::string string_field(const json& frame, const char* key);

// Reads a body back, checking it names `sender_name`'s client; kind delivery, or corrupt.
Received parse_body(const std::string& sender_name, const std::string& body);

}  // namespace relaycheck::harness::load
