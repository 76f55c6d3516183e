// Fuzz target: the cs594 wire codec (reference-server/proto/cs594/{framer,codec}.h).
//
// The input is the byte stream one client sends. The framer splits it into values:
//   - whole and split in two at a point taken from input bytes 0-1, with the real limits;
//   - with small limits (value size 1..256 from byte 2, depth 1..8 from byte 3) so the error
//     paths are reached: whole, in chunks of 1..16 bytes (byte 4) and byte by byte.
// All splits must give the same values and the same error (code and stream offset), and keep
// returning that error. The values must be the input itself: each value's text is the next
// non-whitespace stretch of the stream, in order, with only JSON whitespace between them.
// Then each value is parsed (Codec) and every valid one re-serialised with Codec::encode: one
// line, which must decode back to an equal value. Any violated check prints what differs and
// aborts.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/common/check.h"
#include "fuzz/common/codec_stream.h"
#include "proto/cs594/codec.h"

namespace {

namespace cs594 = relaycheck::proto::cs594;
using relaycheck::fuzz::fail;
using relaycheck::fuzz::show;

using Decoded = relaycheck::fuzz::Decoded<std::string>;  // the values' text

// The framer with these limits fed data[0, split), then the rest whole (chunk 0) or in chunks.
Decoded frame(std::string_view stream, std::size_t split, std::size_t chunk, std::size_t max_bytes,
              std::size_t max_depth) {
  cs594::JsonFramer framer(max_bytes, max_depth);
  return relaycheck::fuzz::decode_in_pieces<std::string>(framer, stream, split, chunk, "{\"op\":8}", std::identity{});
}

void expect_same(const char* what, const Decoded& want, const Decoded& got) {
  relaycheck::fuzz::expect_same_stream(what, want, got, [](const std::string& v) { return show(v); });
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The values are the stream's own bytes, in order, separated by whitespace only.
void check_covers_stream(std::string_view stream, const Decoded& d) {
  std::size_t pos = 0;
  for (const auto& v : d.frames) {
    while (pos < stream.size() && is_space(stream[pos])) ++pos;
    if (v.empty() || stream.substr(pos, v.size()) != v)
      fail("a value that is not the next stretch of the stream: '%s'", show(v).c_str());
    pos += v.size();
  }
}

void check_round_trip(const std::vector<std::string>& values) {
  std::string reencoded;
  std::vector<cs594::Message> valid;
  for (const auto& text : values) {
    cs594::Message m = cs594::Message::parse(text);
    if (!m.valid_json) continue;
    const std::string line = cs594::Codec::encode(m);
    if (line.empty() || line.back() != '\n' || line.find('\n') != line.size() - 1)
      fail("encode is not one line: '%s'", show(line).c_str());
    reencoded += line;
    valid.push_back(std::move(m));
  }
  cs594::Codec c;
  c.feed(reencoded);
  for (const auto& want : valid) {
    auto item = c.next();
    auto* got = std::get_if<cs594::Message>(&item);
    if (!got) fail("a re-encoded value did not decode: '%s'", show(want.to_text()).c_str());
    if (!(*got == want))
      fail("round trip changed a value: '%s' became '%s'", show(want.to_text()).c_str(), show(got->to_text()).c_str());
  }
  if (!std::holds_alternative<std::monostate>(c.next())) fail("re-encoding gave extra values");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using relaycheck::fuzz::input_byte;
  const std::string_view stream(reinterpret_cast<const char*>(data), size);
  const std::size_t at = relaycheck::fuzz::split_point(stream);

  const Decoded whole = frame(stream, 0, 0, cs594::kMaxValueBytes, cs594::kMaxDepth);
  check_covers_stream(stream, whole);
  expect_same("whole vs split", whole, frame(stream, at, 0, cs594::kMaxValueBytes, cs594::kMaxDepth));

  const std::size_t small_bytes = 1 + input_byte(stream, 2);      // 1..256
  const std::size_t small_depth = 1 + input_byte(stream, 3) % 8;  // 1..8
  const std::size_t chunk = relaycheck::fuzz::chunk_size(stream, 4);
  const Decoded small = frame(stream, 0, 0, small_bytes, small_depth);
  check_covers_stream(stream, small);
  expect_same("small limits: whole vs chunks", small, frame(stream, 0, chunk, small_bytes, small_depth));
  expect_same("small limits: whole vs byte by byte", small, frame(stream, 0, 1, small_bytes, small_depth));
  expect_same("small limits: whole vs split", small, frame(stream, at, 0, small_bytes, small_depth));

  check_round_trip(whole.frames);
  return 0;
}
