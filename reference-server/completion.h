#pragma once
// relaycheck-server --completion bash: a bash completion script made from the server's option
// table (options.h) and the protocols' own options, so it cannot drift from the parser.
#include <ostream>

namespace relaycheck {

void print_server_bash_completion(std::ostream& out);

}  // namespace relaycheck
