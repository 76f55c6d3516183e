#pragma once
// A child process with its stdout on a pipe and its stderr in a temporary file, in its own
// process group (recorded in live_children.h until it ends), terminated (SIGTERM, then SIGKILL)
// when the object goes away.
#include <sys/types.h>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace relaycheck::harness {

class ChildProcess {
 public:
  // Throws std::runtime_error when the program cannot be started.
  // With `pipe_stdin`, write_stdin feeds the child's standard input; else it reads /dev/null.
  explicit ChildProcess(const std::vector<std::string>& argv, const std::string& cwd = {},
                        const std::vector<std::pair<std::string, std::string>>& env = {}, bool pipe_stdin = false);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The next line of stdout, or nothing on timeout or EOF.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);
  // Nothing while running; else how it ended ("exited with code 3", "killed by signal 11").
  std::optional<std::string> exit_status();
  // False when the child no longer reads its input (or stdin is not a pipe).
  bool write_stdin(const std::string& bytes);
  // The last lines the child wrote to stderr.
  std::string stderr_tail(std::size_t max_lines = 10) const;
  // Crash evidence: the first `head` and the last `tail` stderr lines, with "... N lines
  // omitted ..." between (a Java trace keeps its exception line, a sanitizer its summary).
  std::string stderr_excerpt(std::size_t head = 20, std::size_t tail = 20) const;
  void terminate(std::chrono::milliseconds grace = std::chrono::milliseconds(1000));
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int stdin_fd_ = -1;
  std::string stdout_buffer_;
  std::string stderr_path_;
  std::optional<std::string> ended_;
  bool group_ended_ = false;
};

}  // namespace relaycheck::harness
