#include "proto/moose/errors.h"

namespace relaycheck::proto::moose {

const char* message_of(errc e) {
  switch (e) {
    case errc::line_too_long:
      return "raw packet line too long";
    case errc::raw_not_json:
      return "raw packet is not JSON";
    case errc::raw_bad_shape:
      return "raw packet is not {messages, UUID, to}";
    case errc::not_for_server:
      return "raw packet not addressed to its receiver (a bounce)";
    case errc::bad_base64:
      return "block is not base64";
    case errc::decrypt_failed:
      return "block does not decrypt with the server's key";
    case errc::block_too_long:
      return "decrypted block over 214 bytes";
    case errc::inner_not_json:
      return "inner packet is not a JSON object";
    case errc::bad_key:
      return "key is not a usable RSA public key";
  }
  return nullptr;
}

}  // namespace relaycheck::proto::moose
