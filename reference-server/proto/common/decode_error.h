#pragma once
// Decoding errors are values: a code in a protocol's own error category, plus the byte offset in
// the connection's stream where the problem was detected.
#include <cstddef>
#include <string>
#include <system_error>

namespace relaycheck::proto {

struct DecodeError {
  std::error_code code;
  std::size_t offset = 0;  // offset in the whole stream fed so far, not in the last chunk

  std::string describe() const { return code.message() + " at byte " + std::to_string(offset); }
};

}  // namespace relaycheck::proto
