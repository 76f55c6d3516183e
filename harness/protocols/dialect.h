#pragma once
// A dialect maps one protocol's frames to and from the JSON values scenarios are written in.
// It is built on the protocol's codec in reference-server/proto/<id>/.
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

namespace relaycheck::harness {

using nlohmann::json;

// A frame in a scenario that the dialect cannot encode.
struct DialectError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Bytes the server sent that do not decode.
struct Undecodable {
  std::string reason;  // with the byte offset in the connection's stream
};

class FrameDecoder {
 public:
  virtual ~FrameDecoder() = default;
  virtual void feed(std::string_view bytes) = 0;
  // The next decoded frame, nothing if more bytes are needed, or why the stream is broken.
  virtual std::variant<std::monostate, json, Undecodable> next() = 0;
  // Bytes received but not yet part of a frame (reported when a connection closes mid-frame).
  virtual std::size_t pending_bytes() const = 0;
  // A frame relaycheck sent on this connection while playing the server (role: server): what it
  // sends can change how the client's bytes are framed (cop's 11 turns the stream into a bridge).
  virtual void on_sent(const json& frame) {}
};

// Bytes to send to learn that everything sent before has been answered, and the reply that
// proves it. Used by `quiet` over the network.
struct BarrierProbe {
  std::string bytes;
  json reply_pattern;
};

// A server heartbeat's answer (saxion PING -> PONG): the frame to send and how a transcript names it.
struct HeartbeatAnswer {
  json frame;
  std::string shown;
};

// The barrier probe of one connection as its conversation goes, for a protocol whose harmless
// probe depends on the connection's state (cs594: a LIST_ROOMS only once logged in). Fed the
// connection's frames as the dialect decodes them: what was sent (in order, before their
// replies) and what came back. A probe must be something the spec answers with a reply that
// changes no state; where the spec guarantees none, probe() is empty and the barrier is a
// silence window (harness/barrier.h).
class BarrierTracker {
 public:
  virtual ~BarrierTracker() = default;
  virtual void on_sent(const json& frame) {}
  virtual void on_received(const json& frame) {}
  // True while replies still to come decide which probe fits (cop: a LOGIN not yet answered):
  // read them, then ask probe() again.
  virtual bool pending() const { return false; }
  // The probe for the state now (when not pending); nothing when no probe is safe in it.
  virtual std::optional<BarrierProbe> probe() const = 0;
};

// What a connection's codec may need beyond the dialect: the channel it was opened on ("" for
// the protocol's ordinary connections; "control" for a control channel) and named facts the
// target publishes (moose: "public-key-pem", the server's public key).
struct ConnectionContext {
  std::string channel;
  // True where relaycheck plays the server (role: server): the connection is the server's end.
  bool plays_server = false;
  std::function<std::optional<std::string>(const std::string&)> attribute = [](const std::string&) {
    return std::optional<std::string>();
  };
};

// One connection's encoder and decoder together, for protocols whose framing has per-connection
// state (moose: the client's key pair). Dialect::codec makes one per connection; the default
// wraps the dialect's stateless encode() and a decoder().
class ConnectionCodec : public FrameDecoder {
 public:
  // Encodes a scenario frame (variables already substituted). Throws DialectError.
  virtual std::string encode(const json& frame) = 0;
};

class Dialect {
 public:
  virtual ~Dialect() = default;
  virtual std::string protocol() const = 0;
  // Encodes a scenario frame (variables already substituted). Throws DialectError.
  virtual std::string encode(const json& frame) const = 0;
  virtual std::unique_ptr<FrameDecoder> decoder() const = 0;
  // Turns a scenario's shorthand pattern into one that matches decoded frames.
  virtual json normalize_pattern(const json& pattern) const = 0;
  // A decoded frame as people read it in a transcript.
  virtual std::string describe(const json& frame) const = 0;
  virtual std::optional<BarrierProbe> barrier() const = 0;
  // Whether the spec sends some frames to every logged-in user, not only to a room's members or
  // a named peer. Then scenarios sharing one server would see each other's, so against a shared
  // (non-isolated) target they run one at a time. Default: yes, the safe answer.
  virtual bool broadcasts_to_all_users() const { return true; }
  // A connection's state-aware probe. Default: barrier() in every state.
  virtual std::unique_ptr<BarrierTracker> barrier_tracker() const;
  // The codec of one connection. Default: encode() and decoder(), for the ordinary channel only.
  virtual std::unique_ptr<ConnectionCodec> codec(const ConnectionContext& context) const;
  // Whether a connection on `channel` encodes with encode() alone, so a frame without variables
  // is checked when its file loads. Default: the ordinary channel (the default codec's).
  virtual bool encodes_statelessly(const std::string& channel) const { return channel.empty(); }
  // When `frame` (decoded, from the server) is a heartbeat a conforming client answers: the answer
  // to send, as a scenario frame for the connection's codec. Default: the protocol has none.
  virtual std::optional<HeartbeatAnswer> heartbeat_answer(const json& frame) const { return std::nullopt; }
  // Whether `written`, raw bytes a scenario sent since its last whole frame, ends between frames,
  // so a heartbeat answer written now would not split one. Default: a line protocol.
  virtual bool ends_client_frame(std::string_view written) const { return !written.empty() && written.back() == '\n'; }
};

const Dialect* find_dialect(std::string_view protocol);
// "saxion, ..." for messages.
std::string known_protocols();

}  // namespace relaycheck::harness
