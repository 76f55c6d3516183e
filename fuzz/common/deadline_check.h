#pragma once
// An Engine decorator for session fuzz targets: passes everything on (control connections and
// attributes too) and aborts when on_tick(now) leaves a deadline that is already due, since the
// driver could then never move time past it.
#include <cstdio>
#include <cstdlib>

#include "proto/common/engine.h"

namespace relaycheck::fuzz {

class DeadlineCheck final : public proto::Engine {
 public:
  explicit DeadlineCheck(proto::Engine& inner) : inner_(inner) {}
  void on_connect(proto::ClientId c, proto::TimePoint now) override { inner_.on_connect(c, now); }
  void on_control_connect(proto::ClientId c, proto::TimePoint now) override { inner_.on_control_connect(c, now); }
  void on_bytes(proto::ClientId c, std::string_view b, proto::TimePoint now) override { inner_.on_bytes(c, b, now); }
  void on_disconnect(proto::ClientId c, proto::TimePoint now) override { inner_.on_disconnect(c, now); }
  void on_tick(proto::TimePoint now) override {
    inner_.on_tick(now);
    if (auto due = inner_.next_deadline(); due && *due <= now) {
      std::fprintf(stderr, "session fuzz: on_tick left a deadline that is already due\n");
      std::abort();
    }
  }
  std::optional<proto::TimePoint> next_deadline() const override { return inner_.next_deadline(); }
  std::vector<proto::Action> take_actions() override { return inner_.take_actions(); }
  void drain_actions(std::vector<proto::Action>& into) override { inner_.drain_actions(into); }
  std::optional<std::string> attribute(std::string_view name) const override { return inner_.attribute(name); }

 private:
  proto::Engine& inner_;
};

}  // namespace relaycheck::fuzz
