#pragma once
// One stream through a codec, as the codec targets compare it across splits: the frames it
// yields, the error that stops it, and the check that a failed codec stays failed. Written once
// for every codec with the FramedEngine shape (feed, next -> monostate | frame | DecodeError).
#include <optional>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "check.h"
#include "proto/common/decode_error.h"

namespace relaycheck::fuzz {

// What a codec made of one stream: the frames, as the target keeps them, then the error that
// stopped it, if any.
template <class Frame>
struct Decoded {
  std::vector<Frame> frames;
  std::optional<proto::DecodeError> error;
};

// Takes every frame the codec has now into `d`, each passed through `keep` (the codec's frame to
// what the target compares). After an error, checks that the codec repeats it.
template <class Codec, class Frame, class Keep>
void drain(Codec& codec, Decoded<Frame>& d, Keep keep) {
  if (d.error) {
    auto again = codec.next();
    auto* e = std::get_if<proto::DecodeError>(&again);
    if (!e || !same_error(*e, d.error)) fail("codec did not stay failed after: %s", show(d.error).c_str());
    return;
  }
  while (true) {
    auto item = codec.next();
    if (std::holds_alternative<std::monostate>(item)) return;
    if (auto* e = std::get_if<proto::DecodeError>(&item)) {
      d.error = *e;
      return;
    }
    d.frames.push_back(keep(std::get<1>(std::move(item))));
  }
}

// Feeds `data` in pieces (feed_in_pieces), draining after every feed as an engine does; after an
// error it also feeds `more`, which must not revive the codec.
template <class Frame, class Codec, class Keep>
Decoded<Frame> decode_in_pieces(Codec& codec, std::string_view data, std::size_t split, std::size_t chunk,
                                std::string_view more, Keep keep) {
  Decoded<Frame> d;
  feed_in_pieces(codec, data, split, chunk, [&] { drain(codec, d, keep); });
  if (d.error) {
    codec.feed(more);
    drain(codec, d, keep);
  }
  return d;
}

}  // namespace relaycheck::fuzz
