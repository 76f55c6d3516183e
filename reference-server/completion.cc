#include "completion.h"

#include <boost/program_options.hpp>
#include <set>
#include <string>

#include "net/server_flags.h"
#include "options.h"
#include "proto/registry.h"

namespace relaycheck {

namespace {

std::string words(const std::set<std::string>& names, const std::string& prefix, const std::string& separator = " ") {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : separator) + prefix + n;
  return out;
}

}  // namespace

// The common flags always; a protocol's own options once --protocol names it (all of them
// before); the fixed values after --protocol, --log-level and --completion; file names after
// a flag whose value is a file.
void print_server_bash_completion(std::ostream& out) {
  std::set<std::string> shell;
  for (const auto& f : net::server_flags()) shell.insert(f.name);
  std::set<std::string> protocol_only, ids;
  for (const auto& p : proto::protocols()) {
    ids.insert(p.id);
    for (const auto& o : p.options)
      if (!shell.count(o.name)) protocol_only.insert(o.name);
  }
  std::set<std::string> common, valued, files;
  const auto desc = server_options();  // kept: options() refers into it
  for (const auto& option : desc.options()) {
    const std::string& name = option->long_name();
    if (!protocol_only.count(name)) common.insert(name);
    if (option->semantic()->max_tokens() == 0) continue;
    // A value its help calls a file (moose's --key, --public-key-out) completes as a path.
    (option->description().find("file") != std::string::npos ? files : valued).insert(name);
  }
  out << "# bash completion for relaycheck-server, made by 'relaycheck-server --completion bash'.\n"
         "_relaycheck_server() {\n"
         "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\" protocol=\"\" i\n"
         "  for ((i = 1; i + 1 < COMP_CWORD; i++)); do\n"
         "    [ \"${COMP_WORDS[i]}\" = --protocol ] && protocol=\"${COMP_WORDS[i+1]}\"\n"
         "  done\n"
         "  case \"$prev\" in\n"
         "    --protocol) COMPREPLY=($(compgen -W \""
      << words(ids, "") << "\" -- \"$cur\")); return ;;\n"
      << "    --log-level) COMPREPLY=($(compgen -W \"error warn info debug\" -- \"$cur\")); return ;;\n"
         "    --completion) COMPREPLY=($(compgen -W \"bash\" -- \"$cur\")); return ;;\n";
  for (const char* fixed : {"protocol", "log-level", "completion"}) valued.erase(fixed);
  if (!valued.empty())
    out << "    " << words(valued, "--", "|") << ") COMPREPLY=(); return ;;  # a value the user types\n";
  if (!files.empty())
    out << "    " << words(files, "--", "|") << ") COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n";
  out << "  esac\n"
         "  local flags=\""
      << words(common, "--") << "\"\n"
      << "  case \"$protocol\" in\n";
  for (const auto& p : proto::protocols()) {
    std::set<std::string> own;
    for (const auto& o : p.options)
      if (protocol_only.count(o.name)) own.insert(o.name);
    out << "    " << p.id << ") flags+=\" " << words(own, "--") << "\" ;;\n";
  }
  out << "    *) flags+=\" " << words(protocol_only, "--") << "\" ;;\n"
      << "  esac\n"
         "  COMPREPLY=($(compgen -W \"$flags\" -- \"$cur\"))\n"
         "}\n"
         "complete -o filenames -F _relaycheck_server relaycheck-server\n";
}

}  // namespace relaycheck
