#pragma once
// A launch command as text (`fuzz --target spawn:CMD`) split into arguments, and the
// placeholders every launch command may hold.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace relaycheck::harness::transport {

// Splits like a POSIX shell, without expansions: blanks separate arguments; '...' is literal;
// "..." keeps blanks and takes \" \\ \$ \` as escapes; a backslash outside quotes escapes the
// next character. Throws std::invalid_argument naming the column of an unclosed quote.
std::vector<std::string> split_command(const std::string& text);

// `arg` with "{port}", "{protocol}" and "{bin}" (the directory of the relaycheck binary) filled in.
std::string substitute(const std::string& arg, std::uint16_t port, const std::string& protocol);
// Whether any argument holds "{port}".
bool mentions_port(const std::vector<std::string>& argv);

}  // namespace relaycheck::harness::transport
