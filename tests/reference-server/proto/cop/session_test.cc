// The cop server engine, driven with bytes and virtual time: every session rule.
#include "proto/cop/session.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "proto/cop/codec.h"
#include "proto/registry.h"

namespace relaycheck::proto::cop {
namespace {

// Drives an Engine as clients would: frames in, decoded frames (or raw bytes on a bridge) and
// closes out, per client.
class Clients {
  std::unique_ptr<Engine> owned_;  // first: `e` refers to it

 public:
  explicit Clients(Options o = {}) : owned_(std::make_unique<Session>(std::move(o))), e(*owned_) {}
  explicit Clients(std::unique_ptr<Engine> engine) : owned_(std::move(engine)), e(*owned_) {}

  void connect(ClientId c, long long t = 0) {
    e.on_connect(c, at_ms(t));
    collect();
  }
  void send(ClientId c, const Frame& f, long long t = 0) { bytes(c, Codec::encode(f), t); }
  void bytes(ClientId c, std::string_view b, long long t = 0) {
    e.on_bytes(c, b, at_ms(t));
    collect();
  }
  void disconnect(ClientId c, long long t = 0) {
    e.on_disconnect(c, at_ms(t));
    collect();
  }
  void tick(long long t) {
    e.on_tick(at_ms(t));
    collect();
  }
  void login(ClientId c, const std::string& nick) {
    connect(c);
    send(c, cop::login(nick));
    ASSERT_EQ(frames(c), std::vector<Frame>{login_accepted(nick)});
  }

  // Everything sent to `c` since the last look, decoded.
  std::vector<Frame> frames(ClientId c) {
    Codec codec;
    codec.feed(std::exchange(inbox_[c], {}));
    std::vector<Frame> out;
    while (true) {
      auto item = codec.next();
      if (auto* f = std::get_if<Frame>(&item))
        out.push_back(*f);
      else {
        EXPECT_FALSE(std::holds_alternative<DecodeError>(item)) << "server sent undecodable bytes to " << c;
        break;
      }
    }
    EXPECT_EQ(codec.buffered(), 0u);
    return out;
  }
  std::string raw(ClientId c) { return std::exchange(inbox_[c], {}); }
  bool closed(ClientId c) const { return closed_.count(c) > 0; }
  bool silent(ClientId c) const {
    auto it = inbox_.find(c);
    return (it == inbox_.end() || it->second.empty()) && !closed(c);
  }

  // alice (1) asks bob (2), bob accepts; returns the connect id both got.
  std::int64_t negotiate(ClientId a = 1, const std::string& an = "alice", ClientId b = 2,
                         const std::string& bn = "bob") {
    send(a, pair_frame(Op::private_request, an, bn));
    EXPECT_EQ(frames(b), std::vector<Frame>{pair_frame(Op::private_request, an, bn)});
    send(b, pair_frame(Op::private_accept, an, bn));
    const auto to_a = frames(a);
    const auto to_b = frames(b);
    EXPECT_EQ(to_a.size(), 2u);
    EXPECT_EQ(to_b.size(), 1u);
    if (to_a.size() != 2 || to_b.size() != 1) return 0;
    EXPECT_EQ(to_a[0], pair_frame(Op::private_accept, an, bn));
    EXPECT_EQ(to_a[1], connect_id(an, bn, to_a[1].id));
    EXPECT_EQ(to_b[0], to_a[1]);
    return to_a[1].id;
  }

  Engine& e;

 private:
  void collect() {
    for (auto& a : e.take_actions()) {
      EXPECT_FALSE(closed(a.client)) << "action for a closed client " << a.client;
      if (a.kind == Action::Kind::send)
        inbox_[a.client] += a.bytes;
      else
        closed_.insert(a.client);
    }
  }
  std::map<ClientId, std::string> inbox_;
  std::set<ClientId> closed_;
};

constexpr ClientId A = 1, B = 2, C = 3, PA = 11, PB = 12, PC = 13;

TEST(CopSession, LoginAcceptedAndTaken) {
  Clients k;
  k.login(A, "alice");
  k.connect(B);
  k.send(B, login("alice"));
  EXPECT_EQ(k.frames(B), std::vector<Frame>{login_refused("alice")});
  EXPECT_FALSE(k.closed(B));
  k.send(B, login("bob"));
  EXPECT_EQ(k.frames(B), std::vector<Frame>{login_accepted("bob")});
  EXPECT_TRUE(k.silent(A));
}

TEST(CopSession, NicknameRules) {
  EXPECT_TRUE(valid_nickname("alice", 32));
  EXPECT_TRUE(valid_nickname(std::string(32, 'x'), 32));
  EXPECT_FALSE(valid_nickname(std::string(33, 'x'), 32));
  EXPECT_FALSE(valid_nickname("", 32));
  EXPECT_FALSE(valid_nickname("al ice", 32));
  EXPECT_FALSE(valid_nickname("al\tice", 32));
  EXPECT_FALSE(valid_nickname("alice\x7f", 32));
  EXPECT_FALSE(valid_nickname("a\xc2\x85", 32));  // U+0085, a C1 control
  EXPECT_FALSE(
      valid_nickname("a\xc2\xa0"
                     "b",
                     32));  // no-break space
  EXPECT_TRUE(valid_nickname("Zo\xc3\xab", 32));
  Clients k;
  k.connect(A);
  k.send(A, login("bad name"));
  EXPECT_EQ(k.frames(A), std::vector<Frame>{login_refused("bad name")});
}

TEST(CopSession, PublicMessageToEveryLoggedInUser) {
  Clients k;
  k.login(A, "alice");
  k.login(B, "bob");
  k.connect(C);  // not logged in
  k.send(A, public_msg("alice", "hi"));
  EXPECT_EQ(k.frames(A), std::vector<Frame>{public_msg("alice", "hi")});
  EXPECT_EQ(k.frames(B), std::vector<Frame>{public_msg("alice", "hi")});
  EXPECT_TRUE(k.silent(C));
}

TEST(CopSession, MessageLimit) {
  Clients k;
  k.login(A, "alice");
  k.login(B, "bob");
  k.send(A, private_msg("alice", "bob", std::string(512, 'm')));
  EXPECT_EQ(k.frames(B).size(), 1u);
  k.send(A, public_msg("alice", std::string(513, 'm')));
  EXPECT_TRUE(k.closed(A));
  EXPECT_TRUE(k.silent(B));
}

TEST(CopSession, PrivateMessageAndUnknownUser) {
  Clients k;
  k.login(A, "alice");
  k.login(B, "bob");
  k.login(C, "carol");
  k.send(A, private_msg("alice", "bob", "psst"));
  EXPECT_EQ(k.frames(B), std::vector<Frame>{private_msg("alice", "bob", "psst")});
  EXPECT_TRUE(k.silent(A));
  EXPECT_TRUE(k.silent(C));
  k.send(A, private_msg("alice", "dave", "?"));
  EXPECT_EQ(k.frames(A), std::vector<Frame>{unknown_user("dave")});
  k.disconnect(B);
  k.send(A, private_msg("alice", "bob", "?"));
  EXPECT_EQ(k.frames(A), std::vector<Frame>{unknown_user("bob")});
}

TEST(CopSession, SpoofedSendersAreProtocolErrors) {
  for (const Frame& spoof :
       {public_msg("bob", "x"), private_msg("bob", "carol", "x"), pair_frame(Op::private_request, "bob", "carol")}) {
    Clients k;
    k.login(A, "alice");
    k.login(B, "bob");
    k.login(C, "carol");
    k.send(A, spoof);
    EXPECT_TRUE(k.closed(A)) << static_cast<int>(spoof.op);
    EXPECT_TRUE(k.silent(B));
    EXPECT_TRUE(k.silent(C));
    // alice is gone: her nickname is free.
    k.connect(4);
    k.send(4, login("alice"));
    EXPECT_EQ(k.frames(4), std::vector<Frame>{login_accepted("alice")});
  }
}

TEST(CopSession, FramesBeforeLoginClose) {
  for (const Frame& f : {public_msg("x", "y"), private_msg("x", "y", "z"), pair_frame(Op::private_request, "x", "y"),
                         pair_frame(Op::private_accept, "x", "y"), unknown_user("x"), private_established()}) {
    Clients k;
    k.connect(A);
    k.send(A, f);
    EXPECT_TRUE(k.closed(A)) << static_cast<int>(f.op);
  }
}

TEST(CopSession, ServerOpcodesFromALoggedInClientClose) {
  for (const Frame& f : {login("again"), login_accepted("x"), login_refused("x"), unknown_user("x"),
                         connect_id("alice", "bob", 5), private_connect(5), private_established()}) {
    Clients k;
    k.login(A, "alice");
    k.login(B, "bob");
    k.send(A, f);
    EXPECT_TRUE(k.closed(A)) << static_cast<int>(f.op);
    EXPECT_TRUE(k.silent(B));
  }
}

TEST(CopSession, DecodeErrorsClose) {
  for (const std::string& bad :
       {std::string("\x0c", 1), std::string("\x00\xff\xff\xff\xff", 5), std::string("\x00\x00\x00\x04\x01", 5)}) {
    Clients k;
    k.connect(A);
    k.bytes(A, bad);
    EXPECT_TRUE(k.closed(A));
    EXPECT_EQ(k.raw(A), "");
  }
}

TEST(CopSession, SeveralFramesInOneReadAreAllHandled) {
  Clients k;
  k.login(B, "bob");
  k.connect(A);
  k.bytes(A, Codec::encode(login("alice")) + Codec::encode(private_msg("alice", "bob", "1")) +
                 Codec::encode(private_msg("alice", "bob", "2")));
  EXPECT_EQ(k.frames(A), std::vector<Frame>{login_accepted("alice")});
  EXPECT_EQ(k.frames(B), (std::vector<Frame>{private_msg("alice", "bob", "1"), private_msg("alice", "bob", "2")}));
}

TEST(CopSession, HandshakeRefused) {
  Clients k;
  k.login(A, "alice");
  k.login(B, "bob");
  k.send(A, pair_frame(Op::private_request, "alice", "bob"));
  EXPECT_EQ(k.frames(B).size(), 1u);
  k.send(B, pair_frame(Op::private_refuse, "alice", "bob"));
  EXPECT_EQ(k.frames(A), std::vector<Frame>{pair_frame(Op::private_refuse, "alice", "bob")});
  EXPECT_TRUE(k.silent(B));
  // The request is answered: accepting it now does nothing.
  k.send(B, pair_frame(Op::private_accept, "alice", "bob"));
  EXPECT_TRUE(k.silent(A));
  EXPECT_TRUE(k.silent(B));
}

TEST(CopSession, RequestToUnknownUser) {
  Clients k;
  k.login(A, "alice");
  k.send(A, pair_frame(Op::private_request, "alice", "zed"));
  EXPECT_EQ(k.frames(A), std::vector<Frame>{unknown_user("zed")});
}

TEST(CopSession, AnswerMustComeFromTheAskedUser) {
  Clients k;
  k.login(A, "alice");
  k.login(B, "bob");
  k.login(C, "carol");
  k.send(A, pair_frame(Op::private_request, "alice", "bob"));
  k.frames(B);
  k.send(C, pair_frame(Op::private_accept, "alice", "bob"));
  EXPECT_TRUE(k.closed(C));
  EXPECT_TRUE(k.silent(A));
  // carol answering a request nobody made to her is ignored, not an error.
  Clients k2;
  k2.login(A, "alice");
  k2.login(C, "carol");
  k2.send(C, pair_frame(Op::private_accept, "alice", "carol"));
  EXPECT_TRUE(k2.silent(A));
  EXPECT_TRUE(k2.silent(C));
}

TEST(CopSession, BridgeOnlyOnceBothArrive) {
  Clients k;
  k.login(A, "alice");
  k.login(B, "bob");
  const auto id = k.negotiate();
  k.connect(PA);
  k.send(PA, private_connect(id));
  EXPECT_TRUE(k.silent(PA));
  k.connect(PB);
  k.send(PB, private_connect(id));
  EXPECT_EQ(k.frames(PA), std::vector<Frame>{private_established()});
  EXPECT_EQ(k.frames(PB), std::vector<Frame>{private_established()});
  // Byte for byte, both ways, nothing interpreted.
  const std::string junk("\xff\x00\x0c garbage \x80", 13);
  k.bytes(PA, junk);
  EXPECT_EQ(k.raw(PB), junk);
  k.bytes(PB, Codec::encode(public_msg("mallory", "x")));
  EXPECT_EQ(k.raw(PA), Codec::encode(public_msg("mallory", "x")));
  EXPECT_TRUE(k.silent(A));
  EXPECT_TRUE(k.silent(B));
  // The id is used up.
  k.connect(PC);
  k.send(PC, private_connect(id));
  EXPECT_TRUE(k.closed(PC));
  auto& s = static_cast<Session&>(k.e);
  EXPECT_EQ(s.bridges(), 1u);
  EXPECT_EQ(s.live_connect_ids(), 0u);
}

TEST(CopSession, BytesAfterConnectIdInTheSameReadAreRelayed) {
  Clients k;
  k.login(A, "alice");
  k.login(B, "bob");
  const auto id = k.negotiate();
  k.connect(PA);
  k.bytes(PA, Codec::encode(private_connect(id)) + "early");
  k.connect(PB);
  k.bytes(PB, Codec::encode(private_connect(id)) + "late");
  EXPECT_EQ(k.raw(PA), Codec::encode(private_established()) + "late");
  EXPECT_EQ(k.raw(PB), Codec::encode(private_established()) + "early");
}

TEST(CopSession, ForgedIdCloses) {
  Clients k;
  k.connect(PA);
  k.send(PA, private_connect(42));
  EXPECT_TRUE(k.closed(PA));
  EXPECT_EQ(k.raw(PA), "");
}

TEST(CopSession, BridgeClosesTogether) {
  Clients k;
  k.login(A, "alice");
  k.login(B, "bob");
  const auto id = k.negotiate();
  k.connect(PA);
  k.send(PA, private_connect(id));
  k.connect(PB);
  k.send(PB, private_connect(id));
  k.frames(PA);
  k.frames(PB);
  k.disconnect(PA);
  EXPECT_TRUE(k.closed(PB));
  EXPECT_TRUE(k.silent(A));
}

TEST(CopSession, DepartureEndsPrivateConnectionsAndIds) {
  Clients k;
  k.login(A, "alice");
  k.login(B, "bob");
  const auto id = k.negotiate();
  k.connect(PA);
  k.send(PA, private_connect(id));
  k.connect(PB);
  k.send(PB, private_connect(id));
  k.frames(PA);
  k.frames(PB);
  const auto id2 = k.negotiate();
  k.connect(PC);
  k.send(PC, private_connect(id2));  // waiting for its peer
  k.disconnect(A);
  EXPECT_TRUE(k.closed(PA));
  EXPECT_TRUE(k.closed(PB));
  EXPECT_TRUE(k.closed(PC));
  EXPECT_FALSE(k.closed(B));
  auto& s = static_cast<Session&>(k.e);
  EXPECT_EQ(s.connections(), 1u);
  EXPECT_EQ(s.live_connect_ids(), 0u);
  EXPECT_EQ(s.users(), std::vector<std::string>{"bob"});
}

TEST(CopSession, ConnectIdsComeFromTheInjectedSource) {
  Options o;
  std::vector<std::uint64_t> draws = {0, 0x8000000000000005ULL, 5, 5, 9};
  std::size_t next = 0;
  o.random = [&] { return draws[std::min(next++, draws.size() - 1)]; };
  Clients k(o);
  k.login(A, "alice");
  k.login(B, "bob");
  EXPECT_EQ(k.negotiate(), 5);  // 0 is skipped; the top bit is masked off
  EXPECT_EQ(k.negotiate(), 9);  // 5 is live, so the source is asked again
  // A source stuck on one value still yields distinct ids.
  EXPECT_NE(k.negotiate(), 9);
}

TEST(CopSession, InactivityClosesAfterFiveMinutes) {
  Clients k;
  k.login(A, "alice");
  k.connect(B, 100'000);
  k.send(B, login("bob"), 100'000);
  k.frames(B);
  EXPECT_EQ(k.e.next_deadline(), at_ms(300'000));
  k.tick(299'999);
  EXPECT_FALSE(k.closed(A));
  k.tick(300'000);
  EXPECT_TRUE(k.closed(A));
  EXPECT_FALSE(k.closed(B));
  k.send(B, private_msg("bob", "alice", "x"), 301'000);
  EXPECT_EQ(k.frames(B), std::vector<Frame>{unknown_user("alice")});
  k.tick(600'999);
  EXPECT_FALSE(k.closed(B));
  k.tick(601'000);
  EXPECT_TRUE(k.closed(B));
  EXPECT_FALSE(k.e.next_deadline());
}

TEST(CopSession, BridgeTrafficKeepsBothEndsAlive) {
  Options o;
  o.inactivity = Millis{1000};
  Clients k(o);
  k.login(A, "alice");
  k.login(B, "bob");
  const auto id = k.negotiate();
  k.connect(PA);
  k.send(PA, private_connect(id));
  k.connect(PB);
  k.send(PB, private_connect(id));
  k.bytes(PA, "x", 900);
  k.tick(1000);  // alice and bob's main connections time out
  EXPECT_TRUE(k.closed(A));
  EXPECT_TRUE(k.closed(PA));  // and their departure ends the bridge
  EXPECT_TRUE(k.closed(PB));
}

TEST(CopSession, HeldBytesAreBounded) {
  Options o;
  o.max_held_bytes = 10;
  Clients k(o);
  k.login(A, "alice");
  k.login(B, "bob");
  const auto id = k.negotiate();
  k.connect(PA);
  k.send(PA, private_connect(id));
  k.bytes(PA, std::string(11, 'x'));
  EXPECT_TRUE(k.closed(PA));
}

TEST(CopSession, RegistryEngineUsesOptions) {
  const ProtocolInfo* info = find_protocol("cop");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->default_port, 7777);
  Clients k(info->make_engine({{"inactivity-timeout", "2s"}, {"max-nickname-bytes", "3"}}));
  k.connect(A);
  k.send(A, login("alice"));
  EXPECT_EQ(k.frames(A), std::vector<Frame>{login_refused("alice")});
  k.send(A, login("ali"));
  EXPECT_EQ(k.frames(A), std::vector<Frame>{login_accepted("ali")});
  EXPECT_EQ(k.e.next_deadline(), at_ms(2000));
  EXPECT_THROW(info->make_engine({{"max-message-bytes", "0"}}), OptionError);
  EXPECT_THROW(info->make_engine({{"inactivity-timeout", "soon"}}), OptionError);
}

TEST(CopSession, RegistryEngineIdsAreRandom) {
  const ProtocolInfo* info = find_protocol("cop");
  std::set<std::int64_t> ids;
  for (int i = 0; i < 4; ++i) {
    Clients k(info->make_engine({}));
    k.login(A, "alice");
    k.login(B, "bob");
    ids.insert(k.negotiate());
  }
  EXPECT_EQ(ids.size(), 4u);  // four fresh engines, four different ids
}

}  // namespace
}  // namespace relaycheck::proto::cop
