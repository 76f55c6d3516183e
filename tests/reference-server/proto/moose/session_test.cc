// moose::Session driven directly in virtual time (the ring race and timeout, probe timers, msg
// routing, status, server_online), and the engine with the pass-through envelope (bounce
// counting, the line protocol of the control channel, errors that never end the connection).
#include "proto/moose/session.h"

#include <gtest/gtest.h>

#include "proto/moose/ciphers.h"
#include "proto/moose/engine.h"

namespace relaycheck::proto::moose {
namespace {

constexpr ClientId kCtl = 100;

class Harness {
 public:
  explicit Harness(Options o = {}) : s(std::move(o)) { s.on_control_connect(kCtl, at_ms(0)); }

  void join(ClientId c, const std::string& uuid, long long t = 0) {
    s.on_connect(c, at_ms(t));
    send(c, {{"type", "key"}, {"UUID", uuid}, {"key", "PEM of " + uuid}}, t);
  }
  void send(ClientId c, json p, long long t = 0) {
    s.on_packet(c, p, at_ms(t));
    collect();
  }
  void control(const std::string& line, long long t = 0) {
    s.on_control_line(kCtl, line, at_ms(t));
    collect();
  }
  void tick(long long t) {
    s.on_tick(at_ms(t));
    collect();
  }
  std::vector<json> take(ClientId c) { return std::exchange(packets[c], {}); }
  std::vector<std::string> lines() { return std::exchange(control_lines, {}); }
  std::vector<std::string> types(ClientId c) {
    std::vector<std::string> t;
    for (const auto& p : take(c)) t.push_back(p["type"]);
    return t;
  }

  Session s;
  std::map<ClientId, std::vector<json>> packets;
  std::vector<std::string> control_lines;

 private:
  void collect() {
    for (auto& o : s.take_output()) {
      if (o.kind == Session::Out::Kind::line) {
        ASSERT_EQ(o.client, kCtl);
        control_lines.push_back(o.line);
      } else {
        packets[o.client].push_back(o.packet);
      }
    }
  }
};

json ack(const std::string& uuid, std::int64_t id) { return {{"type", "ringACK"}, {"UUID", uuid}, {"ID", id}}; }

TEST(MooseSession, KeyJoinsThePoolWithServerOnlineOnce) {
  Harness h;
  h.join(1, "alice");
  EXPECT_EQ(h.types(1), (std::vector<std::string>{"server_online", "status"}));
  ASSERT_NE(h.s.key_of(1), nullptr);
  EXPECT_EQ(*h.s.key_of(1), "PEM of alice");
  h.send(1, {{"type", "key"}, {"UUID", "alice"}, {"key", "new PEM"}});
  EXPECT_EQ(h.types(1), (std::vector<std::string>{"status"}));
  EXPECT_EQ(*h.s.key_of(1), "new PEM");
  h.send(1, {{"type", "disconnect"}, {"UUID", "alice"}});
  EXPECT_TRUE(h.s.pool().empty());
  h.send(1, {{"type", "key"}, {"UUID", "alice"}, {"key", "k"}});
  EXPECT_EQ(h.types(1), (std::vector<std::string>{"status"}));  // known since the server started
  // A second connection cannot take a UUID in use.
  h.join(2, "alice");
  EXPECT_TRUE(h.take(2).empty());
  EXPECT_EQ(h.s.counters().invalid, 1u);
}

TEST(MooseSession, RingRaceFirstAckWinsAndAllHearIt) {
  Harness h;
  h.join(1, "alice");
  h.join(2, "bob");
  h.join(3, "carol");
  for (ClientId c : {1, 2, 3}) h.take(c);
  h.control("ring sms eve");
  EXPECT_EQ(h.lines(), (std::vector<std::string>{"ok ring 1"}));
  for (ClientId c : {1, 2, 3})
    EXPECT_EQ(h.take(c), (std::vector<json>{{{"type", "ring"}, {"group", "sms"}, {"ID", 1}}}));
  h.send(2, ack("bob", 1));
  h.send(1, ack("alice", 1));
  h.send(3, ack("carol", 1));
  const json won = {{"type", "ringACKACK"}, {"UUID", "bob"}, {"ID", 1}};
  for (ClientId c : {1, 2, 3}) EXPECT_EQ(h.take(c), (std::vector<json>{won})) << c;
  EXPECT_EQ(h.lines(), (std::vector<std::string>{"answered 1 bob"}));
  EXPECT_EQ(h.s.associated_user(2), "eve");
  EXPECT_EQ(h.s.associated_user(1), std::nullopt);
  EXPECT_EQ(h.s.pending_rings(), 0u);
}

TEST(MooseSession, UnansweredRingTimesOutWithEmptyUuid) {
  Options o;
  o.ring_timeout = Millis{5'000};
  Harness h(o);
  h.join(1, "alice");
  h.take(1);
  h.control("ring web eve", 1'000);
  h.lines();
  h.take(1);
  EXPECT_EQ(h.s.next_deadline(), at_ms(6'000));
  h.tick(5'999);
  EXPECT_TRUE(h.take(1).empty());
  h.tick(6'000);
  EXPECT_EQ(h.take(1), (std::vector<json>{{{"type", "ringACKACK"}, {"UUID", ""}, {"ID", 1}}}));
  EXPECT_EQ(h.lines(), (std::vector<std::string>{"unanswered 1"}));
  h.send(1, ack("alice", 1), 6'001);  // too late: nothing
  EXPECT_TRUE(h.take(1).empty());
  EXPECT_EQ(h.s.associated_user(1), std::nullopt);
}

TEST(MooseSession, ProbeAfterSilenceAndRemovalWithoutAck) {
  Harness h;  // 7 s and 3 s
  h.join(1, "alice", 0);
  h.join(2, "bob", 0);
  h.take(1);
  h.take(2);
  EXPECT_EQ(h.s.next_deadline(), at_ms(7'000));
  h.tick(6'999);
  EXPECT_TRUE(h.take(1).empty());
  h.tick(7'000);
  EXPECT_EQ(h.take(1), (std::vector<json>{{{"type", "probe"}, {"UUID", "alice"}}}));
  EXPECT_EQ(h.types(2), (std::vector<std::string>{"probe"}));
  h.send(1, {{"type", "probeACK"}, {"UUID", "alice"}}, 9'000);
  EXPECT_EQ(h.s.next_deadline(), at_ms(10'000));  // bob's removal
  h.tick(10'000);
  EXPECT_EQ(h.s.pool(), (std::vector<std::string>{"alice"}));
  EXPECT_EQ(h.s.next_deadline(), at_ms(16'000));  // alice: 7 s after her probeACK
}

TEST(MooseSession, MessagesOnlyBetweenEndUserAndAssociatedClient) {
  Harness h;
  h.join(1, "alice");
  h.join(2, "bob");
  h.control("ring sms eve");
  h.send(1, ack("alice", 1));
  h.take(1);
  h.take(2);
  h.lines();
  h.control("write eve hi alice");
  EXPECT_EQ(
      h.take(1),
      (std::vector<json>{{{"type", "msg"}, {"msg", json::array({"hi alice"})}, {"I/O", "in"}, {"UUID", "alice"}}}));
  EXPECT_TRUE(h.take(2).empty());
  h.send(1, {{"type", "msg"}, {"msg", {"a", "b"}}, {"I/O", "out"}, {"UUID", "alice"}});
  h.send(1, {{"type", "msg"}, {"msg", "c"}, {"I/O", "out"}, {"UUID", "alice"}});
  h.send(2, {{"type", "msg"}, {"msg", json::array({"not mine"})}, {"I/O", "out"}, {"UUID", "bob"}});
  h.send(1, {{"type", "msg"}, {"msg", json::array({"spoof"})}, {"I/O", "out"}, {"UUID", "bob"}});
  h.send(1, {{"type", "chat_state"}, {"state", "composing"}, {"I/O", "out"}, {"UUID", "alice"}});
  EXPECT_EQ(h.lines(),
            (std::vector<std::string>{"ok write", "said eve a", "said eve b", "said eve c", "typing eve composing"}));
  EXPECT_EQ(h.s.counters().invalid, 2u);
  h.send(1, {{"type", "disassociate"}, {"UUID", "alice"}});
  EXPECT_EQ(h.lines(), (std::vector<std::string>{"ended eve disassociate"}));
  h.control("write eve anyone?");
  EXPECT_EQ(h.lines(), (std::vector<std::string>{"error not-associated eve"}));
}

TEST(MooseSession, StatusToAllOnlyWhenAServiceChanges) {
  Harness h;
  h.join(1, "alice");
  h.take(1);
  h.s.on_connect(2, at_ms(0));  // never sends key
  h.control("service sms offline");
  const json status = {
      {"type", "status"},
      {"services", {{{"name", "sms"}, {"status", "offline"}}, {{"name", "web"}, {"status", "online"}}}}};
  EXPECT_EQ(h.take(1), (std::vector<json>{status}));
  EXPECT_TRUE(h.take(2).empty());
  h.control("service sms offline");
  EXPECT_TRUE(h.take(1).empty());
  EXPECT_EQ(h.lines(), (std::vector<std::string>{"ok service", "ok service"}));
}

// The engine with the pass-through envelope: raw packet lines in, counters and lines out.
TEST(MooseEngine, BouncesAndBrokenPacketsAreCountedNotFatal) {
  MooseEngine e(std::make_shared<PassThroughCipher>(), Options{});
  e.on_connect(1, at_ms(0));
  e.on_control_connect(2, at_ms(0));
  auto raw = [](const std::string& inner, const std::string& to) {
    return json{{"messages", json::array({inner})}, {"UUID", "a"}, {"to", to}}.dump() + "\n";
  };
  const std::string key = R"({"type":"key","UUID":"a","key":"k"})";
  e.on_bytes(1, raw(key, "client"), at_ms(0));
  e.on_bytes(1, "garbage\n", at_ms(0));
  e.on_bytes(1, raw("{not json", "server"), at_ms(0));
  e.on_bytes(1, raw(R"({"type":"dance"})", "server"), at_ms(0));
  e.on_bytes(2, "stats\nlast-error\n", at_ms(0));
  auto actions = e.take_actions();
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].bytes, "stats clients=0 bounced=1 undecodable=1 bad_json=1 invalid=1\n");
  // For the shell's timeouts: lines are frames; a client is logged in only once in the pool.
  EXPECT_EQ(e.progress(1)->frames, 4u);
  EXPECT_FALSE(e.progress(1)->logged_in);
  EXPECT_TRUE(e.progress(2)->logged_in);
  EXPECT_EQ(actions[1].bytes.rfind("last-error inner packet is not a JSON object at byte ", 0), 0u) << actions[1].bytes;
  // Split anywhere, the key still arrives; the replies are raw packets to the client.
  const std::string line = raw(key, "server");
  e.on_bytes(1, line.substr(0, 7), at_ms(0));
  e.on_bytes(1, line.substr(7), at_ms(0));
  actions = e.take_actions();
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_TRUE(e.progress(1)->logged_in);
  const json reply = json::parse(actions[0].bytes);
  EXPECT_EQ(reply["to"], "client");
  EXPECT_EQ(reply["UUID"], "a");
  EXPECT_EQ(json::parse(reply["messages"][0].get<std::string>())["type"], "server_online");
  // A line over the limit ends the connection.
  e.on_bytes(1, std::string(kMaxLineBytes + 1, 'x'), at_ms(0));
  actions = e.take_actions();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].kind, Action::Kind::close);
}

}  // namespace
}  // namespace relaycheck::proto::moose
