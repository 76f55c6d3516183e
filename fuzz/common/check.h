#pragma once
// What every fuzz target needs to report a broken invariant: printf-style failure that aborts
// (libFuzzer then saves the input), printable bytes, and decode-error comparison.
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "proto/common/decode_error.h"

namespace relaycheck::fuzz {

[[noreturn]] __attribute__((format(printf, 1, 2))) inline void fail(const char* fmt, ...) {
  std::fputs("fuzz invariant broken: ", stderr);
  va_list ap;
  va_start(ap, fmt);
  std::vfprintf(stderr, fmt, ap);
  va_end(ap);
  std::fputc('\n', stderr);
  std::abort();
}

// Equal bytes, compared in a plain loop rather than through memcmp: a checker's compares of the
// server's output with what it expects are not the input's, and through memcmp each would go to
// ASan's interceptor and libFuzzer's compare hook (its table of recent compares, which feeds
// mutations), costing more than the compare and filling the table with the checker's strings.
inline bool same(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.data() == b.data()) return true;  // views of the same bytes (a parsed line and the line)
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) return false;
  return true;
}

// Up to 80 bytes, non-printable ones as \xNN, and the length when cut.
inline std::string show(std::string_view s) {
  std::string out;
  for (unsigned char ch : s.substr(0, 80)) {
    if (ch >= 0x20 && ch < 0x7f && ch != '\\') {
      out += static_cast<char>(ch);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", ch);
      out += buf;
    }
  }
  if (s.size() > 80) out += "...(" + std::to_string(s.size()) + " bytes)";
  return out;
}

inline std::string show(const std::optional<proto::DecodeError>& e) {
  return e ? e->code.message() + " at " + std::to_string(e->offset) : std::string("no error");
}

inline bool same_error(const std::optional<proto::DecodeError>& a, const std::optional<proto::DecodeError>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || (a->code == b->code && a->offset == b->offset);
}

// Feeds data[0, split), then the rest whole (chunk 0) or in pieces of `chunk` bytes, calling
// `drain` after every feed as an engine does; codec targets compare such splits.
template <class Codec, class Drain>
void feed_in_pieces(Codec& codec, std::string_view data, std::size_t split, std::size_t chunk, Drain drain) {
  codec.feed(data.substr(0, split));
  drain();
  const std::string_view rest = data.substr(split);
  if (chunk == 0) {
    codec.feed(rest);
    drain();
    return;
  }
  for (std::size_t i = 0; i < rest.size(); i += chunk) {
    codec.feed(rest.substr(i, chunk));
    drain();
  }
}

}  // namespace relaycheck::fuzz
