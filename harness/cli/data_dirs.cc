#include "harness/cli/data_dirs.h"

#include <cstdlib>
#include <filesystem>

#include "harness/cli/args.h"

// The data directory relative to the binaries' directory (bin/ -> ../share/relaycheck), set by
// CMake from GNUInstallDirs; relative, so the installed tree can be moved.
#ifndef RELAYCHECK_DATA_REL
#define RELAYCHECK_DATA_REL "../share/relaycheck"
#endif

namespace fs = std::filesystem;

namespace relaycheck::harness::cli {

std::string executable_dir() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : self.parent_path().string();
}

std::vector<std::string> scenario_root_candidates(const std::string& exe_dir) {
  std::vector<std::string> out;
  if (const char* env = std::getenv("RELAYCHECK_SCENARIOS"); env && *env) out.emplace_back(env);
  if (!exe_dir.empty()) {
    const fs::path bin(exe_dir);
    out.push_back((bin / RELAYCHECK_DATA_REL / "scenarios").lexically_normal().string());
    out.push_back((bin / ".." / ".." / "scenarios").lexically_normal().string());
  }
  return out;
}

std::string default_scenario_root() {
  if (const char* env = std::getenv("RELAYCHECK_SCENARIOS"); env && *env) return env;
  const auto candidates = scenario_root_candidates(executable_dir());
  std::string tried;
  for (const auto& c : candidates) {
    std::error_code ec;
    if (fs::is_directory(c, ec)) return c;
    tried += (tried.empty() ? "" : ", ") + c;
  }
  throw UsageError("no built-in scenarios found (looked in: " + (tried.empty() ? std::string("nowhere") : tried) +
                   "); set RELAYCHECK_SCENARIOS or pass --scenarios DIR");
}

}  // namespace relaycheck::harness::cli
