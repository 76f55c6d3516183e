#pragma once
// The one table of relaycheck's commands and their flags. The parser (args.cc), each command's
// --help, the bash completion and the man pages are all made from it, so none can drift.
#include <string>
#include <vector>

namespace relaycheck::harness::cli {

struct Flag {
  std::string name;                  // without the leading "--"
  std::string arg;                   // the value's name in help (P, DIR); empty: a switch
  std::string help;                  // one line
  std::string default_text;          // shown as "(default: ...)"; empty: none shown
  std::vector<std::string> choices;  // the fixed values, for completion; empty: any
  bool repeatable = false;
};

struct CommandSpec {
  std::string name;
  std::string summary;      // one line, for `relaycheck --help`
  std::string positional;   // e.g. "RUN.json..." (report); empty: no positional arguments
  std::vector<Flag> flags;  // --help and --version included
};

const std::vector<CommandSpec>& command_specs();
const CommandSpec* find_command_spec(const std::string& name);

}  // namespace relaycheck::harness::cli
