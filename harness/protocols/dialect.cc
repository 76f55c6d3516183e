// The Dialect defaults: a stateless dialect as a per-connection codec, one probe in every state.
#include "harness/protocols/dialect.h"

namespace relaycheck::harness {

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

}  // namespace relaycheck::harness
