#include "proto/psuirc/command.h"

#include <array>
#include <utility>

namespace relaycheck::proto::psuirc {

namespace {
bool equals_ignoring_case(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

constexpr std::array<std::pair<std::string_view, Command>, 8> kCommands{{
    {"liro", Command::liro},
    {"lime", Command::lime},
    {"room", Command::room},
    {"join", Command::join},
    {"leve", Command::leve},
    {"send", Command::send},
    {"help", Command::help},
    {"exit", Command::exit},
}};
}  // namespace

ParsedLine parse_line(std::string_view line) {
  ParsedLine p;
  const auto space = line.find(' ');
  p.word = line.substr(0, space);
  if (space != std::string_view::npos) p.rest = line.substr(space + 1);
  for (const auto& [name, cmd] : kCommands)
    if (equals_ignoring_case(p.word, name)) p.command = cmd;
  return p;
}

SendArgs split_send(std::string_view rest) {
  const auto space = rest.find(' ');
  if (space == std::string_view::npos) return {rest, std::nullopt};
  return {rest.substr(0, space), rest.substr(space + 1)};
}

}  // namespace relaycheck::proto::psuirc
