// The cs594 suite against the reference server (in-process and spawned) and against servers
// that are wrong in one way each. Above all the fault issue 5 names: a server that answers an
// unknown op by dropping the connection instead of sending ERR_ILLEGAL_OP.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>

#include <boost/asio/post.hpp>

#include "faulty_engine.h"
#include "harness/loader.h"
#include "harness/runner.h"
#include "harness/target_impl.h"
#include "net/server.h"
#include "suite_run.h"

namespace relaycheck::harness {
namespace {

using testing::failing_ids;
using testing::find_result;
using testing::run_client_scenarios;

using proto::Action;
using reports::ScenarioResult;
using reports::Status;

using Rewrite = testing::FaultyEngine::Rewrite;

// The cs594 faults, by name. Replies are one JSON object per line, keys sorted, so each is
// recognised by its exact text or prefix.
Rewrite cs594_fault(const std::string& name) {
  if (name == "drop-on-unknown-op")  // close instead of {"op":11}
    return [](const Action& a) {
      if (a.kind == Action::Kind::send && a.bytes == "{\"op\":11}\n")
        return std::vector<Action>{{Action::Kind::close, a.client, "unknown op"}};
      return std::vector<Action>{a};
    };
  if (name == "wrong-error-code")  // ERR_ILLEGAL_NAME (14) where ERR_NAME_EXISTS (13) is due
    return [](const Action& a) {
      Action b = a;
      if (testing::sends(a, "{\"op\":13,")) b.bytes = "{\"op\":14," + a.bytes.substr(9);
      return std::vector<Action>{b};
    };
  if (name == "no-heartbeat")
    return [](const Action& a) {
      return testing::sends(a, "{\"op\":8}") ? std::vector<Action>{} : std::vector<Action>{a};
    };
  if (name == "no-user-exit")
    return [](const Action& a) {
      return testing::sends(a, "{\"op\":7,") ? std::vector<Action>{} : std::vector<Action>{a};
    };
  if (name == "message-to-everyone")  // MESSAGE fanned out twice: an extra copy to each member
    return [](const Action& a) {
      return a.bytes.find("\"op\":6,") != std::string::npos ? std::vector<Action>{a, a} : std::vector<Action>{a};
    };
  throw std::invalid_argument("no cs594 fault " + name);
}

class FaultyTarget final : public Target {
 public:
  explicit FaultyTarget(std::string fault) : fault_(std::move(fault)) {}
  std::string describe() const override { return "faulty:" + fault_; }
  void check(const std::string&) override {}
  std::unique_ptr<Transport> connect(const std::string& protocol) override {
    return make_inprocess_transport(
        std::make_unique<testing::FaultyEngine>(proto::find_protocol(protocol)->make_engine({}), cs594_fault(fault_)));
  }
  bool isolated() const override { return true; }

 private:
  std::string fault_;
};

// The same faulty engine behind the real net shell, on a thread of this process: a server that
// is wrong over TCP.
class FaultyTcpServer {
 public:
  explicit FaultyTcpServer(const std::string& fault)
      : server_(
            io_,
            std::make_unique<testing::FaultyEngine>(proto::find_protocol("cs594")->make_engine({}), cs594_fault(fault)),
            net::ServerConfig{}, log_) {
    server_.start();
    address_ = "127.0.0.1:" + std::to_string(server_.local_endpoint().port());
    thread_ = std::thread([this] { io_.run(); });
  }
  ~FaultyTcpServer() {
    boost::asio::post(io_, [this] { server_.stop(); });
    thread_.join();
  }
  const std::string& address() const { return address_; }

 private:
  boost::asio::io_context io_;
  net::Logger log_{net::LogLevel::error};
  net::Server server_;
  std::string address_;
  std::thread thread_;
};

Suite cs594_suite() { return load_suite(RELAYCHECK_SCENARIO_DIR, {"cs594"}); }

TEST(Cs594Suite, HasEveryAreaAndAtLeastFortyScenarios) {
  const Suite suite = cs594_suite();
  EXPECT_GE(suite.scenarios.size(), 40u);
  std::set<std::string> areas;
  for (const auto& s : suite.scenarios) areas.insert(s.id.substr(6, s.id.find('.', 6) - 6));
  EXPECT_EQ(areas, (std::set<std::string>{"client", "errors", "exit", "framing", "heartbeat", "login", "message",
                                          "rooms", "users", "whisper"}));
}

TEST(Cs594Suite, ReferenceServerPassesInProcess) {
  const Suite suite = cs594_suite();
  auto target = make_target("inprocess", {});
  for (const auto& r : run_client_scenarios(suite, *target))
    EXPECT_EQ(r.status, Status::pass) << r.id << ": " << r.message;
}

TEST(Cs594Suite, ReferenceServerPassesSpawned) {
  const Suite suite = cs594_suite();
  TargetOptions options;
  options.server_binary = RELAYCHECK_BIN_DIR "/relaycheck-server";
  auto target = make_target("spawn", options);
  for (const auto& r : run_client_scenarios(suite, *target, 8))
    EXPECT_EQ(r.status, Status::pass) << r.id << ": " << r.message;
}

TEST(Cs594Suite, DroppingTheConnectionOnAnUnknownOpIsCaught) {
  const Suite suite = cs594_suite();
  FaultyTarget target("drop-on-unknown-op");
  const auto results = run_client_scenarios(suite, target);
  for (const char* id :
       {"cs594.errors.unknown-op", "cs594.errors.unknown-op-before-login", "cs594.errors.unknown-op-others-undisturbed",
        "cs594.errors.server-only-ops", "cs594.login.twice", "cs594.login.required-first"}) {
    const auto& r = find_result(results, id);
    EXPECT_EQ(r.status, Status::fail) << id;
  }
  const auto& r = find_result(results, "cs594.errors.unknown-op");
  EXPECT_NE(r.message.find("closed"), std::string::npos) << r.message;
  EXPECT_NE(r.expected.find("11"), std::string::npos) << r.expected;
  // Scenarios that never send an unknown op are unaffected.
  EXPECT_EQ(find_result(results, "cs594.message.fanout").status, Status::pass);
  EXPECT_EQ(find_result(results, "cs594.whisper.delivered").status, Status::pass);
}

TEST(Cs594Suite, DroppingTheConnectionOnAnUnknownOpIsCaughtOverTcp) {
  const Suite suite = cs594_suite();
  FaultyTcpServer server("drop-on-unknown-op");
  auto target = make_target(server.address(), {});
  target->check("cs594");
  std::vector<const Scenario*> one;
  for (const auto& s : suite.scenarios)
    if (s.id == "cs594.errors.unknown-op") one.push_back(&s);
  ASSERT_EQ(one.size(), 1u);
  const auto results = run_scenarios(one, suite, *target, RunOptions{});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, Status::fail) << results[0].message;
  EXPECT_NE(results[0].message.find("closed"), std::string::npos) << results[0].message;
}

TEST(Cs594Suite, WrongErrorCodeIsCaughtAndShowsBothCodes) {
  const Suite suite = cs594_suite();
  FaultyTarget target("wrong-error-code");
  const auto results = run_client_scenarios(suite, target);
  const auto& r = find_result(results, "cs594.login.name-exists");
  ASSERT_EQ(r.status, Status::fail);
  EXPECT_NE(r.expected.find("13"), std::string::npos) << r.expected;
  EXPECT_NE(r.actual.find("ERR_ILLEGAL_NAME"), std::string::npos) << r.actual;
  EXPECT_EQ(failing_ids(results),
            (std::set<std::string>{"cs594.login.name-exists", "cs594.login.retry-after-refusal", "cs594.login.twice"}));
}

TEST(Cs594Suite, MissingHeartbeatsAreCaught) {
  const Suite suite = cs594_suite();
  FaultyTarget target("no-heartbeat");
  const auto results = run_client_scenarios(suite, target);
  for (const char* id : {"cs594.heartbeat.server-sends", "cs594.heartbeat.before-login",
                         "cs594.heartbeat.answering-client-stays", "cs594.heartbeat.timeout-user-exit"})
    EXPECT_EQ(find_result(results, id).status, Status::fail) << id;
  EXPECT_EQ(find_result(results, "cs594.rooms.list").status, Status::pass);
}

TEST(Cs594Suite, MissingUserExitIsCaught) {
  const Suite suite = cs594_suite();
  FaultyTarget target("no-user-exit");
  const auto results = run_client_scenarios(suite, target);
  for (const char* id : {"cs594.exit.user-exit", "cs594.exit.leaves-rooms", "cs594.users.departed-not-listed"})
    EXPECT_EQ(find_result(results, id).status, Status::fail) << id;
}

TEST(Cs594Suite, DuplicatedFanOutIsCaughtByQuiet) {
  const Suite suite = cs594_suite();
  FaultyTarget target("message-to-everyone");
  const auto& r = find_result(run_client_scenarios(suite, target), "cs594.message.fanout");
  ASSERT_EQ(r.status, Status::fail);
  EXPECT_NE(r.message.find("expected nothing more"), std::string::npos) << r.message;
}

}  // namespace
}  // namespace relaycheck::harness
