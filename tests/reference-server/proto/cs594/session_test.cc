// cs594::Session driven directly with virtual time, and the engine the registry builds.
#include "proto/cs594/session.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "proto/cs594/codec.h"
#include "proto/registry.h"

namespace relaycheck::proto::cs594 {
namespace {

using Bodies = std::vector<json>;

json op(Op o) { return static_cast<std::int64_t>(o); }

class Harness {
 public:
  explicit Harness(Options o = {}) : s(o) {}

  void connect(ClientId c, long long t = 0) {
    s.on_connect(c, at_ms(t));
    collect();
  }
  void send(ClientId c, json body, long long t = 0) {
    s.on_frame(c, Message{std::move(body), true}, at_ms(t));
    collect();
  }
  void send_text(ClientId c, std::string_view text, long long t = 0) {
    s.on_frame(c, Message::parse(text), at_ms(t));
    collect();
  }
  void disconnect(ClientId c, long long t = 0) {
    s.on_disconnect(c, at_ms(t));
    collect();
  }
  void tick(long long t) {
    s.on_tick(at_ms(t));
    collect();
  }
  void login(ClientId c, const std::string& name, long long t = 0) {
    connect(c, t);
    send(c, {{"op", 1}, {"username", name}}, t);
    ASSERT_EQ(take(c), (Bodies{{{"op", 1}, {"username", name}}}));
  }
  void join(ClientId c, const std::string& room) {
    send(c, {{"op", 4}, {"room", room}});
    take_all();
  }
  Bodies take(ClientId c) { return std::exchange(inbox[c], {}); }
  void take_all() { inbox.clear(); }
  bool nothing_pending() const {
    for (const auto& [c, b] : inbox)
      if (!b.empty()) return false;
    return true;
  }
  // The single frame sent to c, which must be there.
  json one(ClientId c) {
    Bodies b = take(c);
    EXPECT_EQ(b.size(), 1u) << "frames to " << c << ": " << json(b).dump();
    return b.empty() ? json() : b.front();
  }

  Session s;
  std::map<ClientId, Bodies> inbox;
  std::vector<ClientId> closed;

 private:
  void collect() {
    for (auto& o : s.take_output()) {
      if (o.kind == Session::Out::Kind::send)
        inbox[o.client].push_back(o.frame.body);
      else
        closed.push_back(o.client);
    }
  }
};

TEST(Cs594Session, LoginRules) {
  Harness h;
  h.login(1, "alice");
  h.connect(2);
  h.send(2, {{"op", 1}, {"username", "alice"}});
  EXPECT_EQ(h.one(2), (json{{"op", op(Op::err_name_exists)}, {"user", "alice"}}));
  h.send(2, {{"op", 1}, {"username", "a.b"}});
  EXPECT_EQ(h.one(2), (json{{"op", op(Op::err_illegal_name)}, {"user", "a.b"}}));
  h.send(2, {{"op", 1}, {"username", ""}});
  EXPECT_EQ(h.one(2)["op"], op(Op::err_illegal_len));
  h.send(2, {{"op", 1}, {"username", std::string(33, 'x')}});
  EXPECT_EQ(h.one(2)["op"], op(Op::err_illegal_len));
  h.send(2, {{"op", 1}, {"username", std::string(32, 'x')}});
  EXPECT_EQ(h.one(2)["op"], op(Op::login));
  h.send(2, {{"op", 1}, {"username", "other"}});
  EXPECT_EQ(h.one(2)["op"], op(Op::err_illegal_op));
  EXPECT_EQ(h.s.users(), (std::vector<std::string>{"alice", std::string(32, 'x')}));
}

TEST(Cs594Session, OpsNeedLoginAndUnknownOpsAreIllegal) {
  Harness h;
  h.connect(1);
  for (int code : {2, 3, 4, 5, 6, 9, 0, 7, 10, 19, 20, 255, 256, -1}) {
    h.send(1, {{"op", code}, {"room", "r"}});
    EXPECT_EQ(h.one(1), (json{{"op", op(Op::err_illegal_op)}})) << code;
  }
  h.send(1, {{"op", 8}});
  EXPECT_TRUE(h.take(1).empty());  // a heartbeat needs no login and gets no reply
  h.send(1, {{"op", json::number_unsigned_t{18446744073709551615ULL}}});
  EXPECT_EQ(h.one(1)["op"], op(Op::err_illegal_op));
}

TEST(Cs594Session, MalformedFrames) {
  Harness h;
  h.login(1, "alice");
  for (const char* text :
       {"{\"op\": }", "[1]", "42", "{\"username\":\"x\"}", "{\"op\":\"LOGIN\"}", "{\"op\":1.0}", "{\"op\":4}",
        "{\"op\":4,\"room\":5}", "{\"op\":6,\"room\":\"r\"}", "{\"op\":9,\"target\":\"x\"}", "{\"op\":3,\"room\":[]}",
        "{\"op\":4,\"room\":\"r\",\"user\":\"mallory\"}"}) {
    h.send_text(1, text);
    EXPECT_EQ(h.one(1), (json{{"op", op(Op::err_malformed)}})) << text;
  }
  EXPECT_TRUE(h.s.rooms().empty());
}

TEST(Cs594Session, JoinLeaveAndTheNewFlag) {
  Harness h;
  h.login(1, "alice");
  h.login(2, "bob");
  h.login(3, "carol");
  h.send(1, {{"op", 4}, {"user", "alice"}, {"room", "lobby"}});
  EXPECT_EQ(h.one(1), (json{{"op", 4}, {"user", "alice"}, {"room", "lobby"}, {"new", true}}));
  h.send(2, {{"op", 4}, {"room", "lobby"}});
  const json joined{{"op", 4}, {"user", "bob"}, {"room", "lobby"}, {"new", false}};
  EXPECT_EQ(h.one(1), joined);
  EXPECT_EQ(h.one(2), joined);
  EXPECT_TRUE(h.take(3).empty());
  h.send(2, {{"op", 4}, {"room", "lobby"}});  // again: to bob alone
  EXPECT_EQ(h.one(2), joined);
  EXPECT_TRUE(h.take(1).empty());
  EXPECT_EQ(h.s.members("lobby"), (std::vector<std::string>{"alice", "bob"}));

  h.send(3, {{"op", 5}, {"room", "lobby"}});
  EXPECT_EQ(h.one(3), (json{{"op", op(Op::err_not_in_room)}, {"room", "lobby"}}));
  h.send(2, {{"op", 5}, {"room", "lobby"}});
  const json left{{"op", 5}, {"room", "lobby"}, {"user", "bob"}};
  EXPECT_EQ(h.one(1), left);
  EXPECT_EQ(h.one(2), left);
  h.send(1, {{"op", 5}, {"room", "lobby"}});
  EXPECT_EQ(h.one(1), (json{{"op", 5}, {"room", "lobby"}, {"user", "alice"}}));
  EXPECT_TRUE(h.s.rooms().empty());  // the last member took the room with it
  h.send(1, {{"op", 4}, {"room", "lobby"}});
  EXPECT_EQ(h.one(1)["new"], true);
}

TEST(Cs594Session, RoomNames) {
  Harness h;
  h.login(1, "alice");
  h.send(1, {{"op", 4}, {"room", "a.b"}});
  EXPECT_EQ(h.one(1)["op"], op(Op::err_illegal_name));
  h.send(1, {{"op", 4}, {"room", ""}});
  EXPECT_EQ(h.one(1)["op"], op(Op::err_illegal_len));
  h.send(1, {{"op", 4}, {"room", std::string(33, 'r')}});
  EXPECT_EQ(h.one(1)["op"], op(Op::err_illegal_len));
  EXPECT_TRUE(h.s.rooms().empty());
}

TEST(Cs594Session, MessagesGoToMembersOnly) {
  Harness h;
  h.login(1, "alice");
  h.login(2, "bob");
  h.login(3, "carol");
  h.join(1, "lobby");
  h.join(2, "lobby");
  h.send(2, {{"op", 6}, {"user", "bob"}, {"room", "lobby"}, {"message", "hi"}});
  const json note{{"op", 6}, {"user", "bob"}, {"room", "lobby"}, {"message", "hi"}};
  EXPECT_EQ(h.one(1), note);
  EXPECT_EQ(h.one(2), note);
  EXPECT_TRUE(h.take(3).empty());
  h.send(3, {{"op", 6}, {"room", "lobby"}, {"message", "let me in"}});
  EXPECT_EQ(h.one(3)["op"], op(Op::err_not_in_room));
  h.send(1, {{"op", 6}, {"room", "lobby"}, {"message", ""}});
  EXPECT_EQ(h.one(1)["op"], op(Op::err_illegal_msg));
  h.send(1, {{"op", 6}, {"room", "lobby"}, {"message", std::string(2049, 'm')}});
  EXPECT_EQ(h.one(1)["op"], op(Op::err_illegal_msg));
  h.send(1, {{"op", 6}, {"room", "lobby"}, {"message", std::string(2048, 'm')}});
  EXPECT_EQ(h.one(1)["op"], op(Op::message));
  EXPECT_EQ(h.one(2)["op"], op(Op::message));
  EXPECT_TRUE(h.nothing_pending());
}

TEST(Cs594Session, WhisperRoomsAndTheirVisibility) {
  Harness h;
  h.login(1, "alice");
  h.login(2, "bob");
  h.login(3, "carol");
  h.send(1, {{"op", 9}, {"sender", "alice"}, {"target", "bob"}, {"Message", "psst"}});
  const json w{{"op", 9}, {"sender", "alice"}, {"target", "bob"}, {"room", "alice.bob"}, {"message", "psst"}};
  EXPECT_EQ(h.one(1), w);
  EXPECT_EQ(h.one(2), w);
  EXPECT_TRUE(h.take(3).empty());
  h.send(2, {{"op", 2}});
  EXPECT_EQ(h.one(2), (json{{"op", 2}, {"rooms", json::array({"alice.bob"})}}));
  h.send(3, {{"op", 2}});
  EXPECT_EQ(h.one(3), (json{{"op", 2}, {"rooms", json::array()}}));
  h.send(3, {{"op", 3}, {"room", "alice.bob"}});  // not visible to carol: everyone is listed
  EXPECT_EQ(h.one(3)["users"], (json{"alice", "bob", "carol"}));
  h.send(1, {{"op", 3}, {"room", "alice.bob"}});
  EXPECT_EQ(h.one(1)["users"], (json{"alice", "bob"}));

  h.send(1, {{"op", 9}, {"target", "alice"}, {"message", "me"}});
  EXPECT_EQ(h.one(1), (json{{"op", op(Op::err_illegal_wisp)}, {"user", "alice"}}));
  h.send(1, {{"op", 9}, {"target", "nobody"}, {"message", "x"}});
  EXPECT_EQ(h.one(1), (json{{"op", op(Op::err_illegal_wisp)}, {"user", "nobody"}}));
  h.send(1, {{"op", 9}, {"sender", "carol"}, {"target", "bob"}, {"message", "x"}});
  EXPECT_EQ(h.one(1)["op"], op(Op::err_malformed));
}

TEST(Cs594Session, DepartureTellsTheOthersAndEmptiesRooms) {
  Harness h;
  h.login(1, "alice");
  h.login(2, "bob");
  h.connect(3);  // never logs in
  h.join(1, "lobby");
  h.join(2, "lobby");
  h.disconnect(2);
  EXPECT_EQ(h.one(1), (json{{"op", 7}, {"user", "bob"}}));
  EXPECT_TRUE(h.take(3).empty());
  EXPECT_EQ(h.s.members("lobby"), (std::vector<std::string>{"alice"}));
  h.disconnect(3);
  EXPECT_TRUE(h.nothing_pending());
  h.disconnect(1);
  EXPECT_TRUE(h.s.rooms().empty());
  EXPECT_EQ(h.s.connected(), 0u);
}

TEST(Cs594Session, HeartbeatEverySecondFromConnect) {
  Harness h;
  h.login(1, "alice", 0);
  EXPECT_EQ(h.s.next_deadline(), at_ms(1000));
  h.tick(999);
  EXPECT_TRUE(h.take(1).empty());
  h.tick(1000);
  EXPECT_EQ(h.one(1), (json{{"op", 8}}));
  h.send(1, {{"op", 8}}, 1200);  // answered
  EXPECT_EQ(h.s.next_deadline(), at_ms(2000));
  // A late tick sends one heartbeat, not one per missed interval, and stays on the grid.
  h.tick(3500);
  EXPECT_EQ(h.one(1), (json{{"op", 8}}));
  EXPECT_EQ(h.s.next_deadline(), at_ms(4000));
}

TEST(Cs594Session, SilentClientTimesOutAfterFiveHeartbeats) {
  Harness h;
  h.login(1, "alice", 0);
  h.login(2, "bob", 0);
  for (long long t = 1000; t <= 5000; t += 1000) {
    h.tick(t);
    h.send(2, {{"op", 8}}, t);  // bob answers, alice does not
  }
  EXPECT_EQ(h.take(1), Bodies(5, json{{"op", 8}}));
  h.take(2);
  h.tick(5999);
  EXPECT_TRUE(h.closed.empty());
  h.tick(6000);
  EXPECT_EQ(h.one(1), (json{{"op", op(Op::err_timeout)}}));
  EXPECT_EQ(h.closed, (std::vector<ClientId>{1}));
  // Timeouts come before heartbeats on the same tick: bob hears of alice first.
  EXPECT_EQ(h.take(2), (Bodies{{{"op", 7}, {"user", "alice"}}, {{"op", 8}}}));
  EXPECT_EQ(h.s.users(), (std::vector<std::string>{"bob"}));
}

TEST(Cs594Session, AnyFrameAnswersAHeartbeat) {
  Harness h;
  h.login(1, "alice", 0);
  for (long long t = 1000; t <= 20000; t += 1000) {
    h.tick(t);
    h.send(1, {{"op", 2}}, t + 10);
  }
  EXPECT_TRUE(h.closed.empty());
}

TEST(Cs594Engine, RegistryBuildsAStreamingEngine) {
  const ProtocolInfo* info = find_protocol("cs594");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->default_port, 8000);
  auto engine = info->make_engine({});
  engine->on_connect(1, at_ms(0));
  engine->on_bytes(1, "{\"op\":1,\"username\"", at_ms(0));
  engine->on_bytes(1, ":\"alice\"}{\"op\":2}  {\"op\": }", at_ms(0));
  std::string out;
  for (const auto& a : engine->take_actions()) out += a.bytes;
  EXPECT_EQ(out, "{\"op\":1,\"username\":\"alice\"}\n{\"op\":2,\"rooms\":[]}\n{\"op\":16}\n");
  // Too deep: ERR_UNKNOWN, then the close.
  engine->on_bytes(1, std::string(100, '['), at_ms(0));
  auto actions = engine->take_actions();
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].bytes, "{\"op\":10}\n");
  EXPECT_EQ(actions[1].kind, Action::Kind::close);
  EXPECT_THROW(info->make_engine({{"heartbeat-interval", "0s"}}), OptionError);
}

}  // namespace
}  // namespace relaycheck::proto::cs594
