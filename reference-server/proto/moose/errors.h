#pragma once
// Why a moose raw packet or inner packet was not accepted. Every one is an error for that
// packet only: the server drops it, counts it and goes on (docs/protocols/moose.md).
#include <system_error>

#include "proto/common/error_category.h"

namespace relaycheck::proto::moose {

enum class errc {
  line_too_long = 1,  // a raw packet line over the limit (the connection ends)
  raw_not_json,       // the raw packet is not JSON
  raw_bad_shape,      // not {"messages":[strings], "UUID": string, "to": string}
  not_for_server,     // `to` names the other side: a bounced packet, dropped unopened
  bad_base64,         // a block is not base64
  decrypt_failed,     // a block does not decrypt with the server's key (OAEP)
  block_too_long,     // a decrypted block over 214 bytes
  inner_not_json,     // the joined blocks are not a JSON object
  bad_key,            // a `key` packet whose key is not a usable RSA public key
};

constexpr const char* category_name(errc) { return "moose"; }
const char* message_of(errc e);
inline std::error_code make_error_code(errc e) { return error_code_of(e); }

}  // namespace relaycheck::proto::moose

template <>
struct std::is_error_code_enum<relaycheck::proto::moose::errc> : std::true_type {};
