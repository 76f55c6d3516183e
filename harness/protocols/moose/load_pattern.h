#pragma once
// moose's load pattern. Clients do not talk to each other: each chats with an end user on an
// outside service, and the server's control channel plays the end users (docs/protocols/moose.md).
// So participant i < N is client i and participant N + i is the end user it answered the ring
// of; each one's messages are due only at the other (LoadStats' partner model).
#include <optional>
#include <string>

#include "harness/load/pattern.h"

namespace relaycheck::harness::load {

class MoosePattern final : public Pattern {
 public:
  std::string protocol() const override { return "moose"; }
  // key, answered by status (server_online before it the first time: not the step's reply).
  std::vector<SetupStep> login(int client) const override;
  // msg I/O out, carried to the end user; the control channel reports it as `said USER TEXT`.
  json message(int client, std::uint64_t seq, std::size_t size) const override;
  // msg I/O in from the end user (participant clients + client); probe is the heartbeat.
  Received classify(int client, const json& frame) const override;
  std::optional<json> pong(const json& probe) const override;
  // Clients chat with end users the control channel plays, not with each other (load_run.cc).
  bool runs_own_load() const override { return true; }
  LoadOutcome run_own_load(const Dialect& dialect, const boost::asio::ip::tcp::endpoint& server,
                           const TargetFacts& facts, const LoadConfig& config,
                           const std::function<void(const LoadStats&, double elapsed)>& on_second) const override;

  // The run's N, so classify() knows who each client's end user is.
  explicit MoosePattern(int clients = 0) : clients_(clients) {}
  int clients() const { return clients_; }
  static std::string uuid(int client) { return name(client); }
  std::string end_user(int client) const { return name(clients_ + client); }

  // Control channel lines: the end user calls (reply `ok ring ID`), the client takes the ring,
  // the end user writes (reply `ok write`).
  std::string ring_command(int client) const { return "ring " + service() + " " + end_user(client); }
  static std::optional<std::string> ring_id(const std::string& reply);
  json ring_ack(int client, const std::string& id) const;
  std::string write_command(int client, std::uint64_t seq, std::size_t size) const;
  // A control line that is an event, read as a delivery to an end user (`said USER TEXT`), an
  // answered ring (`answered ID UUID`), or nothing (Kind::other).
  Received classify_control(const std::string& line) const;
  static std::string service() { return "sms"; }  // one of the reference server's default services

 private:
  int clients_;
};

}  // namespace relaycheck::harness::load
