#pragma once
// An RSA key (a pair, or a public key alone) and the one cipher moose uses with it: RSA-OAEP
// with SHA-1 and MGF1-SHA-1 (specs/README.md, moose: what gives exactly 214 bytes a block with
// 2048-bit keys). OpenSSL 3 EVP underneath; the header keeps OpenSSL out of its users.
#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct evp_pkey_st;

namespace relaycheck::proto::moose {

// The spec's block: the most a 2048-bit key carries with OAEP-SHA-1 (256 - 2*20 - 2).
inline constexpr std::size_t kBlockBytes = 214;

struct KeyError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class RsaKey {
 public:
  // Slow (tens to hundreds of milliseconds): callers generate once and reuse.
  static RsaKey generate(int bits);
  // A private key (PKCS#8 or PKCS#1) or a public key (SubjectPublicKeyInfo or PKCS#1) in PEM.
  static std::optional<RsaKey> from_pem(std::string_view pem);
  // Reads a PEM file; throws KeyError naming the path and the problem.
  static RsaKey from_pem_file(const std::string& path);

  bool has_private() const { return has_private_; }
  int bits() const;
  // Largest plaintext one OAEP-SHA-1 block of this key holds.
  std::size_t max_plain_bytes() const;
  std::string public_pem() const;
  std::string private_pem() const;  // throws KeyError for a public key
  // Throws KeyError when `plain` is longer than max_plain_bytes().
  std::string encrypt(std::string_view plain) const;
  // Nothing when the ciphertext is not an OAEP block for this key.
  std::optional<std::string> decrypt(std::string_view cipher) const;

 private:
  static std::optional<RsaKey> read_pem(std::string_view pem);
  std::optional<std::string> oaep_decrypt(std::string_view cipher) const;
  RsaKey(std::shared_ptr<evp_pkey_st> key, bool has_private) : key_(std::move(key)), has_private_(has_private) {}
  std::shared_ptr<evp_pkey_st> key_;
  bool has_private_ = false;
};

// Writes the public half where clients can read it; throws KeyError.
void write_public_pem_file(const RsaKey& key, const std::string& path);
// Writes the private key (PKCS#8 PEM), readable by its owner only; throws KeyError.
void write_private_pem_file(const RsaKey& key, const std::string& path);

}  // namespace relaycheck::proto::moose
