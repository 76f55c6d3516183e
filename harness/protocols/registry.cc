#include "harness/protocols/dialect.h"
#include "harness/protocols/saxion/dialect.h"
#include "harness/protocols/psuirc/dialect.h"
#include "harness/protocols/cop/dialect.h"
#include "harness/protocols/cs594/dialect.h"
#include "harness/protocols/moose/dialect.h"

#include <vector>

namespace relaycheck::harness {

namespace {
const std::vector<const Dialect*>& all_dialects() {
  static const SaxionDialect saxion;
  static const PsuircDialect psuirc;
  static const CopDialect cop;
  static const Cs594Dialect cs594;
  static const MooseDialect moose;
  static const std::vector<const Dialect*> all = {&saxion, &cop, &psuirc, &cs594, &moose};
  return all;
}
}  // namespace

namespace {
// Today's stateless dialects as a per-connection codec.
class StatelessCodec final : public ConnectionCodec {
 public:
  explicit StatelessCodec(const Dialect& d) : dialect_(d), decoder_(d.decoder()) {}
  std::string encode(const json& frame) override { return dialect_.encode(frame); }
  void feed(std::string_view bytes) override { decoder_->feed(bytes); }
  std::variant<std::monostate, json, Undecodable> next() override { return decoder_->next(); }
  std::size_t pending_bytes() const override { return decoder_->pending_bytes(); }
  void on_sent(const json& frame) override { decoder_->on_sent(frame); }

 private:
  const Dialect& dialect_;
  std::unique_ptr<FrameDecoder> decoder_;
};
}  // namespace

namespace {
// The dialect's one probe, whatever the connection did.
class StaticBarrier final : public BarrierTracker {
 public:
  explicit StaticBarrier(std::optional<BarrierProbe> probe) : probe_(std::move(probe)) {}
  std::optional<BarrierProbe> probe() const override { return probe_; }

 private:
  std::optional<BarrierProbe> probe_;
};
}  // namespace

std::unique_ptr<BarrierTracker> Dialect::barrier_tracker() const { return std::make_unique<StaticBarrier>(barrier()); }

std::unique_ptr<ConnectionCodec> Dialect::codec(const ConnectionContext& context) const {
  if (!context.channel.empty()) throw DialectError(protocol() + " has no '" + context.channel + "' channel");
  return std::make_unique<StatelessCodec>(*this);
}

const Dialect* find_dialect(std::string_view protocol) {
  for (const Dialect* d : all_dialects())
    if (d->protocol() == protocol) return d;
  return nullptr;
}

std::string known_protocols() {
  std::string list;
  for (const Dialect* d : all_dialects()) list += (list.empty() ? "" : ", ") + d->protocol();
  return list;
}

}  // namespace relaycheck::harness
