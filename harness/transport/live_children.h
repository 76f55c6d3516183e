#pragma once
// Every process group relaycheck has launched and not yet ended, process-wide, so that an
// interrupted run (SIGINT, SIGTERM) can end them all instead of leaving them orphaned.
#include <sys/types.h>
#include <functional>
#include <string>

namespace relaycheck::harness::transport {

// Runs `spawn` (which returns the new child's pid, its group id) and records the group, both
// under the registry's lock, so end_all_children cannot miss a child started at the same time.
// After end_all_children no child may start: throws std::runtime_error("interrupted").
// `scratch_file` (the child's stderr file) is removed by end_all_children, as its owner may not
// get to run its destructor.
pid_t spawn_registered(const std::function<pid_t()>& spawn, const std::string& scratch_file = {});
// The group has ended (its owner reaped it); it is no longer ended on interrupt.
void forget_child(pid_t pgid);
// Ends every recorded group (SIGTERM, then SIGKILL after `grace_ms`) and refuses new ones.
// Safe to call from any thread, once or more.
void end_all_children(int grace_ms = 1000);
// How many groups are recorded now (for tests).
int live_children();

}  // namespace relaycheck::harness::transport
