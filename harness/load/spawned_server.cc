#include "harness/load/spawned_server.h"

#include <fstream>
#include <sstream>

#include "harness/target.h"

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

SpawnedServer::SpawnedServer(const std::vector<std::string>& argv, std::chrono::milliseconds start_timeout) {
  try {
    child_ = std::make_unique<ChildProcess>(argv);
  } catch (const std::exception& e) {
    throw TargetError(e.what());
  }
  const std::string prefix = "listening on ";
  const auto deadline = std::chrono::steady_clock::now() + start_timeout;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    auto line = left.count() > 0 ? child_->read_line(left) : std::nullopt;
    if (!line) {
      const auto status = child_->exit_status();
      throw TargetError(argv.front() + " did not start" + (status ? " (" + *status + ")" : std::string()) +
                        ": no '" + prefix + "HOST:PORT' line; stderr: " + child_->stderr_tail(3));
    }
    const auto at = line->find(prefix);
    if (at == std::string::npos) continue;
    auto hp = proto::parse_host_port(line->substr(at + prefix.size()));
    if (!hp) throw TargetError(argv.front() + ": cannot read the address in '" + *line + "'");
    address_ = *hp;
    return;
  }
}

std::optional<std::string> SpawnedServer::ended() {
  auto status = child_->exit_status();
  if (!status) return std::nullopt;
  const auto tail = child_->stderr_tail();
  return *status + (tail.empty() ? "" : "; its last stderr lines:\n" + tail);
}

}  // namespace relaycheck::harness::load
