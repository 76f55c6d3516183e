#pragma once
// The two BlockCiphers: RSA-OAEP with the server's key pair (the reference server, the
// harness), and a pass-through that seals nothing (the session fuzzer, session tests), so the
// same engine runs with and without cryptography.
#include <memory>

#include "proto/moose/envelope.h"
#include "proto/moose/rsa_key.h"

namespace relaycheck::proto::moose {

// Blocks are base64 of an RSA-OAEP (SHA-1, MGF1-SHA-1) ciphertext; at most 214 bytes each.
class RsaCipher final : public BlockCipher {
 public:
  explicit RsaCipher(RsaKey server_key) : key_(std::move(server_key)) {}
  std::size_t block_bytes() const override { return kBlockBytes; }
  std::shared_ptr<const PeerKey> load_peer_key(std::string_view pem) const override;
  std::string seal_block(std::string_view plain, const PeerKey& peer) const override;
  std::variant<std::string, DecodeError> open_block(std::string_view text) const override;
  std::string public_pem() const override { return key_.public_pem(); }

 private:
  RsaKey key_;
};

// A block is the plaintext itself, the whole text in one block; any `key` is accepted.
class PassThroughCipher final : public BlockCipher {
 public:
  std::size_t block_bytes() const override;
  std::shared_ptr<const PeerKey> load_peer_key(std::string_view pem) const override;
  std::string seal_block(std::string_view plain, const PeerKey&) const override { return std::string(plain); }
  std::variant<std::string, DecodeError> open_block(std::string_view text) const override { return std::string(text); }
  std::string public_pem() const override { return {}; }
};

}  // namespace relaycheck::proto::moose
