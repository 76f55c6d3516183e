#pragma once
// SIGINT and SIGTERM: relaycheck ends every process group it launched (live_children.h), lets
// the running command write what it has as an incomplete report, and exits 130 or 143.
#include <functional>

namespace relaycheck::harness::transport {

// Blocks SIGINT and SIGTERM in the calling thread and every thread it starts later, and starts
// the thread that waits for them. Call first thing in main, before any other thread exists.
void watch_interrupts();

// What the running command does after its children are ended, before the exit: write its
// partial report. Runs on the signal thread with the signal number; replaces the previous one.
void on_interrupt(std::function<void(int signal)> write_partial);

// True from the moment a signal arrived: results after it are the interrupt's doing (killed
// servers), not the target's, and the command must not report them as complete.
bool interrupted();
// For a command that finished while an interrupt is being handled: waits for the signal thread
// to write the incomplete report and end the process.
[[noreturn]] void await_interrupt_exit();

// on_interrupt for one scope, whose variables the handler reads. Leaving the scope clears it,
// except after a signal: the work may throw once the signal has ended its target, and the
// handler still needs the scope, so leaving then waits for the signal thread to end the process.
class InterruptScope {
 public:
  explicit InterruptScope(std::function<void(int signal)> write_partial) { on_interrupt(std::move(write_partial)); }
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;
};

// The exit code for an interrupt by `signal`: 128 + its number (130 SIGINT, 143 SIGTERM).
int interrupt_exit_code(int signal);

}  // namespace relaycheck::harness::transport
