#include "proto/moose/rsa_key.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <openssl/bio.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

namespace relaycheck::proto::moose {

namespace {

std::shared_ptr<EVP_PKEY> own(EVP_PKEY* k) { return std::shared_ptr<EVP_PKEY>(k, EVP_PKEY_free); }
using Ctx = std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)>;
using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

Bio memory_bio(std::string_view text) {
  return Bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), BIO_free);
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(n));
}

// OAEP with SHA-1 for both the label hash and MGF1: what the original clients used.
bool set_oaep(EVP_PKEY_CTX* ctx) {
  return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) > 0 &&
         EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha1()) > 0 && EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha1()) > 0;
}

}  // namespace

RsaKey RsaKey::generate(int bits) {
  EVP_PKEY* k = EVP_RSA_gen(static_cast<unsigned>(bits));
  if (!k) throw KeyError("cannot generate a " + std::to_string(bits) + "-bit RSA key");
  return RsaKey(own(k), true);
}

std::optional<RsaKey> RsaKey::from_pem(std::string_view pem) {
  auto key = read_pem(pem);
  ERR_clear_error();  // a failed read leaves entries on this thread's error queue
  return key;
}

std::optional<RsaKey> RsaKey::read_pem(std::string_view pem) {
  if (pem.size() > 64 * 1024) return std::nullopt;
  if (pem.find("PRIVATE KEY") != std::string_view::npos) {
    auto bio = memory_bio(pem);
    if (EVP_PKEY* k = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)) {
      if (EVP_PKEY_get_base_id(k) == EVP_PKEY_RSA) return RsaKey(own(k), true);
      EVP_PKEY_free(k);
    }
    return std::nullopt;
  }
  // SubjectPublicKeyInfo ("PUBLIC KEY") or PKCS#1 ("RSA PUBLIC KEY"), as clients write them.
  EVP_PKEY* k = nullptr;
  OSSL_DECODER_CTX* dctx =
      OSSL_DECODER_CTX_new_for_pkey(&k, "PEM", nullptr, "RSA", EVP_PKEY_PUBLIC_KEY, nullptr, nullptr);
  if (!dctx) return std::nullopt;
  const auto* data = reinterpret_cast<const unsigned char*>(pem.data());
  std::size_t left = pem.size();
  if (OSSL_DECODER_from_data(dctx, &data, &left) != 1) k = nullptr;
  OSSL_DECODER_CTX_free(dctx);
  if (!k) return std::nullopt;
  if (EVP_PKEY_get_base_id(k) != EVP_PKEY_RSA) {
    EVP_PKEY_free(k);
    return std::nullopt;
  }
  return RsaKey(own(k), false);
}

RsaKey RsaKey::from_pem_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw KeyError("cannot read key file '" + path + "'");
  std::stringstream text;
  text << in.rdbuf();
  auto key = from_pem(text.str());
  if (!key) throw KeyError("'" + path + "' holds no RSA key in PEM");
  return *key;
}

int RsaKey::bits() const { return EVP_PKEY_get_bits(key_.get()); }

std::size_t RsaKey::max_plain_bytes() const {
  const int size = EVP_PKEY_get_size(key_.get());
  return size > 42 ? static_cast<std::size_t>(size - 42) : 0;
}

std::string RsaKey::public_pem() const {
  Bio bio(BIO_new(BIO_s_mem()), BIO_free);
  if (PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1) throw KeyError("cannot write a public key");
  return bio_text(bio.get());
}

std::string RsaKey::private_pem() const {
  if (!has_private_) throw KeyError("a public key has no private half");
  Bio bio(BIO_new(BIO_s_mem()), BIO_free);
  if (PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    throw KeyError("cannot write a private key");
  return bio_text(bio.get());
}

std::string RsaKey::encrypt(std::string_view plain) const {
  if (plain.size() > max_plain_bytes())
    throw KeyError("a block of " + std::to_string(plain.size()) + " bytes is over the key's " +
                   std::to_string(max_plain_bytes()));
  Ctx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key_.get(), nullptr), EVP_PKEY_CTX_free);
  if (!ctx || EVP_PKEY_encrypt_init(ctx.get()) <= 0 || !set_oaep(ctx.get())) throw KeyError("cannot set up OAEP");
  const auto* in = reinterpret_cast<const unsigned char*>(plain.data());
  std::size_t n = 0;
  if (EVP_PKEY_encrypt(ctx.get(), nullptr, &n, in, plain.size()) <= 0) throw KeyError("OAEP encryption failed");
  std::string out(n, '\0');
  if (EVP_PKEY_encrypt(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &n, in, plain.size()) <= 0)
    throw KeyError("OAEP encryption failed");
  out.resize(n);
  return out;
}

std::optional<std::string> RsaKey::decrypt(std::string_view cipher) const {
  auto plain = oaep_decrypt(cipher);
  if (!plain) ERR_clear_error();
  return plain;
}

std::optional<std::string> RsaKey::oaep_decrypt(std::string_view cipher) const {
  if (!has_private_) return std::nullopt;
  // OpenSSL checks the length too; checking here keeps odd sizes away from it altogether.
  if (cipher.size() != static_cast<std::size_t>(EVP_PKEY_get_size(key_.get()))) return std::nullopt;
  Ctx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key_.get(), nullptr), EVP_PKEY_CTX_free);
  if (!ctx || EVP_PKEY_decrypt_init(ctx.get()) <= 0 || !set_oaep(ctx.get())) return std::nullopt;
  const auto* in = reinterpret_cast<const unsigned char*>(cipher.data());
  std::size_t n = 0;
  if (EVP_PKEY_decrypt(ctx.get(), nullptr, &n, in, cipher.size()) <= 0) return std::nullopt;
  std::string out(n, '\0');
  if (EVP_PKEY_decrypt(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &n, in, cipher.size()) <= 0)
    return std::nullopt;
  out.resize(n);
  return out;
}

namespace {
void write_file(const std::string& text, const std::string& path, std::filesystem::perms perms) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) throw KeyError("cannot write a key to '" + path + "'");
  std::error_code ec;
  std::filesystem::permissions(path, perms, ec);
}
}  // namespace

void write_public_pem_file(const RsaKey& key, const std::string& path) {
  using p = std::filesystem::perms;
  write_file(key.public_pem(), path, p::owner_read | p::owner_write | p::group_read | p::others_read);
}

void write_private_pem_file(const RsaKey& key, const std::string& path) {
  using p = std::filesystem::perms;
  write_file(key.private_pem(), path, p::owner_read | p::owner_write);
}

}  // namespace relaycheck::proto::moose
