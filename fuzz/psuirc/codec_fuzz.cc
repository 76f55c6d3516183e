// Fuzz target: the psuirc wire codec (reference-server/proto/psuirc/codec.h).
//
// The input is the byte stream one client sends. It is decoded several ways, which must all give
// the same lines and the same error (code and stream offset):
//   - whole, and split in two at a point taken from input bytes 0-1, with the real limit;
//   - with a small line limit (0..64 bytes, from byte 2) so the over-long-line path is reached:
//     whole, split, in chunks of 1..16 bytes (byte 3), and byte by byte;
//   - by a plain reference decoder written below (its own splitting and its own UTF-8 check,
//     by code point ranges), independent of the codec and of proto/common/utf8.
// After an error the codec must keep returning it. Every line must be well-formed UTF-8 without
// "\n"; each line not ending in "\r" (a CR before the terminator is dropped, so such a line cannot
// round-trip) is re-encoded with Codec::encode and must decode to itself.
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
#include "proto/common/utf8.h"
#include "proto/psuirc/codec.h"
#include "proto/psuirc/errors.h"

namespace {

using relaycheck::fuzz::fail;
using relaycheck::fuzz::show;

using relaycheck::proto::DecodeError;
using relaycheck::proto::line_errc;
using relaycheck::proto::psuirc::Codec;
using relaycheck::proto::psuirc::errc;
using relaycheck::proto::psuirc::kMaxLineBytes;
using relaycheck::proto::psuirc::Line;

using Decoded = relaycheck::fuzz::Decoded<std::string>;  // the lines' text

Decoded decode(std::string_view data, std::size_t max_line, std::size_t split, std::size_t chunk) {
  Codec codec(max_line);
  return relaycheck::fuzz::decode_in_pieces<std::string>(codec, data, split, chunk, "liro\n",
                                                         [](Line l) { return std::move(l.text); });
}

// UTF-8 by decoding code points and checking their ranges: the offset of the first sequence that
// is cut short, has a bad continuation, is longer than needed, is a surrogate or is too large.
std::optional<std::size_t> reference_bad_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t len;
    std::uint32_t cp;
    if (b < 0x80) {
      len = 1;
      cp = b;
    } else if ((b >> 5) == 0x6) {
      len = 2;
      cp = b & 0x1F;
    } else if ((b >> 4) == 0xE) {
      len = 3;
      cp = b & 0x0F;
    } else if ((b >> 3) == 0x1E) {
      len = 4;
      cp = b & 0x07;
    } else
      return i;
    if (i + len > s.size()) return i;
    for (std::size_t k = 1; k < len; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c >> 6) != 0x2) return i;
      cp = (cp << 6) | (c & 0x3F);
    }
    const std::size_t needed = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (needed != len || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return i;
    i += len;
  }
  return std::nullopt;
}

// The rules written out plainly: "\n" ends a line, one "\r" before it is dropped; a line longer
// than max_line is an error at its first byte past the limit, also when unterminated (once it is
// surely too long); then each line is checked for UTF-8 in order.
Decoded reference(std::string_view data, std::size_t max_line) {
  Decoded d;
  std::size_t start = 0;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data[i] != '\n') continue;
    std::size_t len = i - start;
    if (len > 0 && data[i - 1] == '\r') --len;
    if (len > max_line) {
      d.error = DecodeError{line_errc::line_too_long, start + max_line};
      return d;
    }
    const std::string_view line = data.substr(start, len);
    if (auto bad = reference_bad_utf8(line)) {
      d.error = DecodeError{errc::invalid_utf8, start + *bad};
      return d;
    }
    d.frames.emplace_back(line);
    start = i + 1;
  }
  const std::size_t have = data.size() - start;
  if (have > max_line + 1 || (have == max_line + 1 && data.back() != '\r'))
    d.error = DecodeError{line_errc::line_too_long, start + max_line};
  return d;
}

void expect_same(const char* what, const Decoded& want, const Decoded& got) {
  relaycheck::fuzz::expect_same_stream(what, want, got, [](const std::string& l) { return show(l); });
}

void check_shape(std::string_view data, std::size_t max_line, const Decoded& d) {
  for (const auto& l : d.frames) {
    if (l.find('\n') != std::string::npos) fail("line with a LF: '%s'", show(l).c_str());
    if (l.size() > max_line) fail("line of %zu bytes over the limit %zu", l.size(), max_line);
    if (relaycheck::proto::find_invalid_utf8(l)) fail("ill-formed UTF-8 passed: '%s'", show(l).c_str());
  }
  if (d.error && d.error->offset >= data.size() + 1)
    fail("error offset %zu outside the input (%zu bytes)", d.error->offset, data.size());
}

void check_round_trip(const char* what, std::size_t max_line, const Decoded& d, std::size_t split) {
  std::string again;
  Decoded want;
  for (const auto& l : d.frames) {
    if (!l.empty() && l.back() == '\r') continue;
    again += Codec::encode(Line{l});
    want.frames.push_back(l);
  }
  expect_same(what, want, decode(again, max_line, 0, 0));
  expect_same(what, want, decode(again, max_line, split % (again.size() + 1), 0));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string_view data(reinterpret_cast<const char*>(bytes), size);
  const std::size_t split = relaycheck::fuzz::split_point(data);
  const std::size_t small = relaycheck::fuzz::input_byte(data, 2) % 65;  // 0..64
  const std::size_t chunk = relaycheck::fuzz::chunk_size(data, 3);

  const Decoded whole = decode(data, kMaxLineBytes, 0, 0);
  check_shape(data, kMaxLineBytes, whole);
  expect_same("reference vs whole (real limit)", reference(data, kMaxLineBytes), whole);
  expect_same("whole vs split (real limit)", whole, decode(data, kMaxLineBytes, split, 0));
  check_round_trip("re-encoded (real limit)", kMaxLineBytes, whole, split);

  const Decoded small_whole = decode(data, small, 0, 0);
  check_shape(data, small, small_whole);
  expect_same("reference vs whole (small)", reference(data, small), small_whole);
  expect_same("whole vs split (small)", small_whole, decode(data, small, split, 0));
  expect_same("whole vs chunks (small)", small_whole, decode(data, small, split, chunk));
  expect_same("whole vs byte by byte (small)", small_whole, decode(data, small, 0, 1));
  check_round_trip("re-encoded (small)", small, small_whole, split);
  return 0;
}
