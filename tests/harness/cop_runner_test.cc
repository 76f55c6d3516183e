// The cop suite against the reference server (in-process and spawned) and against servers that
// are wrong in the ways issue 4 names: a bridge that sends 11 before both peers have arrived,
// and servers that echo a wrong opcode. Each must fail the scenarios written for it.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "faulty_engine.h"
#include "harness/loader.h"
#include "harness/runner.h"
#include "harness/target_impl.h"
#include "suite_run.h"

namespace relaycheck::harness {
namespace {

using testing::expect_all_pass;
using testing::failing_ids;
using testing::run_client_scenarios;

using reports::ScenarioResult;
using reports::Status;

// Acknowledges a PRIVATE_CONNECT (10) with PRIVATE_ESTABLISHED (11) at once, before the peer
// has arrived, and swallows the real 11 later so nothing else changes.
class EarlyAckEngine final : public proto::Engine {
 public:
  explicit EarlyAckEngine(std::unique_ptr<proto::Engine> inner) : inner_(std::move(inner)) {}
  void on_connect(proto::ClientId c, proto::TimePoint now) override {
    first_bytes_[c];
    inner_->on_connect(c, now);
  }
  void on_bytes(proto::ClientId c, std::string_view b, proto::TimePoint now) override {
    auto it = first_bytes_.find(c);
    if (it != first_bytes_.end()) {
      it->second.append(b);
      if (it->second.size() >= 9) {
        if (it->second[0] == '\x0a') {
          early_.push_back({proto::Action::Kind::send, c, "\x0b"});
          acked_.insert(c);
        }
        first_bytes_.erase(it);
      }
    }
    inner_->on_bytes(c, b, now);
  }
  void on_disconnect(proto::ClientId c, proto::TimePoint now) override { inner_->on_disconnect(c, now); }
  void on_tick(proto::TimePoint now) override { inner_->on_tick(now); }
  std::optional<proto::TimePoint> next_deadline() const override { return inner_->next_deadline(); }
  std::vector<proto::Action> take_actions() override {
    std::vector<proto::Action> out = std::exchange(early_, {});
    for (auto& a : inner_->take_actions()) {
      if (a.kind == proto::Action::Kind::send && acked_.count(a.client) && a.bytes.rfind("\x0b", 0) == 0) {
        acked_.erase(a.client);
        a.bytes.erase(0, 1);
        if (a.bytes.empty()) continue;
      }
      out.push_back(std::move(a));
    }
    return out;
  }

 private:
  std::unique_ptr<proto::Engine> inner_;
  std::map<proto::ClientId, std::string> first_bytes_;
  std::set<proto::ClientId> acked_;
  std::vector<proto::Action> early_;
};

// Rewrites the opcode byte of every frame the server sends that starts with `from`.
testing::FaultyEngine::Rewrite wrong_opcode(char from, char to) {
  return [from, to](const proto::Action& a) {
    proto::Action b = a;
    if (a.kind == proto::Action::Kind::send && !a.bytes.empty() && a.bytes[0] == from) b.bytes[0] = to;
    return std::vector<proto::Action>{b};
  };
}

class WrongServer final : public Target {
 public:
  using Wrap = std::function<std::unique_ptr<proto::Engine>(std::unique_ptr<proto::Engine>)>;
  explicit WrongServer(Wrap wrap) : wrap_(std::move(wrap)) {}
  std::string describe() const override { return "wrong cop server"; }
  void check(const std::string&) override {}
  std::unique_ptr<Transport> connect(const std::string& protocol) override {
    return make_inprocess_transport(wrap_(proto::find_protocol(protocol)->make_engine({})));
  }
  bool isolated() const override { return true; }

 private:
  Wrap wrap_;
};

Suite cop_suite() { return load_suite(RELAYCHECK_SCENARIO_DIR, {"cop"}); }

TEST(CopSuite, HasFortyOrMoreScenariosWithUniqueIds) {
  const Suite suite = cop_suite();
  std::set<std::string> ids;
  for (const auto& s : suite.scenarios) {
    EXPECT_TRUE(ids.insert(s.id).second) << s.id;
    EXPECT_EQ(s.id.rfind("cop.", 0), 0u) << s.id;
  }
  EXPECT_GE(ids.size(), 40u);
}

TEST(CopSuite, ReferenceServerPassesInProcess) {
  expect_all_pass(run_client_scenarios(cop_suite(), *make_target("inprocess", {})), 40);
}

TEST(CopSuite, ReferenceServerPassesSpawned) {
  TargetOptions options;
  options.server_binary = RELAYCHECK_BIN_DIR "/relaycheck-server";
  auto target = make_target("spawn", options);
  // The inactivity scenarios wait 5 real minutes over the network; they run in-process above.
  expect_all_pass(run_client_scenarios(cop_suite(), *target, 8, "", true), 40);
}

TEST(CopSuite, TheWrappersThemselvesAreSound) {
  WrongServer plain([](std::unique_ptr<proto::Engine> e) { return e; });
  expect_all_pass(run_client_scenarios(cop_suite(), plain), 40);
}

TEST(CopSuite, ABridgeThatAcknowledgesBeforeBothArriveFails) {
  WrongServer target([](std::unique_ptr<proto::Engine> e) { return std::make_unique<EarlyAckEngine>(std::move(e)); });
  const auto failed = failing_ids(run_client_scenarios(cop_suite(), target));
  for (const char* id : {"cop.bridge.established", "cop.bridge.no-ack-alone", "cop.bridge.either-order"})
    EXPECT_TRUE(failed.count(id)) << id;
  EXPECT_FALSE(failed.count("cop.login.accepted"));
}

TEST(CopSuite, AServerThatRelaysAnAcceptanceAsARefusalFails) {
  WrongServer target([](std::unique_ptr<proto::Engine> e) {
    return std::make_unique<testing::FaultyEngine>(std::move(e), wrong_opcode('\x07', '\x08'));
  });
  const auto failed = failing_ids(run_client_scenarios(cop_suite(), target));
  for (const char* id : {"cop.private.accept", "cop.private.accept-opcodes", "cop.bridge.established"})
    EXPECT_TRUE(failed.count(id)) << id;
  EXPECT_FALSE(failed.count("cop.private.refuse"));
}

TEST(CopSuite, AServerThatAnswersLoginWithTheWrongOpcodeFails) {
  WrongServer target([](std::unique_ptr<proto::Engine> e) {
    return std::make_unique<testing::FaultyEngine>(std::move(e), wrong_opcode('\x01', '\x02'));
  });
  const auto results = run_client_scenarios(cop_suite(), target);
  const auto failed = failing_ids(results);
  EXPECT_TRUE(failed.count("cop.login.accepted"));
  EXPECT_TRUE(failed.count("cop.login.opcode-numbers"));
  EXPECT_GE(failed.size(), 40u);  // nearly every scenario logs in first
}

TEST(CopSuite, AServerThatRelaysPublicMessagesAsPrivateFails) {
  // Opcode 4 rewritten to 5: the frame no longer has the layout its opcode implies.
  WrongServer target([](std::unique_ptr<proto::Engine> e) {
    return std::make_unique<testing::FaultyEngine>(std::move(e), wrong_opcode('\x04', '\x05'));
  });
  const auto failed = failing_ids(run_client_scenarios(cop_suite(), target));
  EXPECT_TRUE(failed.count("cop.public.broadcast"));
  EXPECT_FALSE(failed.count("cop.private-msg.delivered"));
}

}  // namespace
}  // namespace relaycheck::harness
