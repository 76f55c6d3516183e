// The reference server under hostile or careless clients, for every protocol, over loopback:
// a reader too slow to keep up, a slowloris dribble, an oversized frame, one connection too many,
// and a graceful shutdown. Each case spawns relaycheck-server with short limits (docs/server.md).
// moose (RSA-sealed packets, end users on a control channel) has its own cases: MooseLimits.
#include <gtest/gtest.h>
#include <signal.h>
#include <boost/asio.hpp>

#include <functional>
#include <memory>
#include <thread>

#include "harness/load/spawned_server.h"
#include "harness/protocols/dialect.h"
#include "loopback_client.h"
#include "proto/cop/codec.h"
#include "proto/cop/frame.h"

namespace relaycheck::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// What each protocol needs from a test client, as raw bytes.
struct ProtocolCase {
  std::string id;
  std::vector<std::string> server_args;
  std::function<std::string(const std::string& name)> login;
  std::function<std::string(const std::string& name)> logged_in;  // a piece of the reply
  std::string create_room, join, joined;                          // the room everyone talks in
  std::function<std::string(const std::string& name, const std::string& text)> say;
  std::function<std::string(const std::string& text)> ack;  // a piece of the sender's confirmation
  std::string partial;                                      // the start of a frame that never ends
  std::string oversized;                                    // one frame over the protocol's own limit
  std::string oversized_reply;                              // the protocol's error for it ("": just closed)
  std::string refusal;                                      // sent to one connection too many ("": just closed)
  std::string goodbye;                                      // sent to everyone on shutdown ("": none)
  std::size_t message_bytes;                                // a long legal message
};

std::string be32(std::uint32_t n) {
  return {static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8), static_cast<char>(n)};
}
std::string cop_frame(const proto::cop::Frame& f) { return proto::cop::Codec::encode(f); }

std::vector<ProtocolCase> cases() {
  return {
      {"saxion",
       {},
       [](const std::string& n) { return "IDENT " + n + "\n"; },
       [](const std::string& n) { return "OK IDENT " + n; },
       "",
       "",
       "",
       [](const std::string&, const std::string& t) { return "BCST " + t + "\n"; },
       [](const std::string& t) { return "OK BCST " + t; },
       "IDENT " + std::string(100, 'a'),
       "IDENT " + std::string(70000, 'a'),
       "DSCN Line too long",
       "DSCN Server full",
       "DSCN Server shutting down",
       60000},
      {"psuirc",
       {"--max-clients", "100"},
       [](const std::string& n) { return n + "\n"; },
       [](const std::string&) { return std::string("welcome user"); },
       "room load\n",
       "join load\n",
       "Membership granted to the room",
       [](const std::string&, const std::string& t) { return "send load " + t + "\n"; },
       [](const std::string&) { return std::string("message delivered to load"); },
       std::string(100, 'a'),
       std::string(210 * 1024, 'a'),
       "input invalid",
       "client invalid",
       "",
       60000},
      {"cop",
       {"--max-message-bytes", "1024"},
       [](const std::string& n) { return cop_frame(proto::cop::login(n)); },
       [](const std::string& n) { return cop_frame(proto::cop::login_accepted(n)); },
       "",
       "",
       "",
       [](const std::string& n, const std::string& t) { return cop_frame(proto::cop::public_msg(n, t)); },
       [](const std::string& t) { return t; },
       std::string(1, '\0') + be32(200) + std::string(100, 'a'),
       std::string(1, '\0') + be32(2000) + std::string(2000, 'a'),
       "",
       "",
       "",
       1000},
      {"cs594",
       {},
       [](const std::string& n) { return R"({"op":1,"username":")" + n + "\"}"; },
       [](const std::string& n) { return R"("username":")" + n + "\""; },
       "",
       R"({"op":4,"room":"load"})",
       R"("room":"load")",
       [](const std::string&, const std::string& t) { return R"({"op":6,"room":"load","message":")" + t + "\"}"; },
       [](const std::string& t) { return t; },
       R"({"op":1,"username":")" + std::string(100, 'a'),
       R"({"op":1,"username":")" + std::string(70000, 'a'),
       R"("op":10)",
       "",
       "",
       2000},
  };
}

std::string server_binary() { return std::string(RELAYCHECK_BIN_DIR) + "/relaycheck-server"; }

std::unique_ptr<harness::load::SpawnedServer> start(const ProtocolCase& c, std::vector<std::string> limits) {
  std::vector<std::string> argv = {server_binary(), "--protocol",  c.id,  "--listen",
                                   "127.0.0.1:0",   "--log-level", "warn"};
  argv.insert(argv.end(), c.server_args.begin(), c.server_args.end());
  argv.insert(argv.end(), limits.begin(), limits.end());
  return std::make_unique<harness::load::SpawnedServer>(argv, 5s);
}

void PrintTo(const ProtocolCase& c, std::ostream* out) { *out << c.id; }

// Logs `name` in and into the room (creating it if the protocol needs that and it is not there
// yet: both answers mention the room); false if any reply is missing.
bool enter(LoopbackClient& client, const ProtocolCase& c, const std::string& name) {
  if (!client.send(c.login(name)) || !client.read_until(c.logged_in(name), 3s)) return false;
  if (!c.create_room.empty() && !(client.send(c.create_room) && client.read_until("room", 3s))) return false;
  if (!c.join.empty() && !(client.send(c.join) && client.read_until(c.joined, 3s))) return false;
  client.forget_received();
  return true;
}

class Limits : public ::testing::TestWithParam<ProtocolCase> {};

// A client that never reads while others flood the room is disconnected once its output queue
// passes --max-queued-bytes; the server's memory stays bounded and the others are still served.
TEST_P(Limits, SlowReaderIsDisconnectedOthersServed) {
  const ProtocolCase& c = GetParam();
  auto server = start(c, {"--max-queued-bytes", "262144"});
  const auto port = server->address().port;
  LoopbackClient talker(port), listener(port), sleeper(port, 4096);
  ASSERT_TRUE(enter(talker, c, "talker"));
  ASSERT_TRUE(enter(listener, c, "listener"));
  ASSERT_TRUE(enter(sleeper, c, "sleeper"));

  // 24 MB towards the sleeper: far more than its socket buffers and the queue limit.
  const std::size_t total = 24u << 20;
  std::size_t sent = 0;
  int messages = 0;
  const auto deadline = Clock::now() + 20s;
  std::string last;
  while (sent < total && Clock::now() < deadline) {
    std::string text = "n" + std::to_string(messages++) + "z";
    text += std::string(c.message_bytes - text.size(), 'x');
    ASSERT_TRUE(talker.send(c.say("talker", text))) << "the talker was cut off after " << messages << " messages";
    sent += text.size();
    last = text.substr(0, text.find('z') + 1);
    // The talker reads its confirmation before it goes on: it is not the slow one.
    ASSERT_TRUE(talker.read_until(c.ack(last), 5s)) << "no confirmation of message " << messages;
    talker.forget_received();
    listener.read(0ms);
    if (listener.received().size() > (1u << 20)) listener.forget_received();  // keep only the tail
  }
  ASSERT_GE(sent, total) << "flood did not finish in time";
  // The listener gets the last message; the sleeper finds its connection closed once it reads.
  EXPECT_TRUE(listener.read_until(last, 10s)) << "the listener stopped getting messages";
  EXPECT_FALSE(listener.closed());
  EXPECT_TRUE(sleeper.wait_closed(10s)) << "the slow reader was not disconnected";
  EXPECT_LT(sleeper.total_bytes(), sent / 2) << "the slow reader got almost everything: nothing was bounded";
  const auto peak = server->peak_rss_kib();
  ASSERT_TRUE(peak.has_value());
  EXPECT_LT(*peak, 64u * 1024) << "peak RSS " << *peak << " KiB";
  EXPECT_FALSE(server->ended().has_value());
}

// One byte every 100 ms, a frame that never ends: closed by the handshake timeout before login
// and by the idle timeout after it, within a bound, whatever the dribble.
TEST_P(Limits, SlowlorisIsClosedInBoundedTime) {
  const ProtocolCase& c = GetParam();
  auto server = start(c, {"--handshake-timeout", "1s", "--idle-timeout", "1500ms"});
  for (bool logged_in : {false, true}) {
    LoopbackClient dribbler(server->address().port);
    if (logged_in) {
      ASSERT_TRUE(enter(dribbler, c, "dribbler"));
    }
    const auto start_at = Clock::now();
    for (std::size_t i = 0; i < c.partial.size() && !dribbler.closed(); ++i) {
      if (!dribbler.send(c.partial.substr(i, 1))) break;
      dribbler.read(100ms);
    }
    dribbler.wait_closed(1s);
    const auto took = Clock::now() - start_at;
    EXPECT_TRUE(dribbler.closed()) << (logged_in ? "logged in" : "before login") << ": still open after "
                                   << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";
    const auto bound = logged_in ? 1500ms : 1000ms;
    EXPECT_GE(took, bound - 200ms) << "closed before the timeout";
    EXPECT_LE(took, bound + 1500ms) << "closed too late";
  }
}

// A frame over the protocol's own limit gets the protocol's error and a close; a frame under it
// but over --max-frame-bytes is closed by the shell.
TEST_P(Limits, OversizedFrameIsRefused) {
  const ProtocolCase& c = GetParam();
  auto server = start(c, {});
  LoopbackClient big(server->address().port);
  big.send(c.oversized, 5s);
  EXPECT_TRUE(big.wait_closed(5s));
  if (!c.oversized_reply.empty()) {
    EXPECT_NE(big.received().find(c.oversized_reply), std::string::npos) << "got: " << big.received().substr(0, 200);
  }

  auto strict = start(c, {"--max-frame-bytes", "600"});
  LoopbackClient over(strict->address().port);
  over.send(c.partial.substr(0, 20) + std::string(800, 'a'), 5s);
  EXPECT_TRUE(over.wait_closed(3s)) << "800 bytes without a frame were accepted under --max-frame-bytes 600";
  LoopbackClient fine(strict->address().port);
  EXPECT_TRUE(enter(fine, c, "fine")) << "a normal client was refused";
}

// With --max-connections 3 the fourth connection gets the protocol's refusal and is closed; once
// one leaves, a new client is served again.
TEST_P(Limits, ConnectionLimit) {
  const ProtocolCase& c = GetParam();
  auto server = start(c, {"--max-connections", "3"});
  const auto port = server->address().port;
  auto first = std::make_unique<LoopbackClient>(port);
  LoopbackClient second(port), third(port);
  ASSERT_TRUE(enter(*first, c, "first"));
  ASSERT_TRUE(enter(second, c, "second"));
  ASSERT_TRUE(enter(third, c, "third"));
  LoopbackClient fourth(port);
  EXPECT_TRUE(fourth.wait_closed(3s)) << "the connection over the limit stayed open";
  if (c.refusal.empty())
    EXPECT_EQ(fourth.received(), "");
  else
    EXPECT_EQ(fourth.received(), c.refusal + "\n");
  first.reset();
  std::this_thread::sleep_for(200ms);
  LoopbackClient fifth(port);
  EXPECT_TRUE(enter(fifth, c, "fifth")) << "no room after a client left";
}

// SIGTERM: everyone hears the protocol's goodbye (where it has one) and is closed; a message the
// server acknowledged before it stopped reading has reached the others; the server exits 0.
TEST_P(Limits, GracefulShutdownLosesNothingAcknowledged) {
  const ProtocolCase& c = GetParam();
  auto server = start(c, {"--shutdown-grace", "3s"});
  const auto port = server->address().port;
  LoopbackClient talker(port), listener(port);
  ASSERT_TRUE(enter(talker, c, "talker"));
  ASSERT_TRUE(enter(listener, c, "listener"));
  for (int i = 0; i < 50; ++i) talker.send(c.say("talker", "last" + std::to_string(i) + "word"));
  ASSERT_EQ(::kill(server->pid(), SIGTERM), 0);
  EXPECT_TRUE(talker.wait_closed(5s));
  EXPECT_TRUE(listener.wait_closed(5s));
  // Which messages the talker saw acknowledged: each by its own text, or (psuirc, whose
  // confirmation does not name the message) the first k, k being the confirmations counted.
  std::size_t generic_acks = 0;
  const bool generic = c.ack("a") == c.ack("b");
  for (auto at = talker.received().find(c.ack("a")); generic && at != std::string::npos;
       at = talker.received().find(c.ack("a"), at + 1))
    ++generic_acks;
  for (std::size_t i = 0; i < 50; ++i) {
    const std::string text = "last" + std::to_string(i) + "word";
    const bool acked = generic ? i < generic_acks : talker.received().find(c.ack(text)) != std::string::npos;
    if (acked) {
      EXPECT_NE(listener.received().find(text), std::string::npos) << text << " acknowledged but not delivered";
    }
  }
  if (!c.goodbye.empty()) {
    EXPECT_NE(talker.received().find(c.goodbye), std::string::npos);
    EXPECT_NE(listener.received().find(c.goodbye), std::string::npos);
  }
  std::optional<std::string> ended;
  for (int i = 0; i < 100 && !ended; ++i) {
    std::this_thread::sleep_for(50ms);
    ended = server->ended();
  }
  ASSERT_TRUE(ended.has_value()) << "the server did not exit within 5 s of SIGTERM";
  EXPECT_EQ(ended->rfind("exited with code 0", 0), 0u) << *ended;
}

// moose: raw packets are RSA-sealed, so its cases seal and open through the harness's moose codec
// (the server's key from its "attribute public-key-pem" line); the control channel plays the end
// users that write to a client.
class MooseLimits : public ::testing::Test {
 protected:
  std::unique_ptr<harness::load::SpawnedServer> start_moose(std::vector<std::string> limits) {
    std::vector<std::string> argv = {server_binary(), "--protocol",  "moose", "--listen",
                                     "127.0.0.1:0",   "--log-level", "warn"};
    argv.insert(argv.end(), limits.begin(), limits.end());
    auto server = std::make_unique<harness::load::SpawnedServer>(argv, 30s);  // RSA key generation first
    pem_ = server->attribute("public-key-pem").value_or("");
    control_port_ = server->channel("control").value_or(proto::HostPort{}).port;
    return server;
  }
  std::unique_ptr<harness::ConnectionCodec> codec() const {
    harness::ConnectionContext context;
    context.attribute = [pem = pem_](const std::string& name) {
      return name == "public-key-pem" ? std::optional<std::string>(pem) : std::nullopt;
    };
    return harness::find_dialect("moose")->codec(context);
  }
  // Reads `client` until a packet of `type` opens (its JSON), or `within` passes.
  static std::optional<harness::json> await(LoopbackClient& client, harness::ConnectionCodec& codec,
                                            const std::string& type, std::chrono::milliseconds within) {
    const auto deadline = Clock::now() + within;
    while (Clock::now() < deadline && !client.closed()) {
      codec.feed(client.read(50ms));
      while (true) {
        auto item = codec.next();
        auto* frame = std::get_if<harness::json>(&item);
        if (!frame) break;
        if (frame->value("type", harness::json()) == type) return *frame;
      }
    }
    return std::nullopt;
  }
  // `uuid` joins the pool: key, answered by status.
  bool join(LoopbackClient& client, harness::ConnectionCodec& codec, const std::string& uuid) {
    return client.send(codec.encode({{"type", "key"}, {"UUID", uuid}})) &&
           await(client, codec, "status", 5s).has_value();
  }
  // End user `user` rings; `uuid` answers: associated. The control reply names the ring's ID.
  bool associate(LoopbackClient& ctl, LoopbackClient& client, harness::ConnectionCodec& codec, const std::string& user,
                 const std::string& uuid) {
    ctl.forget_received();
    if (!ctl.send("ring sms " + user + "\n") || !ctl.read_until("\n", 3s)) return false;
    const std::string reply = ctl.received();
    if (reply.rfind("ok ring ", 0) != 0) return false;
    const long long id = std::stoll(reply.substr(8));
    ctl.forget_received();
    return client.send(codec.encode({{"type", "ringACK"}, {"UUID", uuid}, {"ID", id}})) &&
           ctl.read_until("answered " + std::to_string(id) + " " + uuid, 3s);
  }

  std::string pem_;
  std::uint16_t control_port_ = 0;
};

// A client that never reads while its end user writes to it is disconnected once its output
// queue passes --max-queued-bytes (the end user is told: "ended USER gone"); memory stays
// bounded and another chat goes on.
// The control channel's default is the next port; when that one is taken (after a busy run, by
// clients' TIME_WAITs: Linux gives connect() the even ports), it moves to a free one and says so.
TEST_F(MooseLimits, TheControlChannelMovesWhenTheNextPortIsTaken) {
  boost::asio::io_context io;
  using boost::asio::ip::tcp;
  const auto loopback = boost::asio::ip::make_address("127.0.0.1");
  std::uint16_t port = 0;
  std::unique_ptr<tcp::acceptor> next;  // holds port + 1
  for (int i = 0; i < 50 && !next; ++i) {
    port = tcp::acceptor(io, tcp::endpoint(loopback, 0)).local_endpoint().port();
    try {
      next = std::make_unique<tcp::acceptor>(io, tcp::endpoint(loopback, static_cast<std::uint16_t>(port + 1)));
    } catch (const boost::system::system_error&) {
      // port + 1 is taken by something else already: try another
    }
  }
  ASSERT_TRUE(next);
  harness::load::SpawnedServer server(
      {server_binary(), "--protocol", "moose", "--listen", "127.0.0.1:" + std::to_string(port), "--log-level", "warn"},
      30s);
  EXPECT_EQ(server.address().port, port);
  const auto control = server.channel("control");
  ASSERT_TRUE(control.has_value());
  EXPECT_NE(control->port, port + 1);
  EXPECT_NE(control->port, 0);
  LoopbackClient ctl(control->port);
  ASSERT_TRUE(ctl.send("ring nowhere user\n"));
  EXPECT_TRUE(ctl.read_until("error unknown-service", 5s)) << ctl.received();
}

TEST_F(MooseLimits, SlowReaderIsDisconnectedOthersServed) {
  auto server = start_moose({"--max-queued-bytes", "262144"});
  ASSERT_FALSE(pem_.empty());
  ASSERT_NE(control_port_, 0);
  LoopbackClient ctl(control_port_), sleeper(server->address().port, 4096), listener(server->address().port);
  auto sleeper_codec = codec(), listener_codec = codec();
  ASSERT_TRUE(join(sleeper, *sleeper_codec, "sleeper"));
  ASSERT_TRUE(join(listener, *listener_codec, "listener"));
  ASSERT_TRUE(associate(ctl, sleeper, *sleeper_codec, "eu1", "sleeper"));
  ASSERT_TRUE(associate(ctl, listener, *listener_codec, "eu2", "listener"));

  // 16 KB texts (77 sealed blocks, about 27 KB on the wire each) towards the sleeper, each
  // confirmed by the control channel before the next, until the server gives up on it.
  const std::string text = "w" + std::string(16 * 1024, 'x');
  std::size_t sent = 0;
  bool gone = false;
  const auto deadline = Clock::now() + 30s;
  ctl.forget_received();
  while (!gone && sent < (24u << 20) && Clock::now() < deadline) {
    ASSERT_TRUE(ctl.send("write eu1 " + text + "\n"));
    ASSERT_TRUE(ctl.read_until("ok write", 5s) || ctl.received().find("ended eu1 gone") != std::string::npos)
        << "no reply to write: " << ctl.received().substr(0, 200);
    gone = ctl.received().find("ended eu1 gone") != std::string::npos;
    sent += text.size();
    if (!gone) ctl.forget_received();
    listener.read(0ms);  // the listener keeps up (nothing comes to it)
  }
  EXPECT_TRUE(gone || ctl.read_until("ended eu1 gone", 5s))
      << "the slow reader was not disconnected after " << sent << " bytes";
  EXPECT_TRUE(sleeper.wait_closed(10s)) << "the slow reader's connection stayed open";
  // What the server would have written to it: each text sealed for it (2048-bit keys alike).
  const std::size_t wire_each =
      codec()->encode({{"type", "msg"}, {"UUID", "sleeper"}, {"msg", {text}}, {"I/O", "in"}}).size();
  EXPECT_LT(sleeper.total_bytes(), sent / text.size() * wire_each)
      << "the slow reader got everything: nothing was bounded";
  // The other chat goes on.
  ctl.forget_received();
  ASSERT_TRUE(ctl.send("write eu2 still-here\n"));
  EXPECT_TRUE(ctl.read_until("ok write", 3s));
  const auto msg = await(listener, *listener_codec, "msg", 5s);
  ASSERT_TRUE(msg.has_value()) << "the listener stopped getting messages";
  EXPECT_EQ((*msg)["msg"], harness::json::array({"still-here"}));
  const auto peak = server->peak_rss_kib();
  ASSERT_TRUE(peak.has_value());
  EXPECT_LT(*peak, 64u * 1024) << "peak RSS " << *peak << " KiB";
  EXPECT_FALSE(server->ended().has_value());
}

// A raw packet line over 1 MiB ends the connection (moose's own limit, docs/protocols/moose.md);
// under --max-frame-bytes a shorter one does. A normal client is served after both.
TEST_F(MooseLimits, OversizedRawPacketIsRefused) {
  auto server = start_moose({});
  LoopbackClient big(server->address().port);
  big.send("{\"messages\":[\"" + std::string((1u << 20) + 4096, 'A'), 10s);
  EXPECT_TRUE(big.wait_closed(5s)) << "a raw packet over 1 MiB was accepted";
  EXPECT_EQ(big.received(), "") << "an oversized raw packet is not answered";
  LoopbackClient fine(server->address().port);
  auto fine_codec = codec();
  EXPECT_TRUE(join(fine, *fine_codec, "fine")) << "a normal client was refused after the oversized one";

  auto strict = start_moose({"--max-frame-bytes", "4096"});  // a key packet (3 blocks) is about 1.2 KB
  LoopbackClient over(strict->address().port);
  over.send("{\"messages\":[\"" + std::string(8000, 'A'), 5s);
  EXPECT_TRUE(over.wait_closed(3s)) << "8000 bytes without a line end were accepted under --max-frame-bytes 4096";
  LoopbackClient normal(strict->address().port);
  auto normal_codec = codec();
  EXPECT_TRUE(join(normal, *normal_codec, "normal")) << "a normal client was refused under --max-frame-bytes 4096";
}

// The handshake timeout closes a connection that never sends a usable key: silent, or sending
// packets that are dropped (bad JSON). A client whose key joined the pool stays.
TEST_F(MooseLimits, HandshakeTimeoutClosesConnectionsWithoutAKey) {
  auto server = start_moose({"--handshake-timeout", "1s"});
  const auto port = server->address().port;
  // Sealed before connecting: the first seal makes the harness's client keys (seconds of RSA
  // key generation on a loaded machine), which must not count against the 1 s.
  auto keyed_codec = codec();
  const std::string key_packet = keyed_codec->encode({{"type", "key"}, {"UUID", "keyed"}});
  LoopbackClient keyed(port);
  ASSERT_TRUE(keyed.send(key_packet));
  ASSERT_TRUE(await(keyed, *keyed_codec, "status", 5s).has_value()) << "the keyed client got no status";
  for (bool chatty : {false, true}) {
    LoopbackClient idle(port);
    const auto start_at = Clock::now();
    while (!idle.closed() && Clock::now() - start_at < 4s) {
      if (chatty) idle.send("{\"not\": \"a raw packet\"}\n");
      idle.read(100ms);
    }
    const auto took = Clock::now() - start_at;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
    EXPECT_TRUE(idle.closed()) << (chatty ? "sending bad packets" : "silent") << ": still open after " << ms << " ms";
    EXPECT_GE(took, 800ms) << "closed before the timeout";
    EXPECT_LE(took, 2500ms) << "closed too late";
  }
  keyed.read(0ms);
  EXPECT_FALSE(keyed.closed()) << "the client that sent its key was closed by the handshake timeout";
}

INSTANTIATE_TEST_SUITE_P(AllProtocols, Limits, ::testing::ValuesIn(cases()),
                         [](const auto& test) { return test.param.id; });

}  // namespace
}  // namespace relaycheck::testing
