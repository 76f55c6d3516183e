#pragma once
// A small command-line parser: "--name value", "--name=value" and boolean "--flag", with
// one-line errors for unknown or incomplete flags.
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace relaycheck::harness::cli {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  // `with_value`: flags that take a value (may repeat); `flags`: boolean flags.
  Args(const std::vector<std::string>& argv, const std::set<std::string>& with_value, const std::set<std::string>& flags);

  bool has(const std::string& name) const { return values_.count(name) || set_.count(name); }
  std::vector<std::string> all(const std::string& name) const;
  std::string one(const std::string& name, const std::string& fallback) const;  // the last given
  int integer(const std::string& name, int fallback, int min, int max) const;

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::set<std::string> set_;
};

}  // namespace relaycheck::harness::cli
