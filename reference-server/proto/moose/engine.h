#pragma once
// The moose Engine: lines in (one raw packet a line on client connections, one command a line
// on control connections), the envelope opens raw packets and seals replies, the session does
// the rest. Written directly against proto::Engine because moose has two kinds of connection
// and a key per client, which FramedEngine does not model.
#include <map>
#include <memory>

#include "proto/common/engine.h"
#include "proto/common/line_codec.h"
#include "proto/moose/envelope.h"
#include "proto/moose/session.h"

namespace relaycheck::proto::moose {

// A raw packet line may hold a long message: 1 MiB, then the connection ends.
inline constexpr std::size_t kMaxLineBytes = 1024 * 1024;

class MooseEngine final : public Engine {
 public:
  MooseEngine(std::shared_ptr<const BlockCipher> cipher, Options options);

  void on_connect(ClientId c, TimePoint now) override;
  void on_control_connect(ClientId c, TimePoint now) override;
  void on_bytes(ClientId c, std::string_view bytes, TimePoint now) override;
  void on_disconnect(ClientId c, TimePoint now) override;
  void on_tick(TimePoint now) override;
  std::optional<TimePoint> next_deadline() const override { return session_.next_deadline(); }
  std::vector<Action> take_actions() override { return std::exchange(actions_, {}); }
  std::optional<std::string> attribute(std::string_view name) const override;
  // For the net shell's timeouts: a client is logged in once it is in the pool (a control
  // connection at once); every line is a frame.
  std::optional<ClientProgress> progress(ClientId c) const override;

  Session& session() { return session_; }

 private:
  struct Conn {
    bool control = false;
    LineSplitter lines{kMaxLineBytes, LineEnds::lf_or_crlf};
    std::shared_ptr<const PeerKey> key;  // loaded from the session's PEM for this client
    std::string key_pem;
    std::uint64_t frames = 0;  // lines received
  };

  void raw_packet(ClientId c, Conn& conn, std::string_view line, std::size_t line_start, TimePoint now);
  void collect();
  const PeerKey* peer_key(ClientId c, Conn& conn);

  Envelope envelope_;
  Session session_;
  std::map<ClientId, Conn> conns_;
  std::vector<Action> actions_;
};

}  // namespace relaycheck::proto::moose
