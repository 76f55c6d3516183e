#include "harness/cli/help.h"

#include <boost/program_options.hpp>

#include "harness/cli/args.h"
#include "harness/protocols/dialect.h"

namespace relaycheck::harness::cli {

namespace {

constexpr const char* kExitStatus =
    "exit status: 0 nothing unexpected, 1 a scenario failed or errored (fuzz: a finding), 2 usage or input error,\n"
    "  130/143 interrupted by SIGINT/SIGTERM: launched servers ended, reports written marked incomplete\n";

}  // namespace

void print_command_help(const CommandSpec& spec, std::ostream& out) {
  out << "usage: relaycheck " << spec.name << " [OPTIONS]" << (spec.positional.empty() ? "" : " " + spec.positional)
      << "\n\n"
      << spec.summary << "\n\n"
      << options_of(spec) << '\n'
      << kExitStatus;
}

void print_global_help(std::ostream& out) {
  out << "usage: relaycheck COMMAND [OPTIONS]\n\n"
         "Conformance harness for small chat protocols ("
      << known_protocols()
      << ").\n\n"
         "commands:\n";
  for (const auto& s : command_specs()) {
    std::string name = s.name;
    name.resize(12, ' ');
    out << "  " << name << s.summary << '\n';
  }
  out << "\n'relaycheck COMMAND --help' lists that command's options.\n"
         "  --help, -h    this text\n"
         "  --version     the relaycheck version\n\n"
         "environment: RELAYCHECK_SCENARIOS  the built-in scenario root (default: the installed suite)\n"
      << kExitStatus;
}

// One function for every command: the flags of the command being typed, the fixed values of
// the flag before the cursor, or file names for a flag that takes a path.
void print_bash_completion(std::ostream& out) {
  out << "# bash completion for relaycheck, made by 'relaycheck completion' from its flag table.\n"
         "_relaycheck() {\n"
         "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\" cmd=\"${COMP_WORDS[1]}\"\n"
         "  local flags=\"\" values=\"\"\n"
         "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
         "    COMPREPLY=($(compgen -W \"";
  for (const auto& s : command_specs()) out << s.name << ' ';
  out << "--help --version\" -- \"$cur\"))\n"
         "    return\n"
         "  fi\n"
         "  case \"$cmd\" in\n";
  for (const auto& s : command_specs()) {
    out << "    " << s.name << ")\n      flags=\"";
    for (const auto& f : s.flags) out << "--" << f.name << ' ';
    out << "\"\n      values=\"";
    for (const auto& f : s.flags)
      if (!f.arg.empty()) out << "--" << f.name << ' ';
    out << "\"\n      case \"$prev\" in\n";
    for (const auto& f : s.flags) {
      std::vector<std::string> choices = f.choices;
      if (f.name == "protocol") {
        std::string known = known_protocols() + ",";
        for (std::size_t at = 0, comma; (comma = known.find(',', at)) != std::string::npos; at = comma + 1) {
          std::string p = known.substr(at, comma - at);
          while (!p.empty() && p.front() == ' ') p.erase(p.begin());
          if (!p.empty()) choices.push_back(p);
        }
      }
      if (choices.empty()) continue;
      out << "        --" << f.name << ") COMPREPLY=($(compgen -W \"";
      for (const auto& c : choices) out << c << ' ';
      out << "\" -- \"$cur\")); return ;;\n";
    }
    out << "      esac ;;\n";
  }
  out << "    *) return ;;\n"
         "  esac\n"
         "  if [[ \" $values \" == *\" $prev \"* ]]; then\n"
         "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
         "    return\n"
         "  fi\n"
         "  COMPREPLY=($(compgen -W \"$flags\" -- \"$cur\"))\n"
         "}\n"
         "complete -o filenames -F _relaycheck relaycheck\n";
}

}  // namespace relaycheck::harness::cli
