// Fuzz target: the saxion wire codec (reference-server/proto/saxion/codec.h).
//
// The input is the byte stream one client sends. It is decoded several ways, all of which must
// give the same frames and the same error (code and stream offset):
//   - whole, and split in two at a point taken from input bytes 0-1, with the real 64 KiB limit;
//   - with a small line limit (0..64 bytes, from input byte 2) so the over-long-line path is
//     reached: whole, split in two, in fixed chunks of 1..16 bytes (byte 3), and byte by byte;
//   - by a plain reference splitter written below, independent of the codec.
// After an error the codec must keep returning that same error. Then every frame is re-encoded
// with Codec::encode; the re-encoded stream must decode to the same frames, without error.
// The split and limit bytes are part of the stream too, so seeds are plain saxion traffic.
//
// Any violated check prints what differs and aborts.
#include <algorithm>
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/common/check.h"
#include "fuzz/common/codec_stream.h"
#include "proto/saxion/codec.h"

namespace {

using relaycheck::fuzz::fail;
using relaycheck::fuzz::show;

using relaycheck::proto::DecodeError;
using relaycheck::proto::line_errc;
using relaycheck::proto::saxion::Codec;
using relaycheck::proto::saxion::kMaxLineBytes;
using relaycheck::proto::saxion::Message;

using Decoded = relaycheck::fuzz::Decoded<Message>;

// Feeds data[0, split), then the rest in chunks of `chunk` bytes (0: all at once), draining after
// every feed as the engine does.
Decoded decode(std::string_view data, std::size_t max_line, std::size_t split, std::size_t chunk) {
  Codec codec(max_line);
  return relaycheck::fuzz::decode_in_pieces<Message>(codec, data, split, chunk, "more\n", std::identity{});
}

// The splitting rules written out plainly over the whole input: "\n", "\r\n" or "\r" end a line;
// a line longer than max_line is an error at the offset of its first byte past the limit, and
// nothing after it is decoded. Bytes after the last terminator are an incomplete line.
Decoded reference(std::string_view data, std::size_t max_line) {
  Decoded d;
  std::size_t start = 0;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data[i] != '\r' && data[i] != '\n') continue;
    if (i - start > max_line) {
      d.error = DecodeError{line_errc::line_too_long, start + max_line};
      return d;
    }
    d.frames.push_back(Message::parse(data.substr(start, i - start)));
    if (data[i] == '\r' && i + 1 < data.size() && data[i + 1] == '\n') ++i;
    start = i + 1;
  }
  if (data.size() - start > max_line) d.error = DecodeError{line_errc::line_too_long, start + max_line};
  return d;
}

void expect_same(const char* what, const Decoded& want, const Decoded& got) {
  relaycheck::fuzz::expect_same_stream(what, want, got, [](const Message& m) { return show(m.to_line()); });
}

// What any decode result must satisfy on its own.
void check_shape(std::string_view data, std::size_t max_line, const Decoded& d) {
  for (const auto& m : d.frames) {
    if (m.command.find_first_of(" \r\n") != std::string::npos)
      fail("command with a space or terminator: '%s'", show(m.command).c_str());
    if (m.payload.find_first_of("\r\n") != std::string::npos)
      fail("payload with a terminator: '%s'", show(m.payload).c_str());
    if (m.to_line().size() > max_line) fail("frame of %zu bytes over the limit %zu", m.to_line().size(), max_line);
    if (!(Message::parse(m.to_line()) == m)) fail("to_line/parse do not round-trip: '%s'", show(m.to_line()).c_str());
  }
  if (d.error) {
    if (d.error->code != line_errc::line_too_long) fail("unexpected error %s", show(d.error).c_str());
    const std::size_t off = d.error->offset;
    // The first max_line + 1 bytes of the offending line hold no terminator.
    if (off < max_line || off >= data.size()) fail("error offset %zu outside the input (%zu bytes)", off, data.size());
    if (data.substr(off - max_line, max_line + 1).find_first_of("\r\n") != std::string_view::npos)
      fail("error at %zu, but the line holds a terminator within the limit %zu", off, max_line);
  }
}

void check_round_trip(const char* what, std::size_t max_line, const Decoded& d, std::size_t split) {
  std::string again;
  for (const auto& m : d.frames) again += Codec::encode(m);
  Decoded want{d.frames, std::nullopt};
  expect_same(what, want, decode(again, max_line, 0, 0));
  expect_same(what, want, decode(again, max_line, split % (again.size() + 1), 0));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string_view data(reinterpret_cast<const char*>(bytes), size);
  const std::size_t split = relaycheck::fuzz::split_point(data);
  const std::size_t small = relaycheck::fuzz::input_byte(data, 2) % 65;  // 0..64
  const std::size_t chunk = relaycheck::fuzz::chunk_size(data, 3);

  // The real limit.
  const Decoded whole = decode(data, kMaxLineBytes, 0, 0);
  check_shape(data, kMaxLineBytes, whole);
  expect_same("reference vs whole (64 KiB)", reference(data, kMaxLineBytes), whole);
  expect_same("whole vs split (64 KiB)", whole, decode(data, kMaxLineBytes, split, 0));
  check_round_trip("re-encoded (64 KiB)", kMaxLineBytes, whole, split);

  // A small limit, reached by short inputs.
  const Decoded small_whole = decode(data, small, 0, 0);
  check_shape(data, small, small_whole);
  expect_same("reference vs whole (small)", reference(data, small), small_whole);
  expect_same("whole vs split (small)", small_whole, decode(data, small, split, 0));
  expect_same("whole vs chunks (small)", small_whole, decode(data, small, split, chunk));
  expect_same("whole vs byte by byte (small)", small_whole, decode(data, small, 0, 1));
  check_round_trip("re-encoded (small)", small, small_whole, split);
  return 0;
}
