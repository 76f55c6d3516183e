// The step forms for what the spec leaves open (issues 22 and 23): a frame or a close
// (`or_close`), a close after anything (`after_any`), heartbeats answered by the runner until
// `take_heartbeats`, and an answer held back while a raw write ends inside a line. All run
// against the in-process saxion reference engine, in virtual time (PING 10 s after login).
#include <gtest/gtest.h>

#include "faulty_engine.h"
#include "harness/loader.h"
#include "harness/runner.h"
#include "harness/target_impl.h"

namespace relaycheck::harness {
namespace {

using reports::ScenarioResult;
using reports::Status;

// The reference engine, whose "OK GOODBYE" (the reply to QUIT, just before its close) is
// replaced by `goodbye` when one is given.
class GoodbyeTarget final : public Target {
 public:
  explicit GoodbyeTarget(std::optional<std::string> goodbye = std::nullopt) : goodbye_(std::move(goodbye)) {}
  std::string describe() const override { return "goodbye"; }
  void check(const std::string&) override {}
  std::unique_ptr<Transport> connect(const std::string& protocol) override {
    auto rewrite = [goodbye = goodbye_](const proto::Action& a) {
      proto::Action b = a;
      if (goodbye && testing::sends(a, "OK GOODBYE")) b.bytes = *goodbye;
      return std::vector<proto::Action>{b};
    };
    return make_inprocess_transport(
        std::make_unique<testing::FaultyEngine>(proto::find_protocol(protocol)->make_engine({}), rewrite));
  }
  bool isolated() const override { return true; }

 private:
  std::optional<std::string> goodbye_;
};

const char* kLogin =
    "      - connect: a\n      - expect: {on: a, frame: {cmd: INIT}}\n"
    "      - send: {on: a, frame: IDENT alice}\n      - expect: {on: a, frame: OK IDENT alice}\n";

ScenarioResult run(const std::string& steps, Target& target) {
  Suite suite;
  load_text(
      "protocol: saxion\nscenarios:\n  - id: saxion.test.forms\n    spec: t\n    requirement: r\n"
      "    level: must\n    steps:\n" +
          std::string(kLogin) + steps,
      "forms.yaml", suite);
  return run_scenario(suite.scenarios.at(0), suite, target, RunOptions{});
}

ScenarioResult run(const std::string& steps) {
  GoodbyeTarget plain;
  return run(steps, plain);
}

bool transcript_has(const ScenarioResult& r, const std::string& text) {
  for (const auto& e : r.transcript)
    if (e.text.find(text) != std::string::npos) return true;
  return false;
}

TEST(OrClose, AFrameOrAClose) {
  // QUIT: "OK GOODBYE", then the close. The frame matches; the close also passes with or_close.
  EXPECT_EQ(
      run("      - send: {on: a, frame: QUIT}\n      - expect: {on: a, frame: OK GOODBYE, or_close: true}\n").status,
      Status::pass);
  const auto closed =
      run("      - send: {on: a, frame: QUIT}\n      - expect: {on: a, frame: OK GOODBYE}\n"
          "      - expect: {on: a, frame: OK NEVER, or_close: true}\n");
  EXPECT_EQ(closed.status, Status::pass) << closed.message;
  EXPECT_TRUE(transcript_has(closed, "allowed (or_close)"));
  // Without it the close fails the expect; another frame fails it either way.
  EXPECT_EQ(run("      - send: {on: a, frame: QUIT}\n      - expect: {on: a, frame: OK GOODBYE}\n"
                "      - expect: {on: a, frame: OK NEVER}\n")
                .status,
            Status::fail);
  EXPECT_EQ(
      run("      - send: {on: a, frame: QUIT}\n      - expect: {on: a, frame: OK NEVER, or_close: true}\n").status,
      Status::fail);
}

TEST(OrClose, BytesThatDoNotDecodeAreNoClose) {
  GoodbyeTarget garbage(std::string(70 * 1024, 'x') + "\n");  // longer than any saxion line
  const auto r =
      run("      - send: {on: a, frame: QUIT}\n      - expect: {on: a, frame: OK GOODBYE, or_close: true}\n", garbage);
  EXPECT_EQ(r.status, Status::fail);
  EXPECT_NE(r.message.find("does not decode"), std::string::npos) << r.message;
}

TEST(AfterAny, ACloseAfterFramesOrUndecodableBytes) {
  const std::string quit = "      - send: {on: a, frame: QUIT}\n";
  EXPECT_EQ(run(quit + "      - expect_close: a\n").status, Status::fail) << "OK GOODBYE comes first";
  const auto any = run(quit + "      - expect_close: {on: a, after_any: true}\n");
  EXPECT_EQ(any.status, Status::pass) << any.message;
  EXPECT_TRUE(transcript_has(any, "before the close: OK GOODBYE (allowed: after_any)"));
  GoodbyeTarget garbage(std::string(70 * 1024, 'x') + "\n");
  const auto undecodable = run(quit + "      - expect_close: {on: a, after_any: true}\n", garbage);
  EXPECT_EQ(undecodable.status, Status::pass) << undecodable.message;
  // No close at all still fails, after whatever came.
  const auto open =
      run("      - send: {on: a, frame: USERS}\n      - expect_close: {on: a, after_any: true, within: 1s}\n");
  EXPECT_EQ(open.status, Status::fail);
  EXPECT_NE(open.message.find("did not close"), std::string::npos) << open.message;
}

TEST(TakeHeartbeats, TheRunnerAnswersUntilTheStepsTakeThem) {
  // The PING at 10 s is answered by the runner: quiet holds and no DSCN follows the pong timeout.
  const auto answered = run("      - advance: 11s\n      - quiet: a\n      - advance: 5s\n      - quiet: a\n");
  EXPECT_EQ(answered.status, Status::pass) << answered.message;
  EXPECT_TRUE(transcript_has(answered, "PING (heartbeat, answered PONG)"));
  // Taken before it comes, the PING is the steps' frame: an unread one fails quiet...
  const auto taken = run("      - take_heartbeats: a\n      - advance: 11s\n      - quiet: a\n");
  EXPECT_EQ(taken.status, Status::fail);
  EXPECT_NE(taken.actual.find("PING"), std::string::npos) << taken.actual;
  // ...and answered up to the step that takes them, the next PING is there to expect.
  const auto later =
      run("      - advance: 11s\n      - quiet: a\n      - take_heartbeats: a\n"
          "      - expect: {on: a, frame: PING, within: 11s}\n      - send: {on: a, frame: PONG}\n      - quiet: a\n");
  EXPECT_EQ(later.status, Status::pass) << later.message;
  // A name taken before its connect is taken from the connect on.
  Suite suite;
  load_text(
      "protocol: saxion\nscenarios:\n  - id: saxion.test.early\n    spec: t\n    requirement: r\n    level: must\n"
      "    steps:\n      - take_heartbeats: a\n" +
          std::string(kLogin) + "      - advance: 11s\n      - quiet: a\n",
      "early.yaml", suite);
  GoodbyeTarget target;
  EXPECT_EQ(run_scenario(suite.scenarios.at(0), suite, target, RunOptions{}).status, Status::fail);
}

TEST(TakeHeartbeats, AnAnswerWaitsForTheUnfinishedLine) {
  // "BCST hi" ends inside a line: the PONG for the PING that comes meanwhile is held until
  // the "\n" completes it, so the server reads "BCST hi\n" and then "PONG\n".
  const auto r =
      run("      - send: {on: a, raw: \"BCST hi\"}\n      - advance: 11s\n      - quiet: a\n"
          "      - send: {on: a, raw: \"\\n\"}\n      - expect: {on: a, frame: OK BCST hi}\n"
          "      - advance: 4s\n      - quiet: a\n");
  EXPECT_EQ(r.status, Status::pass) << r.message;
  EXPECT_TRUE(transcript_has(r, "held until the scenario's unfinished frame is written"));
  EXPECT_TRUE(transcript_has(r, "held heartbeat answer written"));
}

TEST(StepForms, TheLoaderChecksTheFlags) {
  Suite suite;
  EXPECT_THROW(
      load_text("protocol: saxion\nscenarios:\n  - id: saxion.test.bad\n    spec: t\n    requirement: r\n"
                "    level: must\n    steps:\n      - connect: a\n      - expect: {on: a, frame: X, or_close: maybe}\n",
                "bad.yaml", suite),
      ScenarioError);
  EXPECT_THROW(load_text("protocol: saxion\nscenarios:\n  - id: saxion.test.bad\n    spec: t\n    requirement: r\n"
                         "    level: must\n    steps:\n      - connect: a\n      - expect_close: {on: a, after: any}\n",
                         "bad.yaml", suite),
               ScenarioError);
  EXPECT_THROW(load_text("protocol: saxion\nscenarios:\n  - id: saxion.test.bad\n    spec: t\n    requirement: r\n"
                         "    level: must\n    steps:\n      - take_heartbeats: {on: a}\n",
                         "bad.yaml", suite),
               ScenarioError);
}

}  // namespace
}  // namespace relaycheck::harness
