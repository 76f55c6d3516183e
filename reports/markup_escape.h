#pragma once
// Text for XML and HTML (the JUnit and HTML reports): markup escaped, and the control characters
// XML 1.0 cannot carry (HTML should not) shown as '?'.
#include <string>

namespace relaycheck::reports {

std::string xml_escape(const std::string& s);

}  // namespace relaycheck::reports
