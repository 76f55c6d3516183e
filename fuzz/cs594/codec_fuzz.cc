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
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/cs594/codec.h"

namespace {

namespace cs594 = relaycheck::proto::cs594;
using relaycheck::proto::DecodeError;

struct Split {
  std::vector<std::string> values;
  std::optional<DecodeError> error;
  bool operator==(const Split& o) const {
    if (values != o.values || error.has_value() != o.error.has_value()) return false;
    return !error || (error->code == o.error->code && error->offset == o.error->offset);
  }
};

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "cs594 codec_fuzz: %s\n", what.c_str());
  std::abort();
}

std::string show(const Split& s) {
  std::string o = std::to_string(s.values.size()) + " values";
  if (s.error) o += ", " + s.error->describe();
  return o;
}

Split run(std::string_view stream, std::size_t chunk, std::size_t max_bytes, std::size_t max_depth) {
  cs594::JsonFramer f(max_bytes, max_depth);
  Split out;
  auto drain = [&] {
    while (!out.error) {
      auto item = f.next();
      if (auto* v = std::get_if<std::string>(&item)) out.values.push_back(std::move(*v));
      else if (auto* e = std::get_if<DecodeError>(&item)) out.error = *e;
      else break;
    }
  };
  for (std::size_t i = 0; i < stream.size(); i += chunk) {
    f.feed(stream.substr(i, chunk));
    drain();
  }
  drain();
  if (out.error) {
    f.feed("{\"op\":8}");
    auto again = f.next();
    auto* e = std::get_if<DecodeError>(&again);
    if (!e || e->code != out.error->code || e->offset != out.error->offset) fail("the framer did not stay failed");
  }
  return out;
}

Split run_split(std::string_view stream, std::size_t at, std::size_t max_bytes, std::size_t max_depth) {
  at = std::min(at, stream.size());
  cs594::JsonFramer f(max_bytes, max_depth);
  Split out;
  for (std::string_view part : {stream.substr(0, at), stream.substr(at)}) {
    f.feed(part);
    while (!out.error) {
      auto item = f.next();
      if (auto* v = std::get_if<std::string>(&item)) out.values.push_back(std::move(*v));
      else if (auto* e = std::get_if<DecodeError>(&item)) out.error = *e;
      else break;
    }
  }
  return out;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The values are the stream's own bytes, in order, separated by whitespace only.
void check_covers_stream(std::string_view stream, const Split& s) {
  std::size_t pos = 0;
  for (const auto& v : s.values) {
    while (pos < stream.size() && is_space(stream[pos])) ++pos;
    if (v.empty() || stream.substr(pos, v.size()) != v) fail("a value that is not the next stretch of the stream");
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
    if (line.empty() || line.back() != '\n' || line.find('\n') != line.size() - 1) fail("encode is not one line: " + line);
    reencoded += line;
    valid.push_back(std::move(m));
  }
  cs594::Codec c;
  c.feed(reencoded);
  for (const auto& want : valid) {
    auto item = c.next();
    auto* got = std::get_if<cs594::Message>(&item);
    if (!got) fail("a re-encoded value did not decode");
    if (!(*got == want)) fail("round trip changed a value: " + want.to_text() + " became " + got->to_text());
  }
  if (!std::holds_alternative<std::monostate>(c.next())) fail("re-encoding gave extra values");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view stream(reinterpret_cast<const char*>(data), size);
  const std::size_t at = size >= 2 ? (std::size_t{data[0]} << 8 | data[1]) % (size + 1) : 0;

  const Split whole = run(stream, stream.size() + 1, cs594::kMaxValueBytes, cs594::kMaxDepth);
  check_covers_stream(stream, whole);
  const Split two = run_split(stream, at, cs594::kMaxValueBytes, cs594::kMaxDepth);
  if (!(two == whole)) fail("split at " + std::to_string(at) + ": " + show(two) + " vs whole: " + show(whole));

  const std::size_t small_bytes = size >= 3 ? 1 + data[2] : 64;
  const std::size_t small_depth = size >= 4 ? 1 + data[3] % 8 : 4;
  const std::size_t chunk = size >= 5 ? 1 + data[4] % 16 : 3;
  const Split small = run(stream, stream.size() + 1, small_bytes, small_depth);
  check_covers_stream(stream, small);
  for (std::size_t c : {chunk, std::size_t{1}}) {
    const Split s = run(stream, c, small_bytes, small_depth);
    if (!(s == small)) fail("chunks of " + std::to_string(c) + ": " + show(s) + " vs whole: " + show(small));
  }
  const Split small_split = run_split(stream, at, small_bytes, small_depth);
  if (!(small_split == small)) fail("small limits, split: " + show(small_split) + " vs " + show(small));

  check_round_trip(whole.values);
  return 0;
}
