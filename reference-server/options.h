#pragma once
// relaycheck-server's command line, parsed by Boost.Program_options from one option table: the
// fixed flags, the shell's limits (net/server_flags.h) and every protocol's own options.
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace boost::program_options {
class options_description;
}

namespace relaycheck {

struct ServerUsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ServerArgs {
  bool help = false, version = false;
  std::string protocol, listen, control_listen, log_level = "info";
  std::string completion;  // --completion SHELL: print that shell's completion script
  // The limits and protocol options given, in order ("max-connections", "100").
  std::vector<std::pair<std::string, std::string>> options;
};

// Every option the parser knows (the --help test walks it).
boost::program_options::options_description server_options();

// ServerUsageError, one line naming the flag and the reason, for anything it cannot parse.
ServerArgs parse_server_args(const std::vector<std::string>& argv);

}  // namespace relaycheck
