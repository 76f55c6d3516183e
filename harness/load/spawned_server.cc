#include "harness/load/spawned_server.h"

#include <fstream>
#include <sstream>

namespace relaycheck::harness::load {

std::optional<std::uint64_t> proc_status_kib(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) != 0) continue;
    std::istringstream fields(line.substr(field.size() + 1));
    std::uint64_t kib = 0;
    if (fields >> kib) return kib;
  }
  return std::nullopt;
}

namespace {

LaunchSpec printing_its_address(const std::vector<std::string>& argv, std::chrono::milliseconds start_timeout) {
  LaunchSpec spec;
  spec.command = argv;
  spec.ready_stdout = "listening on ";
  spec.start_timeout = start_timeout;
  return spec;
}

}  // namespace

std::vector<std::string> reference_server_argv(const std::string& server_bin, const std::string& protocol,
                                               const std::vector<std::string>& extra) {
  std::vector<std::string> argv = {server_bin,    "--protocol",  protocol, "--listen",
                                   "127.0.0.1:0", "--log-level", "error"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

SpawnedServer::SpawnedServer(const std::vector<std::string>& argv, std::chrono::milliseconds start_timeout)
    : SpawnedServer(printing_its_address(argv, start_timeout),
                    {"", argv.empty() ? "the server" : argv.front(), {}, {}, true, false}) {}

SpawnedServer::SpawnedServer(const LaunchSpec& spec, const transport::LaunchRequest& request)
    : server_(std::make_unique<transport::Launched>(spec, request)) {}

}  // namespace relaycheck::harness::load
