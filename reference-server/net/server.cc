#include "net/server.h"

#include <algorithm>
#include <array>
#include <deque>
#include <unordered_map>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace relaycheck::net {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

// Frames written by one gathered write at most (the kernel's iovec limit is 1024).
constexpr std::size_t kMaxWriteBatch = 256;

struct Connection {
  Connection(tcp::socket s, proto::ClientId i) : socket(std::move(s)), wake(socket.get_executor()), id(i) {
    wake.expires_at(asio::steady_timer::time_point::max());
  }
  tcp::socket socket;
  asio::steady_timer wake;  // cancelled to wake the writer
  proto::ClientId id;
  std::deque<std::string> queue;
  std::size_t queued_bytes = 0;
  bool closing = false;  // the engine asked to close: flush, then shut down
  bool gone = false;     // the engine has forgotten this connection
  bool peer_closed = false;
  std::string peer;
  // For the handshake and idle timeouts and the frame size limit (Engine::progress).
  std::chrono::steady_clock::time_point connected_at = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_frame_at = connected_at;
  std::uint64_t frames = 0;
  std::size_t bytes_since_frame = 0;
  bool logged_in = false;

  void drop_queue() {
    queue.clear();
    queued_bytes = 0;
  }
};

}  // namespace

struct Server::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io_, std::unique_ptr<proto::Engine> e, ServerConfig c, const Logger& l)
      : io(io_),
        engine(std::move(e)),
        config(std::move(c)),
        log(l),
        acceptor(io_),
        control_acceptor(io_),
        tick(io_),
        sweep(io_) {
    start_time = std::chrono::steady_clock::now();
  }

  asio::io_context& io;
  std::unique_ptr<proto::Engine> engine;
  std::vector<proto::Action> actions;  // dispatch()'s buffer, reused: no allocation per event
  ServerConfig config;
  const Logger& log;
  tcp::acceptor acceptor;
  tcp::acceptor control_acceptor;  // ServerConfig::control: connections for Engine::on_control_connect
  asio::steady_timer tick;
  asio::steady_timer sweep;  // the handshake and idle timeouts' check
  std::chrono::steady_clock::time_point start_time;
  std::unordered_map<proto::ClientId, std::shared_ptr<Connection>> connections;
  proto::ClientId next_id = 1;
  bool stopped = false;
  bool draining = false;                    // shutdown(): no new input, queues flushing
  std::array<char, 64 * 1024> read_buffer;  // shared by every reader (one thread, read then handled)

  proto::TimePoint now() const {
    return proto::TimePoint{std::chrono::duration_cast<proto::Millis>(std::chrono::steady_clock::now() - start_time)};
  }

  void reschedule_tick() {
    if (stopped) return;
    auto deadline = engine->next_deadline();
    tick.expires_at(deadline ? start_time + deadline->time_since_epoch() : asio::steady_timer::time_point::max());
  }

  // Carries out what the engine asked for since the last call.
  void dispatch() {
    std::vector<proto::ClientId> too_slow;
    engine->drain_actions(actions);
    for (auto& action : actions) {
      auto it = connections.find(action.client);
      if (it == connections.end()) continue;
      Connection& c = *it->second;
      if (c.closing) continue;
      if (action.kind == proto::Action::Kind::send) {
        c.queued_bytes += action.bytes.capacity();  // what the queue really holds
        c.queue.push_back(std::move(action.bytes));
        if (c.queued_bytes > config.max_queued_bytes) too_slow.push_back(c.id);
      } else {
        log.debug("closing " + c.peer + ": " + action.bytes);
        c.closing = true;
        c.gone = true;
      }
      c.wake.cancel();
    }
    for (proto::ClientId id : too_slow)
      drop(id, "output queue over " + std::to_string(config.max_queued_bytes) + " bytes (a reader too slow)");
    reschedule_tick();
  }

  // Closes a connection the shell gave up on, at once and without flushing (a write to a peer
  // that does not read would never finish), and tells the engine.
  void drop(proto::ClientId id, const std::string& why) {
    auto it = connections.find(id);
    if (it == connections.end() || it->second->gone) return;
    log.warn("dropping " + it->second->peer + ": " + why);
    it->second->gone = true;
    it->second->closing = true;
    it->second->drop_queue();
    error_code ec;
    it->second->socket.close(ec);  // aborts a pending write; reader and writer then end
    it->second->wake.cancel();
    engine->on_disconnect(id, now());
    dispatch();
  }

  // After the engine has seen `bytes` more from c: did a frame complete, did the login?
  void note_progress(Connection& c, std::size_t bytes) {
    if (c.gone) return;
    const auto t = std::chrono::steady_clock::now();
    const auto p = engine->progress(c.id);
    if (!p) {  // the engine does not track frames: any bytes are progress
      c.logged_in = true;
      c.last_frame_at = t;
      return;
    }
    c.logged_in = c.logged_in || p->logged_in;
    if (p->frames != c.frames) {
      c.frames = p->frames;
      c.last_frame_at = t;
      c.bytes_since_frame = 0;
    } else {
      c.bytes_since_frame += bytes;
      if (c.bytes_since_frame > config.max_frame_bytes)
        drop(c.id, "over " + std::to_string(config.max_frame_bytes) + " bytes without a complete frame");
    }
  }

  // Closes connections past the handshake or idle timeout; runs a few times per timeout.
  asio::awaitable<void> timeout_loop() {
    auto self = shared_from_this();
    using std::chrono::milliseconds;
    milliseconds shortest = milliseconds::max();
    for (auto t : {config.handshake_timeout, config.idle_timeout})
      if (t.count() > 0) shortest = std::min(shortest, t);
    if (shortest == milliseconds::max()) co_return;
    const milliseconds period = std::clamp(shortest / 4, milliseconds(20), milliseconds(1000));
    while (!stopped) {
      sweep.expires_after(period);
      error_code ec;
      co_await sweep.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (stopped) co_return;
      const auto t = std::chrono::steady_clock::now();
      std::vector<std::pair<proto::ClientId, std::string>> expired;
      for (const auto& [id, c] : connections) {
        if (c->gone) continue;
        if (config.handshake_timeout.count() > 0 && !c->logged_in && t - c->connected_at > config.handshake_timeout)
          expired.emplace_back(id, "no login within " + std::to_string(config.handshake_timeout.count()) + " ms");
        else if (config.idle_timeout.count() > 0 && t - c->last_frame_at > config.idle_timeout)
          expired.emplace_back(id, "no complete frame for " + std::to_string(config.idle_timeout.count()) + " ms");
      }
      for (const auto& [id, why] : expired) drop(id, why);
    }
  }

  // A connection over max_connections: the protocol's refusal, then close once the peer has
  // read it (or a short linger has passed).
  asio::awaitable<void> refuse(tcp::socket socket) {
    auto self = shared_from_this();
    error_code ec;
    if (!config.refusal_bytes.empty())
      co_await asio::async_write(socket, asio::buffer(config.refusal_bytes),
                                 asio::redirect_error(asio::use_awaitable, ec));
    socket.shutdown(tcp::socket::shutdown_send, ec);
    asio::steady_timer linger(io);
    linger.expires_after(std::min(config.close_linger, std::chrono::milliseconds(500)));
    linger.async_wait([&socket](const error_code& e) {
      error_code ignored;
      if (!e) socket.cancel(ignored);
    });
    std::array<char, 512> sink;
    while (!ec) co_await socket.async_read_some(asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec));
    linger.cancel();
    socket.close(ec);
  }

  asio::awaitable<void> accept_loop(tcp::acceptor& from, bool control) {
    auto self = shared_from_this();
    while (!stopped) {
      error_code ec;
      tcp::socket socket = co_await from.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (stopped || draining || ec == asio::error::operation_aborted) co_return;
        log.warn("accept: " + ec.message());
        // Out of descriptors or memory: give closing connections a moment instead of spinning.
        asio::steady_timer pause(io, std::chrono::milliseconds(100));
        co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      if (connections.size() >= config.max_connections) {
        log.warn("refusing a connection: " + std::to_string(config.max_connections) + " open (--max-connections)");
        asio::co_spawn(io, refuse(std::move(socket)), asio::detached);
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);
      auto conn = std::make_shared<Connection>(std::move(socket), next_id++);
      error_code pe;
      auto remote = conn->socket.remote_endpoint(pe);
      conn->peer = pe ? "client " + std::to_string(conn->id)
                      : remote.address().to_string() + ":" + std::to_string(remote.port());
      connections[conn->id] = conn;
      log.debug("connected " + conn->peer);
      asio::co_spawn(io, reader(conn), asio::detached);
      asio::co_spawn(io, writer(conn), asio::detached);
      if (control)
        engine->on_control_connect(conn->id, now());
      else
        engine->on_connect(conn->id, now());
      dispatch();
    }
  }

  asio::awaitable<void> reader(std::shared_ptr<Connection> c) {
    auto self = shared_from_this();
    error_code ec;
    c->socket.non_blocking(true, ec);
    while (true) {
      // Wait for readability, then read into the one buffer all connections share (the engine
      // copies what it keeps): an idle connection holds no read buffer of its own.
      co_await c->socket.async_wait(tcp::socket::wait_read, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      const std::size_t n = c->socket.read_some(asio::buffer(read_buffer), ec);
      if (ec == asio::error::would_block || ec == asio::error::try_again) continue;
      if (ec) break;
      if (c->gone) continue;  // draining until the peer's FIN after we closed
      engine->on_bytes(c->id, std::string_view(read_buffer.data(), n), now());
      dispatch();
      note_progress(*c, n);
    }
    if (!c->gone) {
      c->gone = true;
      log.debug("disconnected " + c->peer);
      engine->on_disconnect(c->id, now());
      dispatch();
    }
    c->peer_closed = true;
    c->closing = true;
    c->drop_queue();
    c->wake.cancel();
  }

  asio::awaitable<void> writer(std::shared_ptr<Connection> c) {
    auto self = shared_from_this();
    while (c->socket.is_open()) {
      if (c->queue.empty()) {
        if (c->closing) break;
        error_code ec;
        co_await c->wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      // Everything queued goes out in one gathered write (a fan-out queues many small frames).
      // The write owns its bytes: the queue may be cleared while it is in flight.
      std::vector<std::string> batch;
      std::vector<asio::const_buffer> buffers;
      while (!c->queue.empty() && batch.size() < kMaxWriteBatch) {
        batch.push_back(std::move(c->queue.front()));
        c->queue.pop_front();
        c->queued_bytes -= batch.back().capacity();
      }
      for (const auto& item : batch) buffers.push_back(asio::buffer(item));
      error_code ec;
      co_await asio::async_write(c->socket, buffers, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        c->drop_queue();
        c->closing = true;
        break;
      }
    }
    // Flushed (or failed): half-close, give the peer a moment to read and close its side.
    error_code ec;
    c->socket.shutdown(tcp::socket::shutdown_send, ec);
    if (!stopped && !c->peer_closed) {
      c->wake.expires_after(config.close_linger);  // the reader cancels it on the peer's FIN
      co_await c->wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    c->socket.close(ec);
    connections.erase(c->id);
  }

  void stop_all() {
    if (stopped) return;
    stopped = true;
    error_code ec;
    acceptor.close(ec);
    control_acceptor.close(ec);
    tick.cancel();
    sweep.cancel();
    for (auto& [id, c] : connections) {
      c->socket.close(ec);
      c->wake.cancel();
    }
  }

  asio::awaitable<void> tick_loop() {
    auto self = shared_from_this();
    while (!stopped) {
      error_code ec;
      co_await tick.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (stopped) co_return;
      auto deadline = engine->next_deadline();
      if (deadline && *deadline <= now()) {
        engine->on_tick(now());
        dispatch();
      }
    }
  }
};

Server::Server(asio::io_context& io, std::unique_ptr<proto::Engine> engine, ServerConfig config, const Logger& log)
    : impl_(std::make_shared<Impl>(io, std::move(engine), std::move(config), log)) {}

Server::~Server() { stop(); }

void Server::start() {
  auto& i = *impl_;
  tcp::endpoint ep(asio::ip::make_address(i.config.host), i.config.port);
  i.acceptor.open(ep.protocol());
  i.acceptor.set_option(tcp::acceptor::reuse_address(true));
  i.acceptor.bind(ep);
  i.acceptor.listen();
  i.tick.expires_at(asio::steady_timer::time_point::max());
  asio::co_spawn(i.io, i.accept_loop(i.acceptor, false), asio::detached);
  if (i.config.control) {
    tcp::endpoint cep(asio::ip::make_address(i.config.control_host), i.config.control_port);
    i.control_acceptor.open(cep.protocol());
    i.control_acceptor.set_option(tcp::acceptor::reuse_address(true));
    error_code ec;
    i.control_acceptor.bind(cep, ec);
    // A busy machine's even ports are mostly clients' (Linux gives connect() the even ones).
    if (ec == asio::error::address_in_use && i.config.control_port_may_move)
      i.control_acceptor.bind({cep.address(), 0}, ec);
    if (ec) throw boost::system::system_error(ec, "bind");
    i.control_acceptor.listen();
    asio::co_spawn(i.io, i.accept_loop(i.control_acceptor, true), asio::detached);
  }
  asio::co_spawn(i.io, i.tick_loop(), asio::detached);
  asio::co_spawn(i.io, i.timeout_loop(), asio::detached);
}

void Server::shutdown(std::chrono::milliseconds grace) {
  auto impl = impl_;
  if (impl->stopped || impl->draining) return;
  impl->draining = true;
  error_code ec;
  impl->acceptor.close(ec);
  impl->control_acceptor.close(ec);
  // Every connection is closing: readers ignore new input (nothing new gets acknowledged),
  // writers flush what is queued, the goodbye last, then close.
  for (auto& [id, c] : impl->connections) {
    if (c->closing) continue;
    if (!impl->config.shutdown_bytes.empty()) {
      c->queue.push_back(impl->config.shutdown_bytes);
      c->queued_bytes += c->queue.back().capacity();
    }
    c->closing = true;
    c->gone = true;
    c->wake.cancel();
  }
  impl->log.info("shutting down: flushing " + std::to_string(impl->connections.size()) + " connections");
  // Whatever is still open after `grace` (a peer that does not read) is closed hard.
  asio::co_spawn(
      impl->io,
      [impl, grace]() -> asio::awaitable<void> {
        const auto deadline = std::chrono::steady_clock::now() + grace;
        asio::steady_timer poll(impl->io);
        while (!impl->connections.empty() && std::chrono::steady_clock::now() < deadline) {
          poll.expires_after(std::chrono::milliseconds(20));
          error_code e;
          co_await poll.async_wait(asio::redirect_error(asio::use_awaitable, e));
        }
        if (!impl->connections.empty())
          impl->log.warn("shutdown: closing " + std::to_string(impl->connections.size()) +
                         " connections still open after the grace time");
        impl->stop_all();
      },
      asio::detached);
}

std::size_t Server::connection_count() const { return impl_->connections.size(); }

void Server::stop() { impl_->stop_all(); }

tcp::endpoint Server::local_endpoint() const { return impl_->acceptor.local_endpoint(); }

tcp::endpoint Server::control_endpoint() const { return impl_->control_acceptor.local_endpoint(); }

}  // namespace relaycheck::net
