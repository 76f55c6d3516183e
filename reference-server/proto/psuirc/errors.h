#pragma once
// psuirc decoding errors, in their own category. An over-long line is reported by the shared
// line splitter (line_errc::line_too_long); what psuirc adds is ill-formed UTF-8.
#include <system_error>

#include "proto/common/error_category.h"

namespace relaycheck::proto::psuirc {

enum class errc { invalid_utf8 = 1 };
constexpr const char* category_name(errc) { return "psuirc"; }
const char* message_of(errc e);
inline std::error_code make_error_code(errc e) { return error_code_of(e); }

}  // namespace relaycheck::proto::psuirc

template <>
struct std::is_error_code_enum<relaycheck::proto::psuirc::errc> : std::true_type {};
