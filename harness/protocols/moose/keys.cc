#include "harness/protocols/moose/keys.h"

#include <atomic>
#include <vector>

namespace relaycheck::harness::moose_keys {

namespace {
constexpr std::size_t kClientKeys = 4;  // more connections than this per scenario share keys

const std::vector<proto::moose::RsaKey>& keys() {
  static const std::vector<proto::moose::RsaKey> all = [] {
    std::vector<proto::moose::RsaKey> k;
    for (std::size_t i = 0; i <= kClientKeys; ++i) k.push_back(proto::moose::RsaKey::generate(2048));
    return k;
  }();
  return all;
}
}  // namespace

const proto::moose::RsaKey& next_client_key() {
  static std::atomic<std::size_t> next{0};
  return keys()[next++ % kClientKeys];
}

const proto::moose::RsaKey& wrong_key() { return keys()[kClientKeys]; }

}  // namespace relaycheck::harness::moose_keys
