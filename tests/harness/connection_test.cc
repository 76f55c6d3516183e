// transport::Connection, the one TCP connection of run, load and fuzz: blocking calls with
// deadlines, half-close, the peer's close, refusal, no inheritance by launched processes, and the
// coroutine forms. Loopback only; every wait is bounded.
#include "harness/transport/connection.h"

#include <spawn.h>
#include <sys/wait.h>
#include <array>
#include <csignal>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

extern char** environ;

namespace relaycheck::harness::transport {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using Kind = Connection::Read::Kind;

struct Listener {
  asio::io_context io;
  tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  std::uint16_t port() const { return acceptor.local_endpoint().port(); }
};

// A connected pair: `client` connected to the listener, `server` the accepted end.
struct Pair {
  Listener listener;
  Connection client, server;
  Pair() {
    EXPECT_EQ(client.connect("127.0.0.1", listener.port(), Millis{2000}), "");
    EXPECT_EQ(server.accept(listener.acceptor, Millis{2000}), "");
  }
};

// Reads until `want` bytes arrived or `within` passed.
std::string read_for(Connection& c, std::size_t want, Millis within) {
  std::string got;
  const auto deadline = Clock::now() + within;
  while (got.size() < want && Clock::now() < deadline)
    if (c.read_some(got, Millis{50}).kind == Kind::closed) break;
  return got;
}

TEST(Connection, WritesAndReadsBothWays) {
  Pair p;
  EXPECT_EQ(p.client.write("hello\n"), "");
  EXPECT_EQ(read_for(p.server, 6, Millis{2000}), "hello\n");
  EXPECT_EQ(p.server.write("world\n"), "");
  EXPECT_EQ(read_for(p.client, 6, Millis{2000}), "world\n");
}

TEST(Connection, ReadWithNothingToReadTimesOutAtItsDeadline) {
  Pair p;
  std::string got;
  const auto start = Clock::now();
  const auto r = p.client.read_some(got, Millis{100});
  const auto took = Clock::now() - start;
  EXPECT_EQ(r.kind, Kind::timeout);
  EXPECT_TRUE(got.empty());
  EXPECT_GE(took, Millis{95});
  EXPECT_LT(took, Millis{2000});
}

TEST(Connection, PeerCloseReadsAsClosed) {
  Pair p;
  p.server.close();
  std::string got;
  const auto r = p.client.read_some(got, Millis{2000});
  EXPECT_EQ(r.kind, Kind::closed);
  EXPECT_EQ(r.detail, "closed");
  // Ours closed too: a read says so at once, a write says why it cannot.
  p.client.close();
  EXPECT_EQ(p.client.read_some(got, Millis{2000}).kind, Kind::closed);
  EXPECT_NE(p.client.write("x"), "");
}

TEST(Connection, HalfCloseLetsThePeerSeeEndOfFileAndStillAnswer) {
  Pair p;
  EXPECT_EQ(p.client.write("last"), "");
  p.client.shutdown_write();
  EXPECT_EQ(read_for(p.server, 4, Millis{2000}), "last");
  std::string rest;
  EXPECT_EQ(p.server.read_some(rest, Millis{2000}).kind, Kind::closed);  // our end-of-file
  EXPECT_EQ(p.server.write("bye"), "");
  p.server.close();
  EXPECT_EQ(read_for(p.client, 3, Millis{2000}), "bye");
  EXPECT_EQ(p.client.read_some(rest, Millis{2000}).kind, Kind::closed);
}

TEST(Connection, RefusedConnectSaysWhy) {
  std::uint16_t port;
  {
    Listener gone;
    port = gone.port();
  }
  Connection c;
  const std::string why = c.connect("127.0.0.1", port, Millis{2000});
  EXPECT_NE(why.find("refused"), std::string::npos) << why;
  EXPECT_FALSE(c.is_open());
}

TEST(Connection, AcceptWithNoClientTimesOut) {
  Listener l;
  Connection c;
  EXPECT_EQ(c.accept(l.acceptor, Millis{50}), "timed out after 50 ms");
}

// A process launched while a connection is open must not hold it open after our close: the
// server under test would never see that client leave.
TEST(Connection, ALaunchedProcessDoesNotKeepItOpen) {
  Pair p;
  pid_t child = 0;
  char sleep_arg[] = "sleep", seconds[] = "5";
  char* argv[] = {sleep_arg, seconds, nullptr};
  ASSERT_EQ(::posix_spawnp(&child, "sleep", nullptr, nullptr, argv, environ), 0);
  p.client.close();
  std::string got;
  const auto r = p.server.read_some(got, Millis{2000});
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  EXPECT_EQ(r.kind, Kind::closed);
}

TEST(Connection, CoroutineFormsConnectWriteAndRead) {
  Listener l;
  asio::io_context io;
  Connection client(io);
  boost::system::error_code connected = asio::error::would_block, wrote = asio::error::would_block,
                            read = asio::error::would_block;
  std::array<char, 16> buffer{};
  std::size_t got = 0;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        connected = co_await client.async_connect(l.acceptor.local_endpoint());
        wrote = co_await client.async_write("ping");
        read = co_await client.async_read_some(buffer, got);
      },
      asio::detached);
  io.run_for(Millis{500});  // connects and writes; then waits for the reply
  Connection server;
  ASSERT_EQ(server.accept(l.acceptor, Millis{2000}), "");
  EXPECT_EQ(read_for(server, 4, Millis{2000}), "ping");
  EXPECT_EQ(server.write("pong"), "");
  io.restart();
  io.run_for(Millis{2000});
  EXPECT_FALSE(connected);
  EXPECT_FALSE(wrote);
  EXPECT_FALSE(read);
  EXPECT_EQ(std::string(buffer.data(), got), "pong");
}

}  // namespace
}  // namespace relaycheck::harness::transport
