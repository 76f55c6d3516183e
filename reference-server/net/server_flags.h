#pragma once
// The shell's limits as relaycheck-server flags (--max-connections, --idle-timeout, ...): one
// table for parsing and for --help, so the two cannot drift apart. docs/server.md explains each.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "net/server.h"

namespace relaycheck::net {

struct ServerFlag {
  std::string name;  // without "--"
  std::string default_value;
  std::string help;
};

// Every limit flag with its default as ServerConfig has it.
std::vector<ServerFlag> server_flags();

// Sets the ServerConfig field of flag `name` (without "--") from `value`. False when `name` is
// not a shell flag; throws std::invalid_argument for a value it cannot use.
bool apply_server_flag(ServerConfig& config, const std::string& name, const std::string& value);

// Raises this process's open-file limit to its hard limit (thousands of connections need as
// many descriptors); returns the limit now in force.
std::size_t raise_open_file_limit();

}  // namespace relaycheck::net
