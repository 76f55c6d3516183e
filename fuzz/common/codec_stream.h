#pragma once
// One stream through a codec, as the codec targets compare it across splits: where to split it
// (taken from the input), the frames it yields, the error that stops it, the check that a failed
// codec stays failed, and the compare of two such streams. Written once for every codec with the
// FramedEngine shape (feed, next -> monostate | frame | DecodeError).
#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "fuzz/common/check.h"
#include "proto/common/decode_error.h"

namespace relaycheck::fuzz {

// Input byte i, 0 past the end: the targets take split points and limits from the first bytes.
inline std::size_t input_byte(std::string_view data, std::size_t i) {
  return i < data.size() ? static_cast<unsigned char>(data[i]) : 0;
}

// Where to split the stream in two, from bytes 0-1: anywhere in [0, size].
inline std::size_t split_point(std::string_view data) {
  return data.empty() ? 0 : (input_byte(data, 0) | (input_byte(data, 1) << 8)) % (data.size() + 1);
}

// A chunk size of 1..16 bytes, from byte i.
inline std::size_t chunk_size(std::string_view data, std::size_t i) { return 1 + input_byte(data, i) % 16; }

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

// Fails naming `what` unless both streams have equal frames (the first that differs shown with
// `show_frame`, a frame to printable text) and the same error, code and offset.
template <class Frame, class ShowFrame>
void expect_same_stream(const char* what, const Decoded<Frame>& want, const Decoded<Frame>& got, ShowFrame show_frame) {
  const std::size_t n = std::min(want.frames.size(), got.frames.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (!(want.frames[i] == got.frames[i]))
      fail("%s: frame %zu differs: '%s' vs '%s'", what, i, std::string(show_frame(want.frames[i])).c_str(),
           std::string(show_frame(got.frames[i])).c_str());
  }
  if (want.frames.size() != got.frames.size())
    fail("%s: %zu frames vs %zu", what, want.frames.size(), got.frames.size());
  if (!same_error(want.error, got.error))
    fail("%s: error differs: %s vs %s", what, show(want.error).c_str(), show(got.error).c_str());
}

}  // namespace relaycheck::fuzz
