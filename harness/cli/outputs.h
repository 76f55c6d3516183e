#pragma once
// Output paths made ready before a run starts (parent directories created, write access
// checked), so a bad path costs a second, not a whole run; and JUnit file attributes made
// relative to a root a CI page links from (--junit-root).
#include <string>

#include "reports/result.h"

namespace relaycheck::harness::cli {

// UsageError naming `flag`, the path and the reason when `path` cannot be written.
void prepare_output_file(const std::string& flag, const std::string& path);
void prepare_output_dir(const std::string& flag, const std::string& dir);

// A copy of `run` whose results' files are relative to `root`. A result's file is a path as
// loaded: an added file as given, a built-in one relative to `scenario_root`.
reports::RunResult files_relative_to(const reports::RunResult& run, const std::string& root,
                                     const std::string& scenario_root);

}  // namespace relaycheck::harness::cli
