// The moose suite against the reference server (in-process and spawned) and against the two
// wrong servers issue 7 names: one that lets two clients win the same ring, and one that opens
// (and acts on) raw packets whose `to` is not the server.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "harness/loader.h"
#include "harness/runner.h"
#include "harness/target_impl.h"
#include "proto/moose/ciphers.h"
#include "proto/moose/protocol.h"
#include "proto/registry.h"
#include "suite_run.h"

namespace relaycheck::harness {
namespace {

using testing::failing_ids;
using testing::run_client_scenarios;

using proto::Action;
using proto::ClientId;
using proto::TimePoint;
using reports::ScenarioResult;
using reports::Status;
namespace moose = proto::moose;

// Passes everything through to the reference engine, control connections and attributes too;
// each fault overrides what it breaks.
class Decorator : public proto::Engine {
 public:
  Decorator() : inner_(proto::find_protocol("moose")->make_engine({})) {}
  void on_connect(ClientId c, TimePoint now) override { inner_->on_connect(c, now); }
  void on_control_connect(ClientId c, TimePoint now) override { inner_->on_control_connect(c, now); }
  void on_bytes(ClientId c, std::string_view b, TimePoint now) override { inner_->on_bytes(c, b, now); }
  void on_disconnect(ClientId c, TimePoint now) override { inner_->on_disconnect(c, now); }
  void on_tick(TimePoint now) override { inner_->on_tick(now); }
  std::optional<TimePoint> next_deadline() const override { return inner_->next_deadline(); }
  std::vector<Action> take_actions() override { return inner_->take_actions(); }
  std::optional<std::string> attribute(std::string_view name) const override { return inner_->attribute(name); }

 protected:
  std::unique_ptr<proto::Engine> inner_;
};

// Opens bounced packets: every "to":"client" is read as "to":"server".
class OpensBounces final : public Decorator {
 public:
  void on_bytes(ClientId c, std::string_view b, TimePoint now) override {
    std::string bytes(b);
    for (auto at = bytes.find("\"to\":\"client\""); at != std::string::npos; at = bytes.find("\"to\":\"client\"", at))
      bytes.replace(at, 13, "\"to\":\"server\"");
    inner_->on_bytes(c, bytes, now);
  }
};

// Lets a second client win a ring: it reads the clients' packets with the server's key (the
// reference engine's generated key, the same in this process) and, when a ringACK arrives for a
// ring already won, tells every client that this one won too.
class TwoWinners final : public Decorator {
 public:
  void on_bytes(ClientId c, std::string_view b, TimePoint now) override {
    inner_->on_bytes(c, b, now);
    buffers_[c] += b;
    for (auto nl = buffers_[c].find('\n'); nl != std::string::npos; nl = buffers_[c].find('\n')) {
      const std::string line = buffers_[c].substr(0, nl);
      buffers_[c].erase(0, nl + 1);
      auto opened = server_.open(line);
      if (!std::holds_alternative<moose::Opened>(opened)) continue;
      const json p = json::parse(std::get<moose::Opened>(opened).inner, nullptr, false);
      if (!p.is_object()) continue;
      if (p.value("type", "") == "key") keys_[c] = server_.cipher().load_peer_key(p.value("key", ""));
      if (p.value("type", "") == "ringACK" && !won_.insert(p["ID"].dump()).second) {
        const json second = {{"type", "ringACKACK"}, {"UUID", p["UUID"]}, {"ID", p["ID"]}};
        for (const auto& [client, key] : keys_)
          if (key) extra_.push_back({Action::Kind::send, client, server_.seal(second.dump(), *key, "")});
      }
    }
  }
  std::vector<Action> take_actions() override {
    auto actions = inner_->take_actions();
    for (auto& a : extra_) actions.push_back(std::move(a));
    extra_.clear();
    return actions;
  }

 private:
  moose::Envelope server_{std::make_shared<moose::RsaCipher>(moose::generated_server_key(2048))};
  std::map<ClientId, std::string> buffers_;
  std::map<ClientId, std::shared_ptr<const moose::PeerKey>> keys_;
  std::set<std::string> won_;
  std::vector<Action> extra_;
};

template <class Engine>
class FaultyTarget final : public Target {
 public:
  std::string describe() const override { return "faulty moose"; }
  void check(const std::string&) override {}
  std::unique_ptr<Transport> connect(const std::string&) override {
    return make_inprocess_transport(std::make_unique<Engine>());
  }
  bool isolated() const override { return true; }
};

Suite moose_suite() { return load_suite(RELAYCHECK_SCENARIO_DIR, {"moose"}); }

TEST(MooseSuite, CoversEveryAreaWithAtLeast35Scenarios) {
  const Suite suite = moose_suite();
  EXPECT_GE(suite.scenarios.size(), 35u);
  std::set<std::string> areas;
  for (const auto& s : suite.scenarios) areas.insert(s.id.substr(6, s.id.find('.', 6) - 6));
  EXPECT_EQ(areas, (std::set<std::string>{"chat_state", "client", "control", "disassociate", "disconnect", "envelope",
                                          "key", "msg", "probe", "ring", "status"}));
}

TEST(MooseSuite, ReferenceServerPassesInProcess) {
  auto target = make_target("inprocess", {});
  for (const auto& r : run_client_scenarios(moose_suite(), *target))
    EXPECT_EQ(r.status, Status::pass) << r.id << ": " << r.message;
}

TEST(MooseSuite, ReferenceServerPassesSpawned) {
  TargetOptions options;
  options.server_binary = RELAYCHECK_BIN_DIR "/relaycheck-server";
  // Each spawned server generates its RSA key at start: slow on a loaded machine.
  options.start_timeout = Millis{30'000};
  auto target = make_target("spawn", options);
  for (const auto& r : run_client_scenarios(moose_suite(), *target, 4, "", true)) {
    if (r.status == Status::skip) continue;  // the 60 s ring timeout: in-process only here
    EXPECT_EQ(r.status, Status::pass) << r.id << ": " << r.message;
  }
}

TEST(MooseSuite, TwoWinnersOfOneRingAreCaught) {
  FaultyTarget<TwoWinners> target;
  const auto bad = failing_ids(run_client_scenarios(moose_suite(), target));
  EXPECT_TRUE(bad.count("moose.ring.race-first-wins"));
  EXPECT_TRUE(bad.count("moose.ring.loser-not-associated"));
  for (const auto& id : bad) EXPECT_EQ(id.rfind("moose.ring.", 0), 0u) << id << " failed for an unrelated reason";
}

TEST(MooseSuite, OpeningBouncedPacketsIsCaught) {
  FaultyTarget<OpensBounces> target;
  const auto bad = failing_ids(run_client_scenarios(moose_suite(), target));
  EXPECT_EQ(bad, (std::set<std::string>{"moose.envelope.bounce-in-chat", "moose.envelope.bounce-not-opened"}));
}

}  // namespace
}  // namespace relaycheck::harness
