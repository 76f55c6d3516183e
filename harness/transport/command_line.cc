#include "harness/transport/command_line.h"

#include <filesystem>

#include "harness/server_access.h"

namespace relaycheck::harness::transport {

std::vector<std::string> split_command(const std::string& text) {
  std::vector<std::string> args;
  std::string current;
  bool in_arg = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_arg) args.push_back(std::move(current));
      current.clear();
      in_arg = false;
      continue;
    }
    in_arg = true;
    if (c == '\\') {
      if (i + 1 < text.size()) current += text[++i];
      continue;
    }
    if (c != '\'' && c != '"') {
      current += c;
      continue;
    }
    const std::size_t open = i;
    for (++i; i < text.size() && text[i] != c; ++i) {
      const bool escape = c == '"' && text[i] == '\\' && i + 1 < text.size() &&
                          std::string("\"\\$`").find(text[i + 1]) != std::string::npos;
      current += escape ? text[++i] : text[i];
    }
    if (i >= text.size())
      throw std::invalid_argument(std::string("unclosed ") + c + " quote opened at column " + std::to_string(open + 1));
  }
  if (in_arg) args.push_back(std::move(current));
  return args;
}

namespace {

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

}  // namespace

std::string substitute(const std::string& arg, std::uint16_t port, const std::string& protocol) {
  // relaycheck's own directory does not change: read the link once, not per argument.
  static const std::string bin = std::filesystem::path(default_server_binary()).parent_path().string();
  return replace_all(replace_all(replace_all(arg, "{port}", std::to_string(port)), "{protocol}", protocol), "{bin}",
                     bin);
}

bool mentions_port(const std::vector<std::string>& argv) {
  for (const auto& a : argv)
    if (a.find("{port}") != std::string::npos) return true;
  return false;
}

}  // namespace relaycheck::harness::transport
