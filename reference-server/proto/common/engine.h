#pragma once
// The byte-level face of one protocol's server core. The net shell and the harness's in-process
// target drive every protocol through this interface alone: bytes and time in, bytes and
// close requests out. No I/O happens behind it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/common/time.h"

namespace relaycheck::proto {

using ClientId = std::uint64_t;

// How far one connection has got, for the shell's handshake and idle timeouts.
struct ClientProgress {
  bool logged_in = false;    // the protocol's login (or its equivalent) has completed
  std::uint64_t frames = 0;  // complete frames received so far (relayed chunks count as frames)
};

struct Action {
  enum class Kind { send, close };
  Kind kind;
  ClientId client;
  std::string bytes;  // for send: what to write; for close: a reason, for logs only
};

class Engine {
 public:
  virtual ~Engine() = default;
  // A new connection. The id is chosen by the caller and unique for the engine's lifetime.
  virtual void on_connect(ClientId client, TimePoint now) = 0;
  virtual void on_bytes(ClientId client, std::string_view bytes, TimePoint now) = 0;
  // The peer went away (or the shell dropped it); no close action is expected back.
  virtual void on_disconnect(ClientId client, TimePoint now) = 0;
  // Runs every timer due at `now`.
  virtual void on_tick(TimePoint now) = 0;
  // The earliest time at which on_tick has something to do, if any.
  virtual std::optional<TimePoint> next_deadline() const = 0;
  // Actions produced since the last call, in order. A close follows the sends it flushes.
  virtual std::vector<Action> take_actions() = 0;
  // The same, into `into` (replacing what it held), for loops that run per event: an engine may
  // swap buffers so that neither side allocates again. Default: take_actions().
  virtual void drain_actions(std::vector<Action>& into) { into = take_actions(); }
  // Nothing when the engine does not track it (the shell then counts any bytes as progress and
  // applies no handshake timeout) or does not know the client.
  virtual std::optional<ClientProgress> progress(ClientId client) const { return std::nullopt; }
  // A connection through the control listener (protocols whose ProtocolInfo::control_channel is
  // set: moose's simulated end users). Others never see one.
  virtual void on_control_connect(ClientId client, TimePoint now) { on_connect(client, now); }
  // A named fact a client needs out of band (ProtocolInfo::attributes; moose: "public-key-pem").
  virtual std::optional<std::string> attribute(std::string_view name) const { return std::nullopt; }
};

}  // namespace relaycheck::proto
