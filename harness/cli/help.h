#pragma once
// The texts made from the flag table (flags.h): each command's --help, the command list, and
// the bash completion script.
#include <ostream>

#include "harness/cli/flags.h"

namespace relaycheck::harness::cli {

void print_command_help(const CommandSpec& spec, std::ostream& out);
void print_global_help(std::ostream& out);
void print_bash_completion(std::ostream& out);

}  // namespace relaycheck::harness::cli
