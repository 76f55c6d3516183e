#pragma once
// psuirc decoding errors, in their own category. An over-long line is reported by the shared
// line splitter (line_errc::line_too_long); what psuirc adds is ill-formed UTF-8.
#include <system_error>

namespace relaycheck::proto::psuirc {

enum class errc { invalid_utf8 = 1 };
const std::error_category& category();
inline std::error_code make_error_code(errc e) { return {static_cast<int>(e), category()}; }

}  // namespace relaycheck::proto::psuirc

template <>
struct std::is_error_code_enum<relaycheck::proto::psuirc::errc> : std::true_type {};
