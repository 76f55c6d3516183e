#pragma once
// The moose server state machine: the pool of clients, rings, associations with end users, the
// probe timers and the control channel that plays the end users. Inner packets (already
// opened JSON) and control lines in, packets and lines out. No I/O, no clock, no crypto.
// Rules and the decisions behind them: docs/protocols/moose.md.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "proto/common/engine.h"

namespace relaycheck::proto::moose {

using nlohmann::json;

struct Options {
  Millis probe_after{7'000};                        // client silence before a probe (spec 2.4 default)
  Millis probe_timeout{3'000};                      // a probe unanswered this long removes the client (spec 2.4)
  Millis ring_timeout{60'000};                      // a ring no one accepts ends with ringACKACK UUID ""
  std::vector<std::string> services{"sms", "web"};  // all online at start
};

// Packets the server dropped, by reason (the control channel's `stats`).
struct Counters {
  std::uint64_t bounced = 0;      // `to` not the server: never opened
  std::uint64_t undecodable = 0;  // bad raw JSON, bad base64, a block that does not decrypt
  std::uint64_t bad_json = 0;     // the opened inner packet is not a JSON object
  std::uint64_t invalid = 0;      // a packet the session does not accept (type, fields, state)
};

class Session {
 public:
  struct Out {
    enum class Kind { packet, line };
    Kind kind;
    ClientId client;
    json packet;       // for packet: the inner packet, to be sealed to the client's key
    std::string line;  // for line: a control line without terminator
  };

  explicit Session(Options options = {});

  // A client connection (raw packets) and a control connection (lines).
  void on_connect(ClientId c, TimePoint now);
  void on_control_connect(ClientId c, TimePoint now);
  // An inner packet opened on connection c.
  void on_packet(ClientId c, const json& packet, TimePoint now);
  void on_control_line(ClientId c, std::string_view line, TimePoint now);
  void on_disconnect(ClientId c, TimePoint now);
  void on_tick(TimePoint now);
  std::optional<TimePoint> next_deadline() const;
  std::vector<Out> take_output() { return std::exchange(out_, {}); }

  Counters& counters() { return counters_; }
  void set_last_error(std::string why) { last_error_ = std::move(why); }

  // Introspection for the engine, tests and fuzz invariants.
  const std::string* key_of(ClientId c) const;   // the PEM of a client in the pool
  const std::string* uuid_of(ClientId c) const;  // the UUID of a client in the pool
  std::vector<std::string> pool() const;         // UUIDs in the pool, sorted
  std::optional<std::string> associated_user(ClientId c) const;
  std::size_t pending_rings() const { return rings_.size(); }

 private:
  struct Client {
    std::string uuid, key;
    TimePoint last_heard{};
    std::optional<TimePoint> probed_at;  // a probe is unanswered since
    std::optional<std::string> user;     // the end user it is associated with
  };
  struct Ring {
    std::string service, user;
    TimePoint expires{};
  };
  struct EndUser {
    std::optional<std::int64_t> ring;    // ringing now
    std::optional<ClientId> associated;  // in a chat with this client
  };

  void packet(ClientId c, json p) { out_.push_back({Out::Kind::packet, c, std::move(p), {}}); }
  void line(ClientId c, std::string text) { out_.push_back({Out::Kind::line, c, {}, std::move(text)}); }
  void to_pool(const json& p);
  void to_control(const std::string& text);
  json status_packet() const;

  void key(ClientId c, const json& p, TimePoint now);
  bool client_packet(ClientId c, Client& cl, const std::string& type, const json& p);
  void ring_ack(ClientId c, Client& cl, const json& p);
  void end_association(Client& cl, const std::string& why);
  void leave_pool(ClientId c, const std::string& why);
  void end_ring(std::int64_t id, const std::string& winner);

  void control(ClientId c, const std::vector<std::string>& words, std::string_view rest, TimePoint now);

  Options opt_;
  std::set<ClientId> connections_, controls_;
  std::map<ClientId, Client> pool_;
  std::set<std::string> ever_keyed_;  // UUIDs whose key arrived since this server started
  std::map<std::int64_t, Ring> rings_;
  std::int64_t next_ring_ = 1;
  std::map<std::string, EndUser> users_;
  std::map<std::string, bool> services_;  // name -> online
  Counters counters_;
  std::string last_error_ = "none";
  std::vector<Out> out_;
};

}  // namespace relaycheck::proto::moose
