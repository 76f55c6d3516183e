// psuirc::Session driven directly, and the FramedEngine the registry builds (options, decode
// errors, the client limit).
#include "proto/psuirc/session.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "proto/psuirc/labels.h"
#include "proto/registry.h"

namespace relaycheck::proto::psuirc {
namespace {

using Lines = std::vector<std::string>;

// Wraps a Session: sends lines as a client would, collects what it sends and closes per client.
class Harness {
 public:
  explicit Harness(Options o = {}) : s(o) {}

  void connect(ClientId c) {
    s.on_connect(c, at_ms(0));
    collect();
  }
  void line(ClientId c, std::string text) {
    s.on_frame(c, Line{std::move(text)}, at_ms(0));
    collect();
  }
  void disconnect(ClientId c) {
    s.on_disconnect(c, at_ms(0));
    collect();
  }
  void login(ClientId c, const std::string& name) {
    connect(c);
    line(c, name);
    ASSERT_EQ(take(c), (Lines{"welcome user"}));
  }
  Lines take(ClientId c) { return std::exchange(inbox[c], {}); }
  bool closed(ClientId c) const { return closes.count(c) > 0; }
  // Nothing unread for anyone.
  bool all_read() const {
    for (const auto& [c, lines] : inbox)
      if (!lines.empty()) return false;
    return true;
  }

  Session s;
  std::map<ClientId, Lines> inbox;
  std::map<ClientId, std::string> closes;

 private:
  void collect() {
    for (auto& o : s.take_output()) {
      if (o.kind == Session::Out::Kind::send) {
        EXPECT_FALSE(closed(o.client)) << "sent to a closed client";
        inbox[o.client].push_back(o.frame.text);
      } else {
        closes[o.client] = o.reason;
      }
    }
  }
};

// alice (1) and bob (2) logged in, both in "lobby".
void lobby_pair(Harness& h) {
  h.login(1, "alice");
  h.login(2, "bob");
  h.line(1, "room lobby");
  h.line(1, "join lobby");
  h.line(2, "join lobby");
  ASSERT_EQ(h.take(1), (Lines{"new room added", "Membership granted to the room", "new member joined in room"}));
  ASSERT_EQ(h.take(2), (Lines{"Membership granted to the room"}));
}

TEST(PsuircSession, NothingIsSentOnConnect) {
  Harness h;
  h.connect(1);
  EXPECT_TRUE(h.all_read());
  EXPECT_EQ(h.s.connected(), 1u);
}

TEST(PsuircSession, FirstLineIsTheUsername) {
  Harness h;
  h.connect(1);
  h.line(1, "liro");
  EXPECT_EQ(h.take(1), (Lines{"welcome user"}));
  EXPECT_EQ(h.s.users(), (Lines{"liro"}));
  h.line(1, "liro");
  EXPECT_EQ(h.take(1), (Lines{"Sorry, no rooms"}));
}

TEST(PsuircSession, UsernameRules) {
  Harness h;
  h.connect(1);
  for (const char* bad : {"", "a", "\xc3\xa9", "al ice", "al\tice", "a\rb"}) {
    h.line(1, bad);
    EXPECT_EQ(h.take(1), (Lines{"invalid username"})) << bad;
  }
  EXPECT_TRUE(h.s.users().empty());
  h.line(1, std::string(102401, 'n'));
  EXPECT_EQ(h.take(1), (Lines{"invalid username"}));
  h.line(1, std::string(102400, 'n'));
  EXPECT_EQ(h.take(1), (Lines{"welcome user"}));
  h.connect(2);
  h.line(2, "\xc3\xa9\xc3\xa9");
  EXPECT_EQ(h.take(2), (Lines{"welcome user"}));
}

TEST(PsuircSession, NameExistsUntilTheHolderLeaves) {
  Harness h;
  h.login(1, "alice");
  h.connect(2);
  h.line(2, "alice");
  EXPECT_EQ(h.take(2), (Lines{"name exists"}));
  h.line(1, "exit");
  EXPECT_EQ(h.take(1), (Lines{"exit successful"}));
  EXPECT_TRUE(h.closed(1));
  h.line(2, "alice");
  EXPECT_EQ(h.take(2), (Lines{"welcome user"}));
}

TEST(PsuircSession, OwnNameAgainIsAlreadyInTheSystem) {
  Harness h;
  h.login(1, "alice");
  h.line(1, "alice");
  EXPECT_EQ(h.take(1), (Lines{"you are already in the system"}));
  h.line(1, "bob");
  EXPECT_EQ(h.take(1), (Lines{"command invalid Type - HELP"}));
}

TEST(PsuircSession, RoomsAreListedInCreationOrder) {
  Harness h;
  h.login(1, "alice");
  h.line(1, "liro");
  EXPECT_EQ(h.take(1), (Lines{"Sorry, no rooms"}));
  h.line(1, "room b");
  h.line(1, "ROOM a");
  h.line(1, "room b");
  h.line(1, "room");
  h.line(1, "room two words");
  EXPECT_EQ(h.take(1),
            (Lines{"new room added", "new room added", "invalid room name", "invalid room name", "invalid room name"}));
  h.line(1, "LiRo");
  EXPECT_EQ(h.take(1), (Lines{"Available rooms", "b", "a"}));
  EXPECT_EQ(h.s.rooms(), (Lines{"b", "a"}));
}

// A session takes its room tables from the last one on the thread (the fuzz target makes one
// per input): their capacity, never their rooms or members.
TEST(PsuircSession, ANewSessionHasNoRoomsWhateverTheLastOneHad) {
  const std::string long_name(30, 'r');
  {
    Harness h;
    h.login(1, "alice");
    h.line(1, "room lobby");
    h.line(1, "room " + long_name);
    h.line(1, "join lobby");
    EXPECT_EQ(h.s.rooms(), (Lines{"lobby", long_name}));
  }
  Harness h;
  h.login(1, "alice");
  EXPECT_TRUE(h.s.rooms().empty());
  EXPECT_TRUE(h.s.member_ids("lobby").empty());
  h.line(1, "liro");
  h.line(1, "join lobby");
  h.line(1, "join " + long_name);
  EXPECT_EQ(h.take(1), (Lines{"Sorry, no rooms", "room does not exist", "room does not exist"}));
  h.line(1, "room lobby");
  h.line(1, "join lobby");
  EXPECT_EQ(h.take(1), (Lines{"new room added", "Membership granted to the room"}));
  EXPECT_EQ(h.s.member_ids("lobby"), (std::vector<ClientId>{1}));
}

TEST(PsuircSession, RoomLimit) {
  Harness h(Options{6, 2});
  h.login(1, "alice");
  h.line(1, "room a");
  h.line(1, "room b");
  h.line(1, "room c");
  EXPECT_EQ(h.take(1), (Lines{"new room added", "new room added", "input invalid"}));
}

TEST(PsuircSession, JoinTellsTheMembersAlreadyIn) {
  Harness h;
  lobby_pair(h);
  h.login(3, "carol");
  h.login(4, "dave");
  h.line(3, "join lobby");
  EXPECT_EQ(h.take(3), (Lines{"Membership granted to the room"}));
  EXPECT_EQ(h.take(1), (Lines{"new member joined in room"}));
  EXPECT_EQ(h.take(2), (Lines{"new member joined in room"}));
  EXPECT_TRUE(h.take(4).empty());
  h.line(3, "join lobby");
  EXPECT_EQ(h.take(3), (Lines{"you are already member"}));
  h.line(4, "join nowhere");
  h.line(4, "join");
  EXPECT_EQ(h.take(4), (Lines{"room does not exist", "invalid room name"}));
  EXPECT_EQ(h.s.members("lobby"), (Lines{"alice", "bob", "carol"}));
  EXPECT_TRUE(h.all_read());
}

TEST(PsuircSession, MembersInJoinOrder) {
  Harness h;
  lobby_pair(h);
  h.line(2, "lime lobby");
  EXPECT_EQ(h.take(2), (Lines{"room members", "alice", "bob"}));
  h.line(2, "lime nowhere");
  EXPECT_EQ(h.take(2), (Lines{"room does not exist"}));
  h.line(2, "room empty");
  h.line(2, "lime empty");
  EXPECT_EQ(h.take(2), (Lines{"new room added", "room members"}));
}

TEST(PsuircSession, Leave) {
  Harness h;
  lobby_pair(h);
  h.login(3, "carol");
  h.line(3, "leve lobby");
  EXPECT_EQ(h.take(3), (Lines{"you are not member"}));
  h.line(3, "leve nowhere");
  EXPECT_EQ(h.take(3), (Lines{"room does not exist"}));
  h.line(2, "leve lobby");
  EXPECT_EQ(h.take(2), (Lines{"you left the room"}));
  EXPECT_EQ(h.take(1), (Lines{"one member left the room"}));
  EXPECT_FALSE(h.s.is_member(2, "lobby"));
  EXPECT_EQ(h.s.rooms(), (Lines{"lobby"}));  // rooms outlive their members
  EXPECT_TRUE(h.all_read());
}

TEST(PsuircSession, SendReachesOnlyTheOtherMembers) {
  Harness h;
  lobby_pair(h);
  h.login(3, "carol");
  h.line(1, "send lobby hello  there");
  EXPECT_EQ(h.take(2), (Lines{"lobby alice hello  there"}));
  EXPECT_EQ(h.take(1), (Lines{"message delivered to lobby"}));
  EXPECT_TRUE(h.take(3).empty());
  EXPECT_TRUE(h.all_read());
}

TEST(PsuircSession, SendErrors) {
  Harness h;
  lobby_pair(h);
  h.login(3, "carol");
  h.line(3, "send lobby hi");
  h.line(3, "send nowhere hi");
  h.line(3, "send lobby");
  h.line(3, "send lobby ");
  h.line(3, "send");
  h.line(3, "send lobby a\x01z");
  EXPECT_EQ(h.take(3), (Lines{"you are not member", "room does not exist", "invalid message format",
                              "invalid message format", "invalid message format", "invalid message format"}));
  EXPECT_TRUE(h.all_read());
}

TEST(PsuircSession, HelpExitAndUnknown) {
  Harness h;
  h.login(1, "alice");
  h.line(1, "HELP");
  const Lines help = h.take(1);
  ASSERT_EQ(help.size(), 1u);
  for (const char* cmd : {"liro", "lime", "room", "join", "leve", "send", "help", "exit"})
    EXPECT_NE(help[0].find(cmd), std::string::npos) << cmd;
  h.line(1, "");
  h.line(1, "lir");
  h.line(1, "liros");
  EXPECT_EQ(h.take(1),
            (Lines{"command invalid Type - HELP", "command invalid Type - HELP", "command invalid Type - HELP"}));
  h.line(1, "eXiT now");
  EXPECT_EQ(h.take(1), (Lines{"exit successful"}));
  EXPECT_TRUE(h.closed(1));
  EXPECT_EQ(h.s.connected(), 0u);
}

TEST(PsuircSession, DepartureLeavesEveryRoom) {
  Harness h;
  lobby_pair(h);
  h.line(2, "room den");
  h.line(2, "join den");
  h.login(3, "carol");
  h.line(3, "join den");
  h.take(2);
  h.take(3);
  h.disconnect(2);
  EXPECT_EQ(h.take(1), (Lines{"one member left the room"}));
  EXPECT_EQ(h.take(3), (Lines{"one member left the room"}));
  EXPECT_EQ(h.s.members("lobby"), (Lines{"alice"}));
  EXPECT_EQ(h.s.members("den"), (Lines{"carol"}));
  EXPECT_FALSE(h.closed(2));  // the peer went; nothing to close
}

TEST(PsuircSession, SeventhConnectionIsRefused) {
  Harness h;
  for (ClientId c = 1; c <= 6; ++c) h.connect(c);
  EXPECT_TRUE(h.all_read());
  h.connect(7);
  EXPECT_EQ(h.take(7), (Lines{"client invalid"}));
  EXPECT_TRUE(h.closed(7));
  EXPECT_EQ(h.s.connected(), 6u);
  h.line(7, "ghost");  // a refused client is not served
  EXPECT_TRUE(h.all_read());
  h.disconnect(3);
  h.connect(8);
  h.line(8, "newcomer");
  EXPECT_EQ(h.take(8), (Lines{"welcome user"}));
}

TEST(PsuircSession, DecodeErrorIsInputInvalidAndLeavesRooms) {
  Harness h;
  lobby_pair(h);
  h.s.on_decode_error(2, DecodeError{std::make_error_code(std::errc::invalid_argument), 3}, at_ms(0));
  for (auto& o : h.s.take_output()) {
    if (o.kind == Session::Out::Kind::send)
      h.inbox[o.client].push_back(o.frame.text);
    else
      h.closes[o.client] = o.reason;
  }
  EXPECT_EQ(h.take(2), (Lines{"input invalid"}));
  EXPECT_TRUE(h.closed(2));
  EXPECT_EQ(h.take(1), (Lines{"one member left the room"}));
  EXPECT_EQ(h.s.users(), (Lines{"alice"}));
}

TEST(PsuircLabels, Rules) {
  EXPECT_TRUE(valid_room_name("x"));
  EXPECT_TRUE(valid_room_name("\xf0\x9f\x8e\x89"));
  EXPECT_FALSE(valid_room_name(""));
  EXPECT_FALSE(valid_room_name("a b"));
  EXPECT_FALSE(valid_room_name("a\x7f"));
  EXPECT_FALSE(valid_room_name("a\xc2\x85"));  // NEL, a C1 control
  EXPECT_TRUE(valid_room_name("a\xc2\xa0"));   // NBSP is readable
  EXPECT_FALSE(valid_room_name("a\xff"));
  EXPECT_TRUE(valid_room_name(std::string(102400, 'r')));
  EXPECT_FALSE(valid_room_name(std::string(102401, 'r')));
  EXPECT_FALSE(valid_username("x"));
  EXPECT_TRUE(valid_message("hello  there"));
  EXPECT_FALSE(valid_message(""));
  EXPECT_FALSE(valid_message(std::string(102401, 'm')));
}

// Through the registry: bytes in, bytes out.
struct EngineRun {
  std::unique_ptr<Engine> e;
  std::map<ClientId, std::string> out;
  std::map<ClientId, std::string> closed;
  void pump() {
    for (auto& a : e->take_actions()) {
      if (a.kind == Action::Kind::send)
        out[a.client] += a.bytes;
      else
        closed[a.client] = a.bytes;
    }
  }
};

EngineRun engine(const OptionValues& o = {}) {
  const ProtocolInfo* p = find_protocol("psuirc");
  EXPECT_NE(p, nullptr);
  EXPECT_EQ(p->default_port, 31425);
  return EngineRun{p->make_engine(o), {}, {}};
}

TEST(PsuircEngine, BytesInLinesOut) {
  auto r = engine();
  r.e->on_connect(1, at_ms(0));
  r.e->on_bytes(1, "ali", at_ms(0));
  r.e->on_bytes(1, "ce\r\nroom lob", at_ms(0));
  r.e->on_bytes(1, "by\nliro\n", at_ms(0));
  r.pump();
  EXPECT_EQ(r.out[1], "welcome user\nnew room added\nAvailable rooms\nlobby\n");
  EXPECT_EQ(r.e->next_deadline(), std::nullopt);
}

TEST(PsuircEngine, InvalidUtf8IsInputInvalidThenClose) {
  auto r = engine();
  r.e->on_connect(1, at_ms(0));
  r.e->on_bytes(1, "alice\nroom a\xff\nliro\n", at_ms(0));
  r.pump();
  EXPECT_EQ(r.out[1], "welcome user\ninput invalid\n");
  ASSERT_TRUE(r.closed.count(1));
  EXPECT_NE(r.closed[1].find("invalid UTF-8 at byte 12"), std::string::npos) << r.closed[1];
}

TEST(PsuircEngine, MaxClientsOption) {
  auto r = engine({{"max-clients", "2"}});
  for (ClientId c = 1; c <= 3; ++c) r.e->on_connect(c, at_ms(0));
  r.pump();
  EXPECT_EQ(r.out[3], "client invalid\n");
  EXPECT_TRUE(r.closed.count(3));
  EXPECT_FALSE(r.closed.count(2));
}

TEST(PsuircEngine, BadOptionsAreRefused) {
  const ProtocolInfo* p = find_protocol("psuirc");
  ASSERT_NE(p, nullptr);
  EXPECT_THROW(p->make_engine({{"max-clients", "0"}}), OptionError);
  EXPECT_THROW(p->make_engine({{"max-clients", "six"}}), OptionError);
  EXPECT_THROW(p->make_engine({{"max-rooms", "-1"}}), OptionError);
}

}  // namespace
}  // namespace relaycheck::proto::psuirc
