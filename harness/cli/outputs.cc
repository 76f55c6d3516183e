#include "harness/cli/outputs.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "harness/cli/args.h"

namespace fs = std::filesystem;

namespace relaycheck::harness::cli {

namespace {

[[noreturn]] void cannot(const std::string& flag, const std::string& path, const std::string& why) {
  throw UsageError(flag + ": cannot write '" + path + "': " + why);
}

}  // namespace

void prepare_output_dir(const std::string& flag, const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) cannot(flag, dir, ec.message());
  if (!fs::is_directory(dir, ec)) cannot(flag, dir, "not a directory");
  if (::access(dir.c_str(), W_OK | X_OK) != 0) cannot(flag, dir, std::strerror(errno));
}

void prepare_output_file(const std::string& flag, const std::string& path) {
  const fs::path p(path);
  const std::string parent = p.parent_path().empty() ? "." : p.parent_path().string();
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) cannot(flag, path, "cannot create directory '" + parent + "': " + ec.message());
  if (!fs::is_directory(parent, ec)) cannot(flag, path, "'" + parent + "' is not a directory");
  if (fs::is_directory(p, ec)) cannot(flag, path, "it is a directory");
  // Reports are written to a temporary file beside the target, then renamed: the directory
  // must be writable, and an existing file too.
  if (::access(parent.c_str(), W_OK | X_OK) != 0) cannot(flag, path, std::strerror(errno));
  if (fs::exists(p, ec) && ::access(path.c_str(), W_OK) != 0) cannot(flag, path, std::strerror(errno));
}

reports::RunResult files_relative_to(const reports::RunResult& run, const std::string& root,
                                     const std::string& scenario_root) {
  reports::RunResult out = run;
  const fs::path base = fs::weakly_canonical(fs::absolute(root));
  for (auto& r : out.results) {
    if (r.file.empty()) continue;
    std::error_code ec;
    fs::path file = fs::exists(r.file, ec) ? fs::path(r.file) : fs::path(scenario_root) / r.file;
    file = fs::weakly_canonical(fs::absolute(file), ec);
    if (!ec) r.file = file.lexically_relative(base).string();
  }
  return out;
}

}  // namespace relaycheck::harness::cli
