#pragma once
// An Engine decorator that breaks a correct engine in one chosen way, so tests can show that
// the suite catches a server that is wrong.
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "proto/common/engine.h"
#include "proto/registry.h"

namespace relaycheck::testing {

inline bool sends(const proto::Action& a, std::string_view prefix) {
  return a.kind == proto::Action::Kind::send && std::string_view(a.bytes).substr(0, prefix.size()) == prefix;
}

// The saxion faults the tests use, by name.
//  wrong-fail-code: answers FAIL02 where FAIL01 is due
//  drop-reply:      never sends the "OK BCST" acknowledgement
//  extra-frame:     sends every JOINED twice
//  crash:           aborts the process when it would acknowledge a BCST
//  drop-1-in-1000:  loses every 1000th relayed BCST (for relaycheck load's loss check)
inline std::optional<std::function<std::vector<proto::Action>(const proto::Action&)>> saxion_fault(
    const std::string& name) {
  using proto::Action;
  if (name == "wrong-fail-code")
    return [](const Action& a) {
      Action b = a;
      if (sends(a, "FAIL01")) b.bytes[5] = '2';
      return std::vector<Action>{b};
    };
  if (name == "drop-reply")
    return [](const Action& a) { return sends(a, "OK BCST") ? std::vector<Action>{} : std::vector<Action>{a}; };
  if (name == "extra-frame")
    return [](const Action& a) { return sends(a, "JOINED") ? std::vector<Action>{a, a} : std::vector<Action>{a}; };
  if (name == "drop-1-in-1000")
    return [relayed = std::make_shared<std::uint64_t>(0)](const Action& a) {
      if (sends(a, "BCST ") && ++*relayed % 1000 == 0) return std::vector<Action>{};
      return std::vector<Action>{a};
    };
  if (name == "crash")
    return [](const Action& a) {
      if (sends(a, "OK BCST")) std::abort();
      return std::vector<Action>{a};
    };
  return std::nullopt;
}

class FaultyEngine final : public proto::Engine {
 public:
  using Rewrite = std::function<std::vector<proto::Action>(const proto::Action&)>;
  FaultyEngine(std::unique_ptr<proto::Engine> inner, Rewrite rewrite)
      : inner_(std::move(inner)), rewrite_(std::move(rewrite)) {}

  void on_connect(proto::ClientId c, proto::TimePoint now) override { inner_->on_connect(c, now); }
  void on_bytes(proto::ClientId c, std::string_view b, proto::TimePoint now) override { inner_->on_bytes(c, b, now); }
  void on_disconnect(proto::ClientId c, proto::TimePoint now) override { inner_->on_disconnect(c, now); }
  void on_tick(proto::TimePoint now) override { inner_->on_tick(now); }
  std::optional<proto::TimePoint> next_deadline() const override { return inner_->next_deadline(); }
  std::optional<proto::ClientProgress> progress(proto::ClientId c) const override { return inner_->progress(c); }
  std::vector<proto::Action> take_actions() override {
    std::vector<proto::Action> out;
    for (auto& a : inner_->take_actions())
      for (auto& b : rewrite_(a)) out.push_back(std::move(b));
    return out;
  }

 private:
  std::unique_ptr<proto::Engine> inner_;
  Rewrite rewrite_;
};

}  // namespace relaycheck::testing
