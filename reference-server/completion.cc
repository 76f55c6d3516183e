#include "completion.h"

#include <boost/program_options.hpp>
#include <set>
#include <string>

#include "net/server_flags.h"
#include "options.h"
#include "proto/registry.h"

namespace relaycheck {

namespace {

std::string words(const std::set<std::string>& names, const std::string& prefix) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : " ") + prefix + n;
  return out;
}

}  // namespace

// The common flags always; a protocol's own options once --protocol names it (all of them
// before); the fixed values after --protocol, --log-level and --completion.
void print_server_bash_completion(std::ostream& out) {
  std::set<std::string> shell;
  for (const auto& f : net::server_flags()) shell.insert(f.name);
  std::set<std::string> protocol_only, ids;
  for (const auto& p : proto::protocols()) {
    ids.insert(p.id);
    for (const auto& o : p.options)
      if (!shell.count(o.name)) protocol_only.insert(o.name);
  }
  std::set<std::string> common, valued;
  for (const auto& option : server_options().options()) {
    const std::string& name = option->long_name();
    if (!protocol_only.count(name)) common.insert(name);
    if (option->semantic()->max_tokens() > 0) valued.insert(name);
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
  std::string others;
  for (const auto& v : valued)
    if (v != "protocol" && v != "log-level" && v != "completion") others += (others.empty() ? "" : "|") + ("--" + v);
  out << "    " << others << ") COMPREPLY=(); return ;;  # a value the user types\n"
      << "  esac\n"
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
         "complete -F _relaycheck_server relaycheck-server\n";
}

}  // namespace relaycheck
