#include "harness/added_scenarios.h"

#include <algorithm>
#include <filesystem>

#include "harness/loader.h"

namespace fs = std::filesystem;

namespace relaycheck::harness {

namespace {

bool is_yaml(const fs::path& p) { return p.extension() == ".yaml" || p.extension() == ".yml"; }

// The YAML files under a directory, sorted, leaving out profiles/ (targets, not scenarios).
std::vector<fs::path> yaml_files_under(const fs::path& dir) {
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
    if (it->is_directory() && it->path().filename() == "profiles") {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && is_yaml(it->path())) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

Suite load_suite_with(const std::string& root, const std::vector<std::string>& protocols,
                      const std::vector<std::string>& added) {
  Suite suite = load_suite(root, protocols);
  if (added.empty()) return suite;
  const std::size_t builtin = suite.scenarios.size();
  for (const auto& path : added) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      const auto files = yaml_files_under(path);
      if (files.empty()) throw ScenarioError({path, 0, 0}, "--scenarios: no .yaml files in this directory");
      for (const auto& f : files) load_file(f.string(), f.lexically_normal().string(), suite);
    } else if (fs::is_regular_file(path, ec)) {
      load_file(path, path, suite);
    } else {
      throw ScenarioError({path, 0, 0}, "--scenarios: no such file or directory");
    }
  }
  if (!protocols.empty())
    suite.scenarios.erase(
        std::remove_if(suite.scenarios.begin() + static_cast<std::ptrdiff_t>(builtin), suite.scenarios.end(),
                       [&](const Scenario& s) {
                         return std::find(protocols.begin(), protocols.end(), s.protocol) == protocols.end();
                       }),
        suite.scenarios.end());
  check_suite(suite);
  return suite;
}

}  // namespace relaycheck::harness
