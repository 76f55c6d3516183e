#pragma once
// The moose envelope: an inner packet's JSON text travels as a raw packet
//   {"messages": [<block>...], "UUID": <sender or recipient>, "to": "server" | "client"}
// one per line, the text split into blocks of at most 214 bytes and each block sealed by a
// BlockCipher. The server opens only packets addressed to it; the rest are bounces, dropped.
// Seal and open are pure: no I/O, errors are values with a byte offset in the line.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "proto/common/decode_error.h"

namespace relaycheck::proto::moose {

// A peer's public key as the cipher needs it (opaque to the session).
class PeerKey {
 public:
  virtual ~PeerKey() = default;
};

// What turns one block of plaintext into the text in `messages` and back.
class BlockCipher {
 public:
  virtual ~BlockCipher() = default;
  // The most plaintext bytes one block carries.
  virtual std::size_t block_bytes() const = 0;
  // A client's key from its `key` packet; nullptr when it is not usable.
  virtual std::shared_ptr<const PeerKey> load_peer_key(std::string_view pem) const = 0;
  virtual std::string seal_block(std::string_view plain, const PeerKey& peer) const = 0;
  // The block's plaintext, or why not (offset: within the block's text).
  virtual std::variant<std::string, DecodeError> open_block(std::string_view text) const = 0;
  // The server's public key in PEM, for clients to read out of band ("" if none).
  virtual std::string public_pem() const = 0;
};

// Splits by bytes, never by characters: a multi-byte UTF-8 character may straddle two blocks.
std::vector<std::string_view> split_blocks(std::string_view text, std::size_t block_bytes);

// Whether a raw packet's `to` names `receiver` ("server" or "client"). The historical values:
// "alice" meant the server, "bob" a client.
bool addressed_to(std::string_view to, std::string_view receiver);

struct Opened {
  std::string inner;  // the joined plaintext: the inner packet's JSON text
  std::string uuid;   // the raw packet's UUID
};

class Envelope {
 public:
  explicit Envelope(std::shared_ptr<const BlockCipher> cipher) : cipher_(std::move(cipher)) {}
  const BlockCipher& cipher() const { return *cipher_; }

  // A raw packet line (with its '\n') carrying `inner` to `peer`.
  std::string seal(std::string_view inner, const PeerKey& peer, std::string_view uuid,
                   std::string_view to = "client") const;
  // Opens a raw packet line (without terminator) for `receiver`; errc::not_for_server when `to`
  // names someone else (a bounce: nothing is decrypted).
  std::variant<Opened, DecodeError> open(std::string_view line, std::string_view receiver = "server") const;

 private:
  std::shared_ptr<const BlockCipher> cipher_;
};

}  // namespace relaycheck::proto::moose
