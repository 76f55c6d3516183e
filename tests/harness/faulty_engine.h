#pragma once
// An Engine decorator that breaks a correct engine in one chosen way, so tests can show that
// the suite catches a server that is wrong.
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "proto/common/engine.h"
#include "proto/registry.h"

namespace relaycheck::testing {

// The saxion faults the tests use, by name.
//  wrong-fail-code: answers FAIL02 where FAIL01 is due
//  drop-reply:      never sends the "OK BCST" acknowledgement
//  extra-frame:     sends every JOINED twice
inline std::optional<std::function<std::vector<proto::Action>(proto::Action)>> saxion_fault(const std::string& name) {
  using proto::Action;
  auto starts = [](const Action& a, const char* prefix) {
    return a.kind == Action::Kind::send && a.bytes.rfind(prefix, 0) == 0;
  };
  if (name == "wrong-fail-code")
    return [starts](Action a) {
      if (starts(a, "FAIL01")) a.bytes.replace(0, 6, "FAIL02");
      return std::vector<Action>{a};
    };
  if (name == "drop-reply")
    return [starts](Action a) { return starts(a, "OK BCST") ? std::vector<Action>{} : std::vector<Action>{a}; };
  if (name == "extra-frame")
    return [starts](Action a) { return starts(a, "JOINED") ? std::vector<Action>{a, a} : std::vector<Action>{a}; };
  return std::nullopt;
}

class FaultyEngine final : public proto::Engine {
 public:
  using Rewrite = std::function<std::vector<proto::Action>(proto::Action)>;
  FaultyEngine(std::unique_ptr<proto::Engine> inner, Rewrite rewrite) : inner_(std::move(inner)), rewrite_(std::move(rewrite)) {}

  void on_connect(proto::ClientId c, proto::TimePoint now) override { inner_->on_connect(c, now); }
  void on_bytes(proto::ClientId c, std::string_view b, proto::TimePoint now) override { inner_->on_bytes(c, b, now); }
  void on_disconnect(proto::ClientId c, proto::TimePoint now) override { inner_->on_disconnect(c, now); }
  void on_tick(proto::TimePoint now) override { inner_->on_tick(now); }
  std::optional<proto::TimePoint> next_deadline() const override { return inner_->next_deadline(); }
  std::vector<proto::Action> take_actions() override {
    std::vector<proto::Action> out;
    for (auto& a : inner_->take_actions())
      for (auto& b : rewrite_(std::move(a))) out.push_back(std::move(b));
    return out;
  }

 private:
  std::unique_ptr<proto::Engine> inner_;
  Rewrite rewrite_;
};

}  // namespace relaycheck::testing
