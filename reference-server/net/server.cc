#include "net/server.h"

#include <deque>
#include <unordered_map>

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

struct Connection {
  Connection(tcp::socket s, proto::ClientId i)
      : socket(std::move(s)), wake(socket.get_executor()), id(i) {
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

  void drop_queue() {
    queue.clear();
    queued_bytes = 0;
  }
};

}  // namespace

struct Server::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io_, std::unique_ptr<proto::Engine> e, ServerConfig c, const Logger& l)
      : io(io_), engine(std::move(e)), config(std::move(c)), log(l), acceptor(io_), tick(io_) {
    start_time = std::chrono::steady_clock::now();
  }

  asio::io_context& io;
  std::unique_ptr<proto::Engine> engine;
  ServerConfig config;
  const Logger& log;
  tcp::acceptor acceptor;
  asio::steady_timer tick;
  std::chrono::steady_clock::time_point start_time;
  std::unordered_map<proto::ClientId, std::shared_ptr<Connection>> connections;
  proto::ClientId next_id = 1;
  bool stopped = false;

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
    for (auto& action : engine->take_actions()) {
      auto it = connections.find(action.client);
      if (it == connections.end()) continue;
      Connection& c = *it->second;
      if (c.closing) continue;
      if (action.kind == proto::Action::Kind::send) {
        c.queued_bytes += action.bytes.size();
        c.queue.push_back(std::move(action.bytes));
        if (c.queued_bytes > config.max_queued_bytes) too_slow.push_back(c.id);
      } else {
        log.debug("closing " + c.peer + ": " + action.bytes);
        c.closing = true;
        c.gone = true;
      }
      c.wake.cancel();
    }
    for (proto::ClientId id : too_slow) {
      auto it = connections.find(id);
      if (it == connections.end() || it->second->gone) continue;
      log.warn("dropping " + it->second->peer + ": output queue over " + std::to_string(config.max_queued_bytes) + " bytes");
      it->second->gone = true;
      it->second->closing = true;
      it->second->drop_queue();
      it->second->wake.cancel();
      engine->on_disconnect(id, now());
      dispatch();
    }
    reschedule_tick();
  }

  asio::awaitable<void> accept_loop() {
    auto self = shared_from_this();
    while (!stopped) {
      error_code ec;
      tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (stopped || ec == asio::error::operation_aborted) co_return;
        log.warn("accept: " + ec.message());
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
      engine->on_connect(conn->id, now());
      dispatch();
    }
  }

  asio::awaitable<void> reader(std::shared_ptr<Connection> c) {
    auto self = shared_from_this();
    std::array<char, 16 * 1024> buffer;
    while (true) {
      error_code ec;
      std::size_t n = co_await c->socket.async_read_some(asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      if (c->gone) continue;  // draining until the peer's FIN after we closed
      engine->on_bytes(c->id, std::string_view(buffer.data(), n), now());
      dispatch();
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
      // The write owns its bytes: the queue may be cleared while it is in flight.
      std::string item = std::move(c->queue.front());
      c->queue.pop_front();
      c->queued_bytes -= item.size();
      error_code ec;
      co_await asio::async_write(c->socket, asio::buffer(item), asio::redirect_error(asio::use_awaitable, ec));
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
  asio::co_spawn(i.io, i.accept_loop(), asio::detached);
  asio::co_spawn(i.io, i.tick_loop(), asio::detached);
}

void Server::stop() {
  auto& i = *impl_;
  if (i.stopped) return;
  i.stopped = true;
  error_code ec;
  i.acceptor.close(ec);
  i.tick.cancel();
  for (auto& [id, c] : i.connections) {
    c->socket.close(ec);
    c->wake.cancel();
  }
}

tcp::endpoint Server::local_endpoint() const { return impl_->acceptor.local_endpoint(); }

}  // namespace relaycheck::net
