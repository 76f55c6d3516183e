#pragma once
// A command's parsed flags. Boost.Program_options does the parsing, from the command's row of
// the flag table (flags.h); errors are one-line UsageErrors naming the flag and the reason.
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/cli/flags.h"

namespace boost::program_options {
class options_description;
}

namespace relaycheck::harness::cli {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The parser's own option table for a command, made from its flags.
boost::program_options::options_description options_of(const CommandSpec& spec);

class Args {
 public:
  Args(const std::vector<std::string>& argv, const CommandSpec& spec);

  // Each asks for a flag of the command's table; another name is a bug (std::logic_error), so a
  // flag read in code but missing from the table (and so from --help) cannot pass a test.
  bool has(const std::string& name) const;
  std::vector<std::string> all(const std::string& name) const;
  std::string one(const std::string& name, const std::string& fallback) const;  // the last given
  int integer(const std::string& name, int fallback, int min, int max) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::set<std::string> set_;
  std::vector<std::string> positional_;
  std::set<std::string> known_;
  std::string command_;
  void check_known(const std::string& name) const;
};

}  // namespace relaycheck::harness::cli
