// Fuzz target: the cop wire codec (reference-server/proto/cop/codec.h).
//
// The input is the byte stream one client sends. It is decoded whole, split in two at a point
// taken from input bytes 0-1, in chunks of 1..16 bytes (byte 2) and byte by byte; all must give
// the same frames and the same error (code and stream offset), and a failed codec must keep
// returning its error. cop has exactly one encoding per frame, so the frames re-encoded with
// Codec::encode must reproduce the input's decoded prefix byte for byte, and what is left must
// be the start of a frame (buffered) or the error's bytes. A plain reference parser written
// below must agree. take_unparsed at a point taken from byte 3 must hand over exactly the bytes
// not yet decoded. Any violated check prints what differs and aborts.
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
#include "proto/cop/codec.h"

namespace {

using relaycheck::fuzz::fail;
using relaycheck::fuzz::show;

using relaycheck::proto::DecodeError;
namespace cop = relaycheck::proto::cop;

struct Decoded : relaycheck::fuzz::Decoded<cop::Frame> {
  std::size_t buffered = 0;  // bytes held for a frame not yet complete
};

Decoded decode(std::string_view data, std::size_t split, std::size_t chunk) {
  cop::Codec codec;
  Decoded d;
  static_cast<relaycheck::fuzz::Decoded<cop::Frame>&>(d) = relaycheck::fuzz::decode_in_pieces<cop::Frame>(
      codec, data, split, chunk, cop::Codec::encode(cop::login("more")), std::identity{});
  d.buffered = codec.buffered();
  return d;
}

// The layouts of section 3 written out plainly, over the whole input.
Decoded reference(std::string_view data) {
  Decoded d;
  std::size_t i = 0;
  auto err = [&](cop::errc e, std::size_t at) {
    d.error = DecodeError{make_error_code(e), at};
    return d;
  };
  auto be = [&](std::size_t at, int n) {
    std::uint64_t v = 0;
    for (int k = 0; k < n; ++k) v = (v << 8) | static_cast<unsigned char>(data[at + static_cast<std::size_t>(k)]);
    return v;
  };
  while (i < data.size()) {
    const int op = static_cast<unsigned char>(data[i]);
    if (op > 11) return err(cop::errc::unknown_opcode, i);
    static const int strings[12] = {1, 1, 1, 2, 2, 3, 1, 2, 2, 2, 0, 0};
    static const bool ids[12] = {false, false, false, false, false, false, false, false, false, true, true, false};
    std::size_t at = i + 1;
    std::vector<std::string> s;
    bool incomplete = false;
    for (int k = 0; k < strings[op] && !incomplete; ++k) {
      if (at + 4 > data.size()) {
        incomplete = true;
        break;
      }
      const auto len = static_cast<std::int32_t>(static_cast<std::uint32_t>(be(at, 4)));
      if (len < 0) return err(cop::errc::negative_length, at);
      if (len > 1024) return err(cop::errc::string_too_long, at);
      if (at + 4 + static_cast<std::size_t>(len) > data.size()) {
        incomplete = true;
        break;
      }
      s.emplace_back(data.substr(at + 4, static_cast<std::size_t>(len)));
      if (relaycheck::proto::find_invalid_utf8(s.back())) return err(cop::errc::invalid_utf8, at + 4);
      at += 4 + static_cast<std::size_t>(len);
    }
    std::int64_t id = 0;
    if (!incomplete && ids[op]) {
      if (at + 8 > data.size())
        incomplete = true;
      else
        id = static_cast<std::int64_t>(be(at, 8)), at += 8;
    }
    if (incomplete) break;
    cop::Frame f;
    f.op = static_cast<cop::Op>(op);
    f.id = id;
    if (!s.empty()) f.sender = s[0];
    if (op == 4)
      f.message = s[1];
    else if (s.size() >= 2)
      f.receiver = s[1];
    if (s.size() == 3) f.message = s[2];
    d.frames.push_back(f);
    i = at;
  }
  d.buffered = d.error ? 0 : data.size() - i;
  return d;
}

void expect_same(const char* what, const Decoded& want, const Decoded& got) {
  relaycheck::fuzz::expect_same_stream(what, want, got,
                                       [](const cop::Frame& f) { return show(cop::Codec::encode(f)); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string_view data(reinterpret_cast<const char*>(bytes), size);
  const std::size_t split = relaycheck::fuzz::split_point(data);
  const std::size_t chunk = relaycheck::fuzz::chunk_size(data, 2);

  const Decoded whole = decode(data, 0, 0);
  expect_same("reference vs whole", reference(data), whole);
  expect_same("whole vs split", whole, decode(data, split, 0));
  expect_same("whole vs chunks", whole, decode(data, split, chunk));
  expect_same("whole vs byte by byte", whole, decode(data, 0, 1));

  // One encoding per frame: the frames re-encoded are the input's prefix.
  std::string again;
  for (const auto& f : whole.frames) again += cop::Codec::encode(f);
  if (data.substr(0, again.size()) != again) fail("re-encoded frames differ from the input");
  if (whole.error && whole.error->offset < again.size()) fail("error offset inside the decoded frames");
  if (!whole.error && again.size() + whole.buffered != size)
    fail("%zu bytes decoded + %zu buffered != %zu", again.size(), whole.buffered, size);

  // take_unparsed after the first n frames returns exactly the rest of the input.
  if (!whole.frames.empty()) {
    const std::size_t n = relaycheck::fuzz::input_byte(data, 3) % (whole.frames.size() + 1);
    cop::Codec codec;
    codec.feed(data);
    std::size_t used = 0;
    for (std::size_t k = 0; k < n; ++k) {
      auto item = codec.next();
      used += cop::Codec::encode(std::get<cop::Frame>(item)).size();
    }
    if (codec.take_unparsed() != data.substr(used)) fail("take_unparsed after %zu frames lost bytes", n);
    if (codec.buffered() != 0) fail("buffered after take_unparsed");
  }
  return 0;
}
