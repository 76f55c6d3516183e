#pragma once
// The FrameDecoder of the line protocols: their codec's frames, as JSON. Written once for
// saxion and psuirc; each gives its codec, its frame type and how a frame reads as JSON.
#include <algorithm>
#include <utility>
#include <variant>

#include "harness/protocols/dialect.h"
#include "proto/common/decode_error.h"

namespace relaycheck::harness {

template <class Codec, class Frame>
class LineDecoder final : public FrameDecoder {
 public:
  using ToJson = json (*)(const Frame&);
  using LineBytes = std::size_t (*)(const Frame&);  // the frame's line without its terminator
  LineDecoder(Codec codec, ToJson to_json, LineBytes line_bytes)
      : codec_(std::move(codec)), to_json_(to_json), line_bytes_(line_bytes) {}

  void feed(std::string_view bytes) override {
    codec_.feed(bytes);
    pending_ += bytes.size();
  }
  std::variant<std::monostate, json, Undecodable> next() override {
    auto item = codec_.next();
    if (auto* f = std::get_if<Frame>(&item)) {
      pending_ -= std::min(pending_, line_bytes_(*f) + 1);
      return to_json_(*f);
    }
    if (auto* e = std::get_if<proto::DecodeError>(&item)) return Undecodable{e->describe()};
    return std::monostate{};
  }
  // Approximate when "\r\n" terminators were used; only reported, never matched.
  std::size_t pending_bytes() const override { return pending_; }

 private:
  Codec codec_;
  ToJson to_json_;
  LineBytes line_bytes_;
  std::size_t pending_ = 0;
};

}  // namespace relaycheck::harness
