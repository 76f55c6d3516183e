#include <fstream>
#include <iostream>
#include <sstream>

#include "harness/cli/args.h"
#include "harness/cli/commands.h"
#include "harness/cli/outputs.h"
#include "reports/writers.h"

namespace relaycheck::harness::cli {

// relaycheck report --html OUT RUN.json...: one page from earlier runs' JSON reports, with a
// cross-target matrix when there are several.
int report_command(const Args& args) {
  const std::string out_path = args.one("html", "");
  const std::vector<std::string>& inputs = args.positional();
  if (out_path.empty()) throw UsageError("report: --html OUT is required");
  if (inputs.empty()) throw UsageError("report: give one or more JSON reports of earlier runs");
  prepare_output_file("--html", out_path);
  std::vector<reports::RunResult> runs;
  for (const auto& path : inputs) {
    std::ifstream in(path);
    if (!in) throw UsageError("report: cannot read '" + path + "'");
    std::stringstream text;
    text << in.rdbuf();
    runs.push_back(reports::read_json(text.str(), path));
  }
  std::ostringstream page;
  reports::write_html(runs, page);
  reports::write_atomically(out_path, page.str());
  std::cerr << "relaycheck: wrote " << out_path << " from " << runs.size() << " run(s)\n";
  return kExitOk;
}

}  // namespace relaycheck::harness::cli
