#include "proto/moose/protocol.h"

#include <map>
#include <mutex>
#include <sstream>

#include "proto/moose/ciphers.h"
#include "proto/moose/engine.h"

namespace relaycheck::proto::moose {

const RsaKey& generated_server_key(int bits) {
  static std::mutex mutex;
  static std::map<int, RsaKey> keys;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = keys.find(bits);
  if (it == keys.end()) it = keys.emplace(bits, RsaKey::generate(bits)).first;
  return it->second;
}

namespace {

std::vector<std::string> comma_list(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) items.push_back(item);
  return items;
}

RsaKey server_key(const std::string& path, const std::string& bits_text) {
  if (!path.empty()) {
    try {
      RsaKey key = RsaKey::from_pem_file(path);
      if (!key.has_private())
        throw OptionError("--key: '" + path + "' holds a public key; the server needs its private key");
      if (key.bits() < 2048) throw OptionError("--key: a key under 2048 bits cannot carry 214-byte blocks");
      return key;
    } catch (const KeyError& e) {
      throw OptionError(std::string("--key: ") + e.what());
    }
  }
  if (bits_text != "2048" && bits_text != "4096") throw OptionError("--key-bits: 2048 or 4096");
  return generated_server_key(std::stoi(bits_text));
}

}  // namespace

ProtocolInfo protocol_info() {
  ProtocolInfo info;
  info.id = "moose";
  info.title = "Anonymous-moose intercommunication (JSON packets in RSA-OAEP encrypted raw packets)";
  info.default_port = 5222;
  info.control_channel = true;
  info.attributes = {"public-key-pem"};
  info.options = {
      {"probe-after", "7s", "client silence before the server sends probe"},
      {"probe-timeout", "3s", "a probe unanswered this long removes the client from the pool"},
      {"ring-timeout", "60s", "a ring no client accepts ends with ringACKACK UUID \"\""},
      {"services", "sms,web", "the simulated services (comma-separated), all online at start"},
      {"key", "", "the server's RSA private key (PEM file); empty: generate one at start"},
      {"key-bits", "2048", "size of a generated key: 2048 or 4096"},
      {"public-key-out", "", "write the server's public key (PEM) to this file for clients"},
  };
  // Spawned reference servers of one harness run share one key: a file written once.
  info.spawn_options = [](const std::string& dir) {
    const std::string path = dir + "/moose-server-key.pem";
    write_private_pem_file(generated_server_key(2048), path);
    return OptionValues{{"key", path}};
  };
  const auto specs = info.options;
  info.make_engine = [specs](const OptionValues& values) -> std::unique_ptr<Engine> {
    Options o;
    o.probe_after = duration_option(values, specs[0]);
    o.probe_timeout = duration_option(values, specs[1]);
    o.ring_timeout = duration_option(values, specs[2]);
    o.services = comma_list(string_option(values, specs[3]));
    for (const auto& s : o.services)
      if (s.find(' ') != std::string::npos) throw OptionError("--services: names without spaces");
    if (o.probe_after.count() <= 0 || o.probe_timeout.count() <= 0 || o.ring_timeout.count() <= 0)
      throw OptionError("moose timers must be positive");
    RsaKey key = server_key(string_option(values, specs[4]), string_option(values, specs[5]));
    if (const std::string out = string_option(values, specs[6]); !out.empty()) {
      try {
        write_public_pem_file(key, out);
      } catch (const KeyError& e) {
        throw OptionError(std::string("--public-key-out: ") + e.what());
      }
    }
    return std::make_unique<MooseEngine>(std::make_shared<RsaCipher>(std::move(key)), std::move(o));
  };
  return info;
}

}  // namespace relaycheck::proto::moose
