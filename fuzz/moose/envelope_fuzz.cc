// moose envelope fuzzer: the input is one raw packet line (any bytes), opened by the server's
// Envelope with a fixed test key (test_server_key.h) as the reference server opens it. Checks:
// open never crashes; an error's byte offset lies within the line; a packet that opens has
// `to` for the server and blocks of at most 214 bytes, and its text sealed again to the same key
// opens to the same text (a round trip through RSA-OAEP and base64). The JSON-aware
// LLVMFuzzerCustomMutator edits the raw packet as JSON: `to` values, UUIDs, dropped, duplicated,
// swapped, truncated or corrupted blocks, and fresh blocks sealed to the test key from mutated
// plaintext, so the fuzzer gets past decryption.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz/common/mutate.h"
#include "fuzz/moose/test_server_key.h"
#include "proto/moose/ciphers.h"
#include "proto/moose/envelope.h"
#include "proto/moose/errors.h"

// Weak: the standalone replay build has no libFuzzer (and never calls the mutator).

namespace {

using nlohmann::json;
namespace moose = relaycheck::proto::moose;

const moose::RsaKey& key() {
  static const moose::RsaKey k = *moose::RsaKey::from_pem(relaycheck::fuzz::moose::kTestServerKeyPem);
  return k;
}
const moose::Envelope& envelope() {
  static const moose::Envelope e{std::make_shared<moose::RsaCipher>(key())};
  return e;
}
const moose::PeerKey& self_peer() {
  static const auto p = envelope().cipher().load_peer_key(key().public_pem());
  return *p;
}

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "envelope_fuzz: %s: %s\n", what, detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  key();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view line(reinterpret_cast<const char*>(data), size);
  if (auto nl = line.find('\n'); nl != std::string_view::npos) line = line.substr(0, nl);
  auto opened = envelope().open(line);
  if (auto* e = std::get_if<relaycheck::proto::DecodeError>(&opened)) {
    if (e->code.category() != relaycheck::proto::error_category_of<moose::errc>())
      fail("foreign error category", e->describe());
    if (e->offset > line.size()) fail("offset past the line", e->describe());
    return 0;
  }
  const auto& o = std::get<moose::Opened>(opened);
  const json raw = json::parse(line);  // it opened, so it parses
  if (!moose::addressed_to(raw["to"].get<std::string>(), "server")) fail("opened a bounce", std::string(line));
  if (o.inner.size() > raw["messages"].size() * moose::kBlockBytes) fail("a block over 214 bytes", std::string(line));
  const std::string again = envelope().seal(o.inner, self_peer(), o.uuid, "server");
  auto reopened = envelope().open(std::string_view(again).substr(0, again.size() - 1));
  if (!std::holds_alternative<moose::Opened>(reopened) || std::get<moose::Opened>(reopened).inner != o.inner)
    fail("round trip changed the text", o.inner);
  return 0;
}

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t max_size,
                                               unsigned int seed) {
  std::minstd_rand rng(seed);
  json raw = json::parse(std::string_view(reinterpret_cast<const char*>(data), size), nullptr, false);
  if (raw.is_discarded() || !raw.is_object() || rng() % 8 == 0)
    return relaycheck::fuzz::libfuzzer_mutate(data, size, max_size);
  if (!raw.contains("messages") || !raw["messages"].is_array()) raw["messages"] = json::array();
  json& blocks = raw["messages"];
  auto pick = [&](std::size_t n) { return n == 0 ? 0 : rng() % n; };
  switch (rng() % 9) {
    case 0: {
      static const char* tos[] = {"server", "client", "alice", "bob", "", "Server"};
      raw["to"] = tos[pick(6)];
      break;
    }
    case 1:
      raw["UUID"] = rng() % 2 ? json(std::to_string(rng() % 100)) : json(rng() % 100);
      break;
    case 2:
      if (!blocks.empty()) blocks.erase(pick(blocks.size()));
      break;
    case 3:
      if (!blocks.empty()) blocks.push_back(blocks[pick(blocks.size())]);
      break;
    case 4:
      if (blocks.size() > 1) std::swap(blocks[pick(blocks.size())], blocks[pick(blocks.size())]);
      break;
    case 5:
      if (!blocks.empty() && blocks[0].is_string()) {
        std::string b = blocks[0];
        if (!b.empty()) b.resize(pick(b.size()));
        blocks[0] = b;
      }
      break;
    case 6:
      if (!blocks.empty() && blocks[0].is_string()) {
        std::string b = blocks[0];
        if (!b.empty()) b[pick(b.size())] = "A=*/\n+"[pick(6)];
        blocks[0] = b;
      }
      break;
    default: {
      // A fresh, valid block: mutated plaintext (up to 214 bytes), sealed to the test key.
      std::string plain = rng() % 2 ? R"({"type":"key","UUID":"a","key":"k"})" : std::string(rng() % 215, 'x');
      if (plain.size() > moose::kBlockBytes) plain.resize(moose::kBlockBytes);
      relaycheck::fuzz::mutate_payload_bytes(plain, moose::kBlockBytes - plain.size());
      blocks.insert(blocks.begin() + static_cast<long>(pick(blocks.size() + 1)),
                    envelope().cipher().seal_block(plain, self_peer()));
    }
  }
  const std::string out = raw.dump(-1, ' ', false, json::error_handler_t::replace);
  if (out.size() > max_size) return relaycheck::fuzz::libfuzzer_mutate(data, size, max_size);
  std::memcpy(data, out.data(), out.size());
  return out.size();
}
