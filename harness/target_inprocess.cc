// The reference engine in-process, on virtual time.
#include <map>
#include <utility>

#include "harness/target_impl.h"
#include "proto/registry.h"

namespace relaycheck::harness {

namespace {

class InProcessTransport final : public Transport {
 public:
  explicit InProcessTransport(std::unique_ptr<proto::Engine> engine) : engine_(std::move(engine)) {}

  void open(const std::string& conn) override {
    engine_->on_connect(fresh(conn), now_);
    pump();
  }

  void open_channel(const std::string& conn, const std::string& channel) override {
    if (channel != "control") throw TargetError("the reference server has no '" + channel + "' channel");
    engine_->on_control_connect(fresh(conn), now_);
    pump();
  }

  std::optional<std::string> attribute(const std::string& name) override { return engine_->attribute(name); }

  std::string write(const std::string& conn, std::string_view bytes) override {
    Conn& c = get(conn);
    if (c.closed) return "connection is closed";
    engine_->on_bytes(c.id, bytes, now_);
    pump();
    return {};
  }

  void close(const std::string& conn) override {
    Conn& c = get(conn);
    if (!c.closed) engine_->on_disconnect(c.id, now_);
    c.closed = true;
    pump();
  }

  ReadResult read(const std::string& conn, Millis within) override {
    const proto::TimePoint end = now_ + within;
    while (true) {
      Conn& c = get(conn);
      if (!c.inbox.empty()) return {ReadResult::Kind::data, std::exchange(c.inbox, {}), {}};
      if (c.closed) return {ReadResult::Kind::closed, {}, "closed"};
      auto due = engine_->next_deadline();
      if (!due || *due > end) {
        now_ = std::max(now_, end);
        return {};
      }
      now_ = std::max(now_, *due);
      engine_->on_tick(now_);
      pump();
    }
  }

  void advance(Millis d) override {
    const proto::TimePoint end = now_ + d;
    for (auto due = engine_->next_deadline(); due && *due <= end; due = engine_->next_deadline()) {
      now_ = std::max(now_, *due);
      engine_->on_tick(now_);
      pump();
    }
    now_ = end;
  }

  long long now_ms() const override { return now_.time_since_epoch().count(); }
  bool exact_quiet() const override { return true; }

 private:
  struct Conn {
    proto::ClientId id = 0;
    std::string inbox;
    bool closed = false;
  };

  // A new connection named `conn` (replacing a closed one of that name); its engine id.
  proto::ClientId fresh(const std::string& conn) {
    Conn& c = conns_[conn];
    c = Conn{};
    c.id = next_id_++;
    ids_[c.id] = conn;
    return c.id;
  }

  Conn& get(const std::string& conn) {
    auto it = conns_.find(conn);
    if (it == conns_.end()) throw TargetError("no connection named '" + conn + "'");
    return it->second;
  }

  void pump() {
    for (auto& a : engine_->take_actions()) {
      auto name = ids_.find(a.client);
      if (name == ids_.end()) continue;
      Conn& c = conns_[name->second];
      if (c.id != a.client || c.closed) continue;
      if (a.kind == proto::Action::Kind::send)
        c.inbox += a.bytes;
      else
        c.closed = true;
    }
  }

  std::unique_ptr<proto::Engine> engine_;
  proto::TimePoint now_{};
  proto::ClientId next_id_ = 1;
  std::map<std::string, Conn> conns_;
  std::map<proto::ClientId, std::string> ids_;
};

class InProcessTarget final : public Target {
 public:
  explicit InProcessTarget(TargetOptions options) : options_(std::move(options)) {}
  std::string describe() const override { return "inprocess"; }
  void check(const std::string& protocol) override {
    if (!proto::find_protocol(protocol)) throw TargetError("the reference server has no protocol '" + protocol + "'");
  }
  std::unique_ptr<Transport> connect(const std::string& protocol) override {
    check(protocol);
    return make_inprocess_transport(proto::find_protocol(protocol)->make_engine(reference_options(protocol, options_)));
  }
  bool isolated() const override { return true; }

 private:
  TargetOptions options_;
};

}  // namespace

std::unique_ptr<Target> make_inprocess_target(const TargetOptions& options) {
  return std::make_unique<InProcessTarget>(options);
}

proto::OptionValues reference_options(const std::string& protocol, const TargetOptions& options) {
  proto::OptionValues values;
  const proto::ProtocolInfo* info = proto::find_protocol(protocol);
  if (!info || !options.seed) return values;
  for (const auto& o : info->options)
    if (o.name == "seed") values["seed"] = std::to_string(*options.seed);
  return values;
}

std::unique_ptr<Transport> make_inprocess_transport(std::unique_ptr<proto::Engine> engine) {
  return std::make_unique<InProcessTransport>(std::move(engine));
}

}  // namespace relaycheck::harness
