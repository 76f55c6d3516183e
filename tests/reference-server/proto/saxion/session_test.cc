// saxion::Session driven directly with virtual time, and the FramedEngine the registry builds.
#include "proto/saxion/session.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "proto/registry.h"
#include "proto/saxion/codec.h"

namespace relaycheck::proto::saxion {
namespace {

using Lines = std::vector<std::string>;

// Wraps a Session: sends lines as a client would, collects what the session sends per client.
class Harness {
 public:
  explicit Harness(Options o = {}) : s(std::move(o)) {}

  void connect(ClientId c, long long t = 0) {
    s.on_connect(c, at_ms(t));
    collect();
  }
  void line(ClientId c, std::string_view text, long long t = 0) {
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
  // Connects and logs in; consumes everything the login caused for `c` and for the others.
  void login(ClientId c, const std::string& name, long long t = 0) {
    connect(c, t);
    line(c, "IDENT " + name, t);
    const Lines got = take(c);
    ASSERT_EQ(got, (Lines{"INIT Welcome to the server!", "OK IDENT " + name}));
    take_all();
  }

  // Lines sent to `c` since the last take, oldest first. Also drops them (and any close of `c`)
  // from `log`, so `log` holds only what no test has looked at yet.
  Lines take(ClientId c) {
    const std::string prefix = std::to_string(c) + ' ';
    std::erase_if(log, [&](const std::string& entry) { return entry.rfind(prefix, 0) == 0; });
    return std::exchange(inbox[c], {});
  }
  void take_all() {
    inbox.clear();
    log.clear();
  }
  bool closed(ClientId c) const { return closes.count(c) > 0; }
  std::optional<long long> deadline() const {
    auto d = s.next_deadline();
    if (!d) return std::nullopt;
    return d->time_since_epoch().count();
  }

  Session s;
  std::map<ClientId, Lines> inbox;
  std::set<ClientId> closes;
  Lines log;  // outputs not yet taken, in order: "<client> <line>" or "<client> close"

 private:
  void collect() {
    for (auto& out : s.take_output()) {
      if (out.kind == Session::Out::Kind::send) {
        EXPECT_FALSE(closed(out.client)) << "sent to client " << out.client << " after closing it";
        // Every frame must survive the wire: one line, re-parses to itself.
        const std::string wire = Codec::encode(out.frame);
        EXPECT_EQ(wire.find_first_of("\r\n"), wire.size() - 1) << wire;
        inbox[out.client].push_back(out.frame.to_line());
        log.push_back(std::to_string(out.client) + ' ' + out.frame.to_line());
      } else {
        EXPECT_FALSE(closed(out.client)) << "closed client " << out.client << " twice";
        closes.insert(out.client);
        log.push_back(std::to_string(out.client) + " close");
      }
    }
  }
};

std::string code_of(const std::string& line) { return line.substr(0, line.find(' ')); }

constexpr ClientId A = 1, B = 2, C = 3, D = 4;

// --- connect and login -------------------------------------------------------------------------

TEST(SaxionSession, InitOnConnect) {
  Harness h;
  h.connect(A);
  EXPECT_EQ(h.take(A), (Lines{"INIT Welcome to the server!"}));
  EXPECT_EQ(h.s.connected(), 1u);
  EXPECT_TRUE(h.s.users().empty());
}

TEST(SaxionSession, InitUsesTheConfiguredGreeting) {
  Options o;
  o.greeting = "Hi there";
  Harness h(o);
  h.connect(A);
  EXPECT_EQ(h.take(A), (Lines{"INIT Hi there"}));
}

TEST(SaxionSession, IdentOk) {
  Harness h;
  h.connect(A);
  h.take(A);
  h.line(A, "IDENT alice");
  EXPECT_EQ(h.take(A), (Lines{"OK IDENT alice"}));
  EXPECT_EQ(h.s.users(), (Lines{"alice"}));
}

TEST(SaxionSession, JoinedGoesToLoggedInOthersOnly) {
  Harness h;
  h.login(A, "alice");
  h.connect(C);  // connected, not logged in
  h.take_all();
  h.connect(B);
  h.line(B, "IDENT bob");
  EXPECT_EQ(h.take(B), (Lines{"INIT Welcome to the server!", "OK IDENT bob"}));
  EXPECT_EQ(h.take(A), (Lines{"JOINED bob"}));
  EXPECT_TRUE(h.take(C).empty());
}

TEST(SaxionSession, IdentNameTakenIsFail01) {
  Harness h;
  h.login(A, "alice");
  h.connect(B);
  h.take_all();
  h.line(B, "IDENT alice");
  const Lines got = h.take(B);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(code_of(got[0]), "FAIL01");
  EXPECT_TRUE(h.take(A).empty());
  EXPECT_EQ(h.s.users(), (Lines{"alice"}));
  // B can still log in under another name.
  h.line(B, "IDENT bob");
  EXPECT_EQ(h.take(B), (Lines{"OK IDENT bob"}));
}

TEST(SaxionSession, IdentTwiceIsFail04) {
  Harness h;
  h.login(A, "alice");
  h.line(A, "IDENT alice2");
  Lines got = h.take(A);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(code_of(got[0]), "FAIL04");
  h.line(A, "IDENT alice");  // its own name: still "twice", not "taken"
  got = h.take(A);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(code_of(got[0]), "FAIL04");
  h.line(A, "IDENT x!");  // whatever the name: "twice" comes before the name rules
  got = h.take(A);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(code_of(got[0]), "FAIL04");
  EXPECT_EQ(h.s.users(), (Lines{"alice"}));
}

struct NameCase {
  const char* name;
  bool ok;
};

// Readable test names in ctest: the name, with anything unprintable escaped.
void PrintTo(const NameCase& c, std::ostream* os) {
  static const char* hex = "0123456789abcdef";
  *os << '"';
  for (unsigned char ch : std::string(c.name)) {
    if (ch >= 0x21 && ch < 0x7f)
      *os << ch;
    else
      *os << "\\x" << hex[ch >> 4] << hex[ch & 15];
  }
  *os << '"' << (c.ok ? " ok" : " FAIL02");
}

class SaxionIdentName : public ::testing::TestWithParam<NameCase> {};

TEST_P(SaxionIdentName, ValidatesFormatAndLength) {
  const auto& p = GetParam();
  Harness h;
  h.connect(A);
  h.take(A);
  h.line(A, std::string("IDENT ") + p.name);
  const Lines got = h.take(A);
  ASSERT_EQ(got.size(), 1u);
  if (p.ok) {
    EXPECT_EQ(got[0], std::string("OK IDENT ") + p.name);
    EXPECT_EQ(h.s.users(), (Lines{p.name}));
  } else {
    EXPECT_EQ(code_of(got[0]), "FAIL02") << got[0];
    EXPECT_TRUE(h.s.users().empty());
  }
  EXPECT_EQ(valid_username(p.name), p.ok);
}

INSTANTIATE_TEST_SUITE_P(Names, SaxionIdentName,
                         ::testing::Values(NameCase{"ab", false},               // 2: too short
                                           NameCase{"abc", true},               // 3: shortest
                                           NameCase{"abcdefghijklmn", true},    // 14: longest
                                           NameCase{"abcdefghijklmno", false},  // 15: too long
                                           NameCase{"A_z_0_9", true}, NameCase{"___", true}, NameCase{"123", true},
                                           NameCase{"", false}, NameCase{"ali-ce", false}, NameCase{"ali ce", false},
                                           NameCase{"ali.ce", false}, NameCase{"ali:ce", false},
                                           NameCase{"alicé", false}, NameCase{"al\tice", false},
                                           NameCase{"alice!", false}));

// --- broadcast, users, private messages ----------------------------------------------------------

TEST(SaxionSession, BroadcastGoesToOthersAndIsAcknowledged) {
  Harness h;
  h.login(A, "alice");
  h.login(B, "bob");
  h.login(C, "carol");
  h.connect(D);  // not logged in: hears nothing
  h.take_all();
  h.line(A, "BCST hello  world");
  EXPECT_EQ(h.take(A), (Lines{"OK BCST hello  world"}));
  EXPECT_EQ(h.take(B), (Lines{"BCST alice hello  world"}));
  EXPECT_EQ(h.take(C), (Lines{"BCST alice hello  world"}));
  EXPECT_TRUE(h.take(D).empty());
}

TEST(SaxionSession, UsersAloneIsFail06) {
  Harness h;
  h.login(A, "alice");
  h.connect(B);  // connected but not logged in does not count
  h.take_all();
  h.line(A, "USERS");
  const Lines got = h.take(A);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(code_of(got[0]), "FAIL06");
}

TEST(SaxionSession, UsersListsLoggedInNamesInLoginOrder) {
  Harness h;
  h.login(C, "zed");
  h.login(A, "alice");
  h.connect(D);
  h.login(B, "mike");
  h.take_all();
  h.line(A, "USERS");
  EXPECT_EQ(h.take(A), (Lines{"OK USERS zed:alice:mike"}));
  h.disconnect(C);
  h.take_all();
  h.line(B, "USERS");
  EXPECT_EQ(h.take(B), (Lines{"OK USERS alice:mike"}));
}

// More clients than the session keeps inline (its tables hold a few clients without allocating,
// then grow): relays reach every logged-in other, in connection order, and logins, lookups and
// departures from the middle keep the login order and the names.
TEST(SaxionSession, ManyClientsRelayLookupAndDepartInOrder) {
  Harness h;
  const std::vector<std::string> names = {"user_a", "user_b", "user_c", "user_d", "user_e",
                                          "user_f", "user_g", "user_h", "user_i"};
  for (std::size_t i = 0; i < names.size(); ++i) h.login(static_cast<ClientId>(10 + i), names[i]);
  h.take_all();
  h.line(14, "BCST to all");
  for (std::size_t i = 0; i < names.size(); ++i) {
    const ClientId c = static_cast<ClientId>(10 + i);
    EXPECT_EQ(h.take(c), c == 14 ? Lines{"OK BCST to all"} : Lines{"BCST user_e to all"}) << c;
  }
  // Relays are queued in connection order.
  h.line(12, "BCST again");
  Lines expected = {"12 OK BCST again"};
  for (ClientId c = 10; c < 19; ++c)
    if (c != 12) expected.push_back(std::to_string(c) + " BCST user_c again");
  EXPECT_EQ(h.log, expected);
  h.take_all();
  h.disconnect(13);
  h.line(15, "QUIT");
  h.take_all();
  h.line(18, "PM user_a hi");
  EXPECT_EQ(h.take(10), (Lines{"NPM user_i hi"}));
  h.line(18, "PM user_d hi");
  EXPECT_EQ(code_of(h.take(18).back()), "FAIL07");  // departed: its name is free
  h.line(10, "USERS");
  EXPECT_EQ(h.take(10), (Lines{"OK USERS user_a:user_b:user_c:user_e:user_g:user_h:user_i"}));
  h.login(20, "user_d");  // the name is free again
  EXPECT_EQ(h.s.users(),
            (std::vector<std::string>{"user_a", "user_b", "user_c", "user_e", "user_g", "user_h", "user_i", "user_d"}));
  EXPECT_EQ(h.s.connected(), 8u);
}

TEST(SaxionSession, PmToRecipientAsNpm) {
  Harness h;
  h.login(A, "alice");
  h.login(B, "bob");
  h.login(C, "carol");
  h.line(A, "PM bob hi there  bob");
  EXPECT_EQ(h.take(A), (Lines{"OK PM bob hi there  bob"}));
  EXPECT_EQ(h.take(B), (Lines{"NPM alice hi there  bob"}));
  EXPECT_TRUE(h.take(C).empty());
}

TEST(SaxionSession, PmToUnknownUserIsFail07) {
  Harness h;
  h.login(A, "alice");
  h.login(B, "bob");
  h.connect(C);  // connected, never logged in: not a user
  h.take_all();
  for (const char* cmd : {"PM nobody hi", "PM Bob hi", "PM", "PM  bob hi"}) {
    h.line(A, cmd);
    const Lines got = h.take(A);
    ASSERT_EQ(got.size(), 1u) << cmd;
    EXPECT_EQ(code_of(got[0]), "FAIL07") << cmd;
  }
  EXPECT_TRUE(h.take(B).empty());
  EXPECT_TRUE(h.take(C).empty());
}

TEST(SaxionSession, PmToSelfIsFail08) {
  Harness h;
  h.login(A, "alice");
  h.login(B, "bob");
  h.line(A, "PM alice note to self");
  const Lines got = h.take(A);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(code_of(got[0]), "FAIL08");
  EXPECT_TRUE(h.take(B).empty());
}

TEST(SaxionSession, PrivateMessageIsReceivedAsReceivePrivateMsg) {
  Harness h;
  h.login(A, "alice");
  h.login(B, "bob");
  h.login(C, "carol");
  h.line(A, "PRIVATE_MESSAGE bob U2FsdGVkX1+abc==");
  EXPECT_EQ(h.take(A), (Lines{"OK PRIVATE_MESSAGE bob U2FsdGVkX1+abc=="}));
  EXPECT_EQ(h.take(B), (Lines{"RECEIVE_PRIVATE_MSG alice U2FsdGVkX1+abc=="}));
  EXPECT_TRUE(h.take(C).empty());

  h.line(A, "PRIVATE_MESSAGE nobody x");
  Lines got = h.take(A);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(code_of(got[0]), "FAIL07");
  h.line(A, "PRIVATE_MESSAGE alice x");
  got = h.take(A);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(code_of(got[0]), "FAIL08");
  EXPECT_TRUE(h.take(B).empty());
}

TEST(SaxionSession, SessionKeyIsRelayedToTheRecipientOnly) {
  Harness h;
  h.login(A, "alice");
  h.login(B, "bob");
  h.login(C, "carol");
  h.line(A, "PM_SESSIONKEY bob ZW5jcnlwdGVkIGtleQ==");
  EXPECT_TRUE(h.take(A).empty());
  EXPECT_EQ(h.take(B), (Lines{"PM_SESSIONKEY alice ZW5jcnlwdGVkIGtleQ=="}));
  EXPECT_TRUE(h.take(C).empty());
  // The recipient's acknowledgement needs no answer and goes nowhere.
  h.line(B, "OK PM_SESSIONKEY");
  EXPECT_TRUE(h.log.empty()) << h.log.front();

  h.line(A, "PM_SESSIONKEY nobody k");
  Lines got = h.take(A);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(code_of(got[0]), "FAIL07");
  h.line(A, "PM_SESSIONKEY alice k");
  got = h.take(A);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(code_of(got[0]), "FAIL08");
}

TEST(SaxionSession, PublicKeyIsRelayedToAllOthers) {
  Harness h;
  h.login(A, "alice");
  h.login(B, "bob");
  h.login(C, "carol");
  h.connect(D);
  h.take_all();
  h.line(A, "PM_PUBKEY -----BEGIN PUBLIC KEY----- MIIBIjAN");
  EXPECT_TRUE(h.take(A).empty());
  EXPECT_EQ(h.take(B), (Lines{"PM_PUBKEY alice -----BEGIN PUBLIC KEY----- MIIBIjAN"}));
  EXPECT_EQ(h.take(C), (Lines{"PM_PUBKEY alice -----BEGIN PUBLIC KEY----- MIIBIjAN"}));
  EXPECT_TRUE(h.take(D).empty());
  h.line(B, "OK PM_PUBKEY");
  h.line(C, "OK PM_PUBKEY alice");
  EXPECT_TRUE(h.log.empty()) << h.log.front();
}

TEST(SaxionSession, OtherOkFromAClientIsFail00) {
  Harness h;
  h.login(A, "alice");
  for (const char* cmd : {"OK", "OK BCST", "OK PM_PUBKEYS"}) {
    h.line(A, cmd);
    const Lines got = h.take(A);
    ASSERT_EQ(got.size(), 1u) << cmd;
    EXPECT_EQ(code_of(got[0]), "FAIL00") << cmd;
  }
}

// --- errors ---------------------------------------------------------------------------------------

class SaxionLoginFirst : public ::testing::TestWithParam<const char*> {};

TEST_P(SaxionLoginFirst, CommandBeforeLoginIsFail03) {
  Harness h;
  h.login(A, "alice");
  h.connect(B);
  h.take_all();
  h.line(B, GetParam());
  const Lines got = h.take(B);
  ASSERT_EQ(got.size(), 1u) << GetParam();
  EXPECT_EQ(code_of(got[0]), "FAIL03") << got[0];
  EXPECT_TRUE(h.take(A).empty()) << "relayed before login: " << GetParam();
  EXPECT_FALSE(h.closed(B));
  EXPECT_EQ(h.s.users(), (Lines{"alice"}));
}

INSTANTIATE_TEST_SUITE_P(Commands, SaxionLoginFirst,
                         ::testing::Values("BCST hello", "USERS", "PM alice hi", "PM_PUBKEY key",
                                           "PM_SESSIONKEY alice key", "PRIVATE_MESSAGE alice msg", "OK PM_PUBKEY"));

TEST(SaxionSession, UnknownCommandIsFail00BeforeAndAfterLogin) {
  for (bool logged_in : {false, true}) {
    Harness h;
    if (logged_in) {
      h.login(A, "alice");
    } else {
      h.connect(A);
      h.take_all();
    }
    for (const char* cmd : {"HELLO", "FOO bar baz", "", " IDENT alice", "bcst hi", "Quit", "PING", "NPM bob x",
                            "JOINED x", "DSCN bye", "LEFT x"}) {
      h.line(A, cmd);
      const Lines got = h.take(A);
      ASSERT_EQ(got.size(), 1u) << "'" << cmd << "'";
      EXPECT_EQ(code_of(got[0]), "FAIL00") << "'" << cmd << "' -> " << got[0];
      EXPECT_FALSE(h.closed(A));
    }
  }
}

TEST(SaxionSession, FailLinesCarryCodeAndText) {
  Harness h;
  h.connect(A);
  h.take_all();
  h.line(A, "HELLO");
  EXPECT_EQ(h.take(A), (Lines{"FAIL00 Unknown command"}));
  h.line(A, "BCST x");
  EXPECT_EQ(h.take(A), (Lines{"FAIL03 Please log in first"}));
}

// --- leaving --------------------------------------------------------------------------------------

TEST(SaxionSession, QuitSaysGoodbyeClosesAndTellsOthers) {
  Harness h;
  h.login(A, "alice");
  h.login(B, "bob");
  h.connect(C);
  h.take_all();
  h.line(A, "QUIT");
  EXPECT_EQ(h.log, (Lines{"1 OK GOODBYE", "1 close", "2 LEFT alice"}));
  EXPECT_TRUE(h.closed(A));
  EXPECT_TRUE(h.take(C).empty());
  EXPECT_EQ(h.s.users(), (Lines{"bob"}));
  EXPECT_EQ(h.s.connected(), 2u);
  // Anything after the close is ignored; the name is free again.
  h.take_all();
  h.line(A, "BCST ghost");
  EXPECT_TRUE(h.log.empty());
  h.line(C, "IDENT alice");
  EXPECT_EQ(h.take(C), (Lines{"OK IDENT alice"}));
}

TEST(SaxionSession, QuitBeforeLoginTellsNobody) {
  Harness h;
  h.login(A, "alice");
  h.connect(B);
  h.take_all();
  h.line(B, "QUIT");
  EXPECT_EQ(h.log, (Lines{"2 OK GOODBYE", "2 close"}));
}

TEST(SaxionSession, DisconnectTellsOthers) {
  Harness h;
  h.login(A, "alice");
  h.login(B, "bob");
  h.login(C, "carol");
  h.disconnect(B);
  EXPECT_EQ(h.take(A), (Lines{"LEFT bob"}));
  EXPECT_EQ(h.take(C), (Lines{"LEFT bob"}));
  EXPECT_TRUE(h.take(B).empty());
  EXPECT_FALSE(h.closed(B));  // the peer is gone already; no close is asked for
  EXPECT_EQ(h.s.users(), (Lines{"alice", "carol"}));
  h.disconnect(B);  // twice is harmless
  EXPECT_TRUE(h.log.empty());
}

TEST(SaxionSession, DisconnectBeforeLoginTellsNobody) {
  Harness h;
  h.login(A, "alice");
  h.connect(B);
  h.take_all();
  h.disconnect(B);
  EXPECT_TRUE(h.log.empty());
  EXPECT_EQ(h.s.connected(), 1u);
}

// --- heartbeat, in virtual time ------------------------------------------------------------------

TEST(SaxionSession, NoDeadlineWithoutLoggedInClients) {
  Harness h;
  EXPECT_EQ(h.deadline(), std::nullopt);
  h.connect(A, 0);
  EXPECT_EQ(h.deadline(), std::nullopt);
  h.take_all();
  h.tick(1'000'000);  // never pinged before login
  EXPECT_TRUE(h.log.empty());
}

TEST(SaxionSession, PingAtTheIntervalAfterLoginNotBefore) {
  Harness h;
  h.login(A, "alice", 1000);
  EXPECT_EQ(h.deadline(), 11'000);
  h.tick(5000);
  h.tick(10'999);
  EXPECT_TRUE(h.log.empty());
  h.tick(11'000);
  EXPECT_EQ(h.log, (Lines{"1 PING"}));
  EXPECT_EQ(h.deadline(), 14'000);  // now the pong deadline
}

TEST(SaxionSession, PongKeepsTheClientAndTheNextPingIsOneIntervalAfterThePrevious) {
  Harness h;
  h.login(A, "alice", 0);
  h.tick(10'000);
  EXPECT_EQ(h.take(A), (Lines{"PING"}));
  h.line(A, "PONG", 12'500);
  EXPECT_TRUE(h.log.empty()) << h.log.front();
  EXPECT_EQ(h.deadline(), 20'000);
  h.tick(13'000);  // past the old pong deadline: nothing happens
  h.tick(19'999);
  EXPECT_TRUE(h.log.empty()) << h.log.front();
  h.tick(20'000);
  EXPECT_EQ(h.log, (Lines{"1 PING"}));
  h.take_all();
  h.line(A, "PONG", 20'001);
  h.tick(30'000);
  EXPECT_EQ(h.log, (Lines{"1 PING"}));
  EXPECT_FALSE(h.closed(A));
  EXPECT_EQ(h.s.users(), (Lines{"alice"}));
}

TEST(SaxionSession, NoPongMeansDscnCloseAndLeftAtExactlyThePongTimeout) {
  Harness h;
  h.login(A, "alice", 0);
  h.login(B, "bob", 5000);
  h.tick(10'000);
  EXPECT_EQ(h.log, (Lines{"1 PING"}));
  h.take_all();
  h.tick(12'999);
  EXPECT_TRUE(h.log.empty()) << h.log.front();
  EXPECT_EQ(h.deadline(), 13'000);
  h.tick(13'000);
  EXPECT_EQ(h.log, (Lines{"1 DSCN Pong timeout", "1 close", "2 LEFT alice"}));
  EXPECT_EQ(h.s.users(), (Lines{"bob"}));
  EXPECT_EQ(h.deadline(), 15'000);  // bob's first ping
}

TEST(SaxionSession, CustomIntervalsAreHonoured) {
  Options o;
  o.ping_interval = Millis{2000};
  o.pong_timeout = Millis{500};
  Harness h(o);
  h.login(A, "alice", 100);
  EXPECT_EQ(h.deadline(), 2100);
  h.tick(2100);
  EXPECT_EQ(h.take(A), (Lines{"PING"}));
  h.tick(2599);
  EXPECT_FALSE(h.closed(A));
  h.tick(2600);
  EXPECT_TRUE(h.closed(A));
}

TEST(SaxionSession, PongWithoutPingIsFail05) {
  Harness h;
  h.connect(B);
  h.take_all();
  h.line(B, "PONG");  // before login
  Lines got = h.take(B);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(code_of(got[0]), "FAIL05");

  h.login(A, "alice", 0);
  h.line(A, "PONG", 1000);  // logged in, no PING yet
  got = h.take(A);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(code_of(got[0]), "FAIL05");
  EXPECT_FALSE(h.closed(A));

  h.tick(10'000);
  EXPECT_EQ(h.take(A), (Lines{"PING"}));
  h.line(A, "PONG", 10'100);
  EXPECT_TRUE(h.take(A).empty());
  h.line(A, "PONG", 10'200);  // a second PONG for the same PING
  got = h.take(A);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(code_of(got[0]), "FAIL05");
}

TEST(SaxionSession, NextDeadlineIsTheEarliestOverClients) {
  Harness h;
  h.login(B, "bob", 1000);    // ping at 11000
  h.login(A, "alice", 3000);  // ping at 13000
  h.connect(C, 0);
  EXPECT_EQ(h.deadline(), 11'000);
  h.tick(11'000);  // bob pinged, pong due at 14000; alice still at 13000
  EXPECT_EQ(h.take(B), (Lines{"PING"}));
  EXPECT_TRUE(h.take(A).empty());
  EXPECT_EQ(h.deadline(), 13'000);
  h.tick(13'000);
  EXPECT_EQ(h.take(A), (Lines{"PING"}));
  EXPECT_EQ(h.deadline(), 14'000);
  h.line(B, "PONG", 13'500);
  EXPECT_EQ(h.deadline(), 16'000);  // alice's pong deadline; bob's next ping is 21000
  h.line(A, "PONG", 13'600);
  EXPECT_EQ(h.deadline(), 21'000);
  h.disconnect(B, 14'000);
  EXPECT_EQ(h.deadline(), 23'000);
  h.disconnect(A, 14'000);
  EXPECT_EQ(h.deadline(), std::nullopt);
}

TEST(SaxionSession, LateTickStillPingsOnceAndTimesOutLater) {
  Harness h;
  h.login(A, "alice", 0);
  h.tick(25'000);  // the shell woke up late: one PING, not several
  EXPECT_EQ(h.log, (Lines{"1 PING"}));
  h.take_all();
  h.tick(27'999);
  EXPECT_TRUE(h.log.empty());
  h.tick(28'000);
  EXPECT_EQ(h.log, (Lines{"1 DSCN Pong timeout", "1 close"}));
}

// --- through the engine the registry builds --------------------------------------------------------

struct EngineHarness {
  explicit EngineHarness(const OptionValues& values = {}) {
    const ProtocolInfo* info = find_protocol("saxion");
    if (!info) throw std::runtime_error("saxion not registered");
    engine = info->make_engine(values);
  }
  std::vector<Action> take() { return engine->take_actions(); }
  std::unique_ptr<Engine> engine;
};

std::string describe(const std::vector<Action>& actions) {
  std::string s;
  for (const auto& a : actions)
    s += std::to_string(a.client) + (a.kind == Action::Kind::send ? " send " : " close ") + a.bytes + "|";
  return s;
}

TEST(SaxionEngine, RegisteredWithDefaults) {
  const ProtocolInfo* info = find_protocol("saxion");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->default_port, 1337);
  EXPECT_EQ(find_protocol("nope"), nullptr);
}

TEST(SaxionEngine, BytesInAnySplitBecomeFrames) {
  EngineHarness e;
  e.engine->on_connect(A, at_ms(0));
  e.engine->on_connect(B, at_ms(0));
  auto actions = e.take();
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].bytes, "INIT Welcome to the server!\n");
  const std::string bytes = "IDENT alice\r\nBCST hi\r";
  for (char ch : bytes) e.engine->on_bytes(A, std::string_view(&ch, 1), at_ms(0));
  e.engine->on_bytes(A, "\nUSERS\n", at_ms(0));
  actions = e.take();
  ASSERT_EQ(actions.size(), 3u) << describe(actions);
  EXPECT_EQ(actions[0].bytes, "OK IDENT alice\n");
  EXPECT_EQ(actions[1].bytes, "OK BCST hi\n");
  EXPECT_EQ(actions[2].bytes, "FAIL06 You are the only connected user\n");
}

// An engine leaves its storage to the next one on its thread (the fuzz targets make one per
// input), never its state: no clients, names, buffered bytes or queued lines carry over.
TEST(SaxionEngine, ANewEngineStartsEmptyWhateverTheLastOneHeld) {
  {
    EngineHarness first;
    first.engine->on_connect(A, at_ms(0));
    first.engine->on_connect(B, at_ms(0));
    first.engine->on_bytes(A, "IDENT alice\nBCST left queued\n", at_ms(0));
    first.engine->on_bytes(B, "IDENT bo", at_ms(0));  // half a line, buffered
  }
  EngineHarness second;
  second.engine->on_bytes(A, "USERS\n", at_ms(0));  // not connected here
  EXPECT_TRUE(second.take().empty());
  EXPECT_EQ(second.engine->progress(A), std::nullopt);
  EXPECT_EQ(second.engine->next_deadline(), std::nullopt);
  second.engine->on_connect(B, at_ms(0));
  second.engine->on_bytes(B, "b\nIDENT alice\n", at_ms(0));
  const auto actions = second.take();
  ASSERT_EQ(actions.size(), 3u) << describe(actions);
  EXPECT_EQ(actions[0].bytes, "INIT Welcome to the server!\n");
  EXPECT_EQ(actions[1].bytes, "FAIL00 Unknown command\n");  // "b", not the rest of "IDENT bo"
  EXPECT_EQ(actions[2].bytes, "OK IDENT alice\n");          // the name is free
}

TEST(SaxionEngine, OptionsReachTheSession) {
  EngineHarness e({{"ping-interval", "2s"}, {"pong-timeout", "500ms"}, {"greeting", "hey"}});
  e.engine->on_connect(A, at_ms(0));
  e.engine->on_bytes(A, "IDENT alice\n", at_ms(100));
  auto actions = e.take();
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].bytes, "INIT hey\n");
  ASSERT_TRUE(e.engine->next_deadline());
  EXPECT_EQ(*e.engine->next_deadline(), at_ms(2100));
  e.engine->on_tick(at_ms(2100));
  actions = e.take();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].bytes, "PING\n");
  EXPECT_EQ(*e.engine->next_deadline(), at_ms(2600));
  e.engine->on_tick(at_ms(2600));
  actions = e.take();
  ASSERT_EQ(actions.size(), 2u) << describe(actions);
  EXPECT_EQ(actions[0].bytes, "DSCN Pong timeout\n");
  EXPECT_EQ(actions[1].kind, Action::Kind::close);
}

TEST(SaxionEngine, BadOptionIsRefused) {
  EXPECT_THROW(EngineHarness(OptionValues{{"ping-interval", "soon"}}), OptionError);
}

TEST(SaxionEngine, OverLongLineIsDscnAndClose) {
  EngineHarness e;
  e.engine->on_connect(A, at_ms(0));
  e.engine->on_connect(B, at_ms(0));
  e.engine->on_bytes(A, "IDENT alice\n", at_ms(0));
  e.engine->on_bytes(B, "IDENT bob\n", at_ms(0));
  e.take();
  // Exactly the limit is fine and still waiting for its terminator.
  e.engine->on_bytes(A, "BCST " + std::string(kMaxLineBytes - 5, 'x'), at_ms(0));
  EXPECT_TRUE(e.take().empty());
  e.engine->on_bytes(A, "y", at_ms(0));
  auto actions = e.take();
  ASSERT_EQ(actions.size(), 3u) << describe(actions);
  EXPECT_EQ(actions[0].client, A);
  EXPECT_EQ(actions[0].kind, Action::Kind::send);
  EXPECT_EQ(actions[0].bytes.rfind("DSCN ", 0), 0u) << actions[0].bytes;
  EXPECT_EQ(actions[1].client, A);
  EXPECT_EQ(actions[1].kind, Action::Kind::close);
  EXPECT_EQ(actions[2].client, B);
  EXPECT_EQ(actions[2].bytes, "LEFT alice\n");
  // The connection is forgotten: more bytes and a later disconnect do nothing.
  e.engine->on_bytes(A, "\nBCST after\n", at_ms(0));
  e.engine->on_disconnect(A, at_ms(0));
  EXPECT_TRUE(e.take().empty());
  EXPECT_EQ(e.engine->next_deadline(), at_ms(10'000));  // only bob's ping is left
}

TEST(SaxionEngine, NothingIsHandledAfterQuitInTheSameChunk) {
  EngineHarness e;
  e.engine->on_connect(A, at_ms(0));
  e.engine->on_connect(B, at_ms(0));
  e.engine->on_bytes(B, "IDENT bob\n", at_ms(0));
  e.take();
  e.engine->on_bytes(A, "IDENT alice\nQUIT\nBCST too late\n", at_ms(0));
  auto actions = e.take();
  ASSERT_EQ(actions.size(), 5u) << describe(actions);
  EXPECT_EQ(actions[0].bytes, "OK IDENT alice\n");
  EXPECT_EQ(actions[1].bytes, "JOINED alice\n");
  EXPECT_EQ(actions[2].bytes, "OK GOODBYE\n");
  EXPECT_EQ(actions[3].kind, Action::Kind::close);
  EXPECT_EQ(actions[4].bytes, "LEFT alice\n");
  EXPECT_EQ(actions[4].client, B);
}

TEST(SaxionEngine, DisconnectTellsOthers) {
  EngineHarness e;
  e.engine->on_connect(A, at_ms(0));
  e.engine->on_connect(B, at_ms(0));
  e.engine->on_bytes(A, "IDENT alice\n", at_ms(0));
  e.engine->on_bytes(B, "IDENT bob\n", at_ms(0));
  e.take();
  e.engine->on_disconnect(A, at_ms(5));
  auto actions = e.take();
  ASSERT_EQ(actions.size(), 1u) << describe(actions);
  EXPECT_EQ(actions[0].client, B);
  EXPECT_EQ(actions[0].bytes, "LEFT alice\n");
}

}  // namespace
}  // namespace relaycheck::proto::saxion
