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
};

}  // namespace relaycheck::proto
