#include "proto/moose/ciphers.h"

#include <limits>

#include "proto/moose/base64.h"
#include "proto/moose/errors.h"

namespace relaycheck::proto::moose {

namespace {
struct RsaPeer final : PeerKey {
  explicit RsaPeer(RsaKey k) : key(std::move(k)) {}
  RsaKey key;
};
struct AnyPeer final : PeerKey {};
}  // namespace

std::shared_ptr<const PeerKey> RsaCipher::load_peer_key(std::string_view pem) const {
  auto key = RsaKey::from_pem(pem);
  // A smaller key cannot carry a 214-byte block; the spec's keys are 2048 or 4096 bits.
  if (!key || key->bits() < 2048) return nullptr;
  return std::make_shared<RsaPeer>(*key);
}

std::string RsaCipher::seal_block(std::string_view plain, const PeerKey& peer) const {
  return base64_encode(static_cast<const RsaPeer&>(peer).key.encrypt(plain));
}

std::variant<std::string, DecodeError> RsaCipher::open_block(std::string_view text) const {
  auto bytes = base64_decode(text);
  if (auto* e = std::get_if<Base64Error>(&bytes)) return DecodeError{make_error_code(errc::bad_base64), e->offset};
  auto plain = key_.decrypt(std::get<std::string>(bytes));
  if (!plain) return DecodeError{make_error_code(errc::decrypt_failed), 0};
  return std::move(*plain);
}

std::size_t PassThroughCipher::block_bytes() const { return std::numeric_limits<std::size_t>::max(); }

std::shared_ptr<const PeerKey> PassThroughCipher::load_peer_key(std::string_view) const {
  static const auto any = std::make_shared<AnyPeer>();
  return any;
}

}  // namespace relaycheck::proto::moose
