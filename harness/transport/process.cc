#include "harness/transport/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "harness/transport/live_children.h"

extern char** environ;

namespace relaycheck::harness {

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::string& cwd,
                           const std::vector<std::pair<std::string, std::string>>& env, bool pipe_stdin) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  int in_fds[2] = {-1, -1};
  if (pipe_stdin && ::pipe2(in_fds, O_CLOEXEC) != 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  char tmpl[] = "/tmp/relaycheck-stderr-XXXXXX";
  int err_fd = ::mkstemp(tmpl);
  if (err_fd < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw std::runtime_error(std::string("mkstemp: ") + std::strerror(errno));
  }
  stderr_path_ = tmpl;

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);
  if (pipe_stdin)
    posix_spawn_file_actions_adddup2(&actions, in_fds[0], STDIN_FILENO);
  else
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  // The environment: ours, with the given variables replaced or added.
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    const std::string entry = *e;
    bool replaced = false;
    for (const auto& [k, v] : env) replaced = replaced || entry.rfind(k + "=", 0) == 0;
    if (!replaced) env_strings.push_back(entry);
  }
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGINT);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  // relaycheck blocks SIGINT/SIGTERM for its signal-watching thread; the child must not inherit that.
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int rc = 0;
  std::string refused;
  try {
    transport::spawn_registered(
        [&] {
          rc = ::posix_spawnp(&pid_, args[0], &actions, &attr, args.data(), envp.data());
          return rc == 0 ? pid_ : pid_t{-1};
        },
        stderr_path_);
  } catch (const std::exception& e) {
    refused = e.what();
    rc = -1;
  }
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(fds[1]);
  ::close(err_fd);
  if (pipe_stdin) ::close(in_fds[0]);
  if (rc != 0) {
    ::close(fds[0]);
    if (pipe_stdin) ::close(in_fds[1]);
    ::unlink(stderr_path_.c_str());
    pid_ = -1;
    throw std::runtime_error("cannot start '" + argv[0] + "': " + (refused.empty() ? std::strerror(rc) : refused));
  }
  stdout_fd_ = fds[0];
  stdin_fd_ = in_fds[1];
}

bool ChildProcess::write_stdin(const std::string& bytes) {
  if (stdin_fd_ < 0) return false;
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(stdin_fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

ChildProcess::~ChildProcess() {
  terminate();
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
  if (stdin_fd_ >= 0) ::close(stdin_fd_);
  if (!stderr_path_.empty()) ::unlink(stderr_path_.c_str());
}

std::optional<std::string> ChildProcess::read_line(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (auto nl = stdout_buffer_.find('\n'); nl != std::string::npos) {
      std::string line = stdout_buffer_.substr(0, nl);
      stdout_buffer_.erase(0, nl + 1);
      return line;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || stdout_fd_ < 0) return std::nullopt;
    pollfd p{stdout_fd_, POLLIN, 0};
    const int n = ::poll(&p, 1, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    char buf[4096];
    const ssize_t got = ::read(stdout_fd_, buf, sizeof buf);
    if (got <= 0) return std::nullopt;
    stdout_buffer_.append(buf, static_cast<std::size_t>(got));
  }
}

std::optional<std::string> ChildProcess::exit_status() {
  if (ended_ || pid_ < 0) return ended_;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r != pid_) return std::nullopt;
  if (WIFEXITED(status))
    ended_ = "exited with code " + std::to_string(WEXITSTATUS(status));
  else if (WIFSIGNALED(status))
    ended_ = "killed by signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
  else
    ended_ = "ended";
  return ended_;
}

std::string ChildProcess::stderr_tail(std::size_t max_lines) const {
  std::ifstream in(stderr_path_);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
    if (lines.size() > max_lines) lines.erase(lines.begin());
  }
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::string ChildProcess::stderr_excerpt(std::size_t head, std::size_t tail) const {
  std::ifstream in(stderr_path_);
  std::string out;
  std::deque<std::string> last;
  std::size_t total = 0;
  for (std::string line; std::getline(in, line); ++total) {
    if (total < head) {
      out += line + "\n";
      continue;
    }
    last.push_back(std::move(line));
    if (last.size() > tail) last.pop_front();
  }
  const std::size_t omitted = total - std::min(total, head) - last.size();
  if (omitted > 0) out += "... " + std::to_string(omitted) + " lines omitted ...\n";
  for (const auto& l : last) out += l + "\n";
  return out;
}

void ChildProcess::terminate(std::chrono::milliseconds grace) {
  if (pid_ < 0 || group_ended_) return;
  group_ended_ = true;
  if (exit_status()) {
    ::kill(-pid_, SIGKILL);  // what the ended child left in its group
    transport::forget_child(pid_);
    return;
  }
  ::kill(-pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    if (exit_status()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (!exit_status()) {
    ::kill(-pid_, SIGKILL);
    int status;
    ::waitpid(pid_, &status, 0);
    ended_ = "killed by relaycheck";
  }
  ::kill(-pid_, SIGKILL);  // anything the child left in its group
  transport::forget_child(pid_);
}

}  // namespace relaycheck::harness
