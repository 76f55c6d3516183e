// The psuirc suite against the reference server (in-process and spawned) and against servers
// that are wrong in the two ways issue 6 names: one that accepts a 7th client, and one that
// delivers a room message to a non-member. Each must fail the scenario written for it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <string>

#include "faulty_engine.h"
#include "harness/loader.h"
#include "harness/runner.h"
#include "harness/target_impl.h"
#include "harness/transport/process.h"
#include "suite_run.h"

namespace relaycheck::harness {
namespace {

using testing::expect_all_pass;
using testing::failing_ids;
using testing::find_result;
using testing::run_client_scenarios;

using reports::ScenarioResult;
using reports::Status;

// Wraps the reference engine and also delivers every room message to every connected client
// that did not get it: the sender's confirmation "message delivered to <room>" is the cue, and
// the copy is the line the real members got.
class LeakyDeliveryEngine final : public proto::Engine {
 public:
  explicit LeakyDeliveryEngine(std::unique_ptr<proto::Engine> inner) : inner_(std::move(inner)) {}

  void on_connect(proto::ClientId c, proto::TimePoint now) override {
    clients_.insert(c);
    inner_->on_connect(c, now);
  }
  void on_bytes(proto::ClientId c, std::string_view b, proto::TimePoint now) override { inner_->on_bytes(c, b, now); }
  void on_disconnect(proto::ClientId c, proto::TimePoint now) override {
    clients_.erase(c);
    inner_->on_disconnect(c, now);
  }
  void on_tick(proto::TimePoint now) override { inner_->on_tick(now); }
  std::optional<proto::TimePoint> next_deadline() const override { return inner_->next_deadline(); }

  std::vector<proto::Action> take_actions() override {
    std::vector<proto::Action> out = inner_->take_actions();
    std::vector<proto::Action> extra;
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (!testing::sends(out[i], "message delivered to ")) continue;
      // The deliveries of this message are the sends to others just before the confirmation.
      std::set<proto::ClientId> got{out[i].client};
      std::string line;
      for (std::size_t k = i; k-- > 0 && out[k].kind == proto::Action::Kind::send && out[k].client != out[i].client;) {
        got.insert(out[k].client);
        line = out[k].bytes;
      }
      if (line.empty()) continue;
      for (proto::ClientId c : clients_)
        if (!got.count(c)) extra.push_back({proto::Action::Kind::send, c, line});
    }
    for (auto& a : out)
      if (a.kind == proto::Action::Kind::close) clients_.erase(a.client);
    out.insert(out.end(), extra.begin(), extra.end());
    return out;
  }

 private:
  std::unique_ptr<proto::Engine> inner_;
  std::set<proto::ClientId> clients_;
};

// The psuirc engine, built with the given options and optionally made leaky, in-process.
class WrongServer final : public Target {
 public:
  WrongServer(proto::OptionValues options, bool leaky) : options_(std::move(options)), leaky_(leaky) {}
  std::string describe() const override { return "wrong psuirc server"; }
  void check(const std::string&) override {}
  std::unique_ptr<Transport> connect(const std::string& protocol) override {
    auto engine = proto::find_protocol(protocol)->make_engine(options_);
    if (leaky_) engine = std::make_unique<LeakyDeliveryEngine>(std::move(engine));
    return make_inprocess_transport(std::move(engine));
  }
  bool isolated() const override { return true; }

 private:
  proto::OptionValues options_;
  bool leaky_;
};

Suite psuirc_suite() { return load_suite(RELAYCHECK_SCENARIO_DIR, {"psuirc"}); }

TEST(PsuircSuite, ReferenceServerPassesInProcess) {
  auto target = make_target("inprocess", {});
  expect_all_pass(run_client_scenarios(psuirc_suite(), *target), 35);
}

TEST(PsuircSuite, ReferenceServerPassesSpawned) {
  TargetOptions options;
  options.server_binary = RELAYCHECK_BIN_DIR "/relaycheck-server";
  auto target = make_target("spawn", options);
  expect_all_pass(run_client_scenarios(psuirc_suite(), *target, 8), 35);
}

TEST(PsuircSuite, TheSameEngineWithDefaultOptionsPasses) {
  // The wrong-server target itself is sound: without a fault it passes everything.
  WrongServer target({}, false);
  expect_all_pass(run_client_scenarios(psuirc_suite(), target), 35);
}

TEST(PsuircSuite, AServerThatAcceptsASeventhClientFails) {
  WrongServer target({{"max-clients", "7"}}, false);
  const auto results = run_client_scenarios(psuirc_suite(), target);
  const auto& r = find_result(results, "psuirc.limits.seventh-refused");
  ASSERT_EQ(r.status, Status::fail);
  EXPECT_NE(r.message.find("no frame arrived on 'seventh'"), std::string::npos) << r.message;
  EXPECT_EQ(failing_ids(results),
            (std::set<std::string>{"psuirc.limits.seventh-refused", "psuirc.limits.seventh-wording",
                                   "psuirc.limits.seventh-closed", "psuirc.limits.not-logged-in-count"}));
}

TEST(PsuircSuite, AServerThatDeliversToANonMemberFails) {
  WrongServer target({}, true);
  const auto results = run_client_scenarios(psuirc_suite(), target);
  const auto& r = find_result(results, "psuirc.send.not-to-non-members");
  ASSERT_EQ(r.status, Status::fail);
  EXPECT_NE(r.message.find("expected nothing more on 'carol'"), std::string::npos) << r.message;
  EXPECT_NE(r.actual.find("members only"), std::string::npos) << r.actual;
  // The scenarios whose rooms have every connected user as a member cannot see the leak.
  EXPECT_EQ(find_result(results, "psuirc.send.delivered").status, Status::pass);
}

// A server that words the replies as the spec prints them: "Sorry, no rooms " with its trailing
// space, "welcome user \n" (a trailing space), and in other letter cases ("Welcome User").
class SpecWording final : public Target {
 public:
  std::string describe() const override { return "spec wording"; }
  void check(const std::string&) override {}
  std::unique_ptr<Transport> connect(const std::string& protocol) override {
    return make_inprocess_transport(std::make_unique<testing::FaultyEngine>(
        proto::find_protocol(protocol)->make_engine({}), [](const proto::Action& a) {
          proto::Action b = a;
          if (testing::sends(a, "Sorry, no rooms\n")) b.bytes = "Sorry, no rooms \n";
          if (testing::sends(a, "welcome user\n")) b.bytes = "Welcome User \n";
          return std::vector<proto::Action>{b};
        }));
  }
  bool isolated() const override { return true; }
};

TEST(PsuircSuite, LooseMatchingIsChosenPerRun) {
  const Suite suite = psuirc_suite();
  SpecWording target;
  const auto exact = run_client_scenarios(suite, target, 1, "psuirc.rooms.none");
  ASSERT_EQ(exact.size(), 1u);
  EXPECT_EQ(exact[0].status, Status::fail);
  const auto loose =
      run_client_scenarios(suite, target, 1, "", false, Wording::loose);  // as a profile's `wording: loose`
  EXPECT_EQ(find_result(loose, "psuirc.rooms.none").status, Status::pass)
      << find_result(loose, "psuirc.rooms.none").message;
  EXPECT_EQ(find_result(loose, "psuirc.login.name-exists").status, Status::pass);
  EXPECT_EQ(find_result(loose, "psuirc.labels.invalid-utf8-username").status, Status::pass);
}

// Over TCP, where `quiet` relies on the dialect's barrier probe.
class PsuircServer {
 public:
  explicit PsuircServer(const std::string& max_clients)
      : child_({RELAYCHECK_BIN_DIR "/relaycheck-server", "--protocol", "psuirc", "--listen", "127.0.0.1:0",
                "--max-clients", max_clients}) {
    auto line = child_.read_line(std::chrono::seconds(5));
    if (!line || line->rfind("listening on ", 0) != 0) throw std::runtime_error("psuirc server did not start");
    address_ = line->substr(13);
  }
  const std::string& address() const { return address_; }

 private:
  ChildProcess child_;
  std::string address_;
};

// An address whose server was started for the one scenario run against it: fresh, so the
// fresh-server scenarios an address target skips can run.
class FreshAddressTarget final : public Target {
 public:
  explicit FreshAddressTarget(const std::string& address) : inner_(make_target(address, {})) {}
  std::string describe() const override { return inner_->describe(); }
  void check(const std::string& protocol) override { inner_->check(protocol); }
  std::unique_ptr<Transport> connect(const std::string& protocol) override { return inner_->connect(protocol); }
  bool isolated() const override { return true; }

 private:
  std::unique_ptr<Target> inner_;
};

TEST(PsuircNetwork, SeventhClientAcceptedOverTcpFails) {
  PsuircServer server("7");
  FreshAddressTarget target(server.address());
  target.check("psuirc");
  const auto results = run_client_scenarios(psuirc_suite(), target, 1, "psuirc.limits.seventh-refused");
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, Status::fail) << results[0].message;
}

TEST(PsuircNetwork, BarrierProbeWorksBeforeAndAfterLogin) {
  // Both scenarios use `quiet` on connections that have and have not sent a username.
  PsuircServer server("6");
  auto target = make_target(server.address(), {});
  for (const char* id : {"psuirc.login.nothing-before-username", "psuirc.login.retry-after-invalid",
                         "psuirc.join.non-members-not-told"}) {
    const auto results = run_client_scenarios(psuirc_suite(), *target, 1, id);
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].status, Status::pass) << id << ": " << results[0].message << "\n" << results[0].actual;
  }
}

}  // namespace
}  // namespace relaycheck::harness
