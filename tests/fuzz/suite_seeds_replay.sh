#!/usr/bin/env bash
# The conformance suite's conversations, written by `relaycheck run --transcript-dir`, replay
# cleanly through every protocol's session fuzz target: the seeds are valid inputs, and the
# targets' invariants hold on every conversation the suite has.
# usage: suite_seeds_replay.sh BUILD_DIR
set -euo pipefail
build=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$build/bin/relaycheck" run --quiet --report json:"$dir/run.json" --transcript-dir "$dir/seeds"
for fuzzer in "$build"/fuzz/bin/*_session_fuzz; do
  protocol=$(basename "$fuzzer" _session_fuzz)
  count=$(find "$dir/seeds/$protocol" -type f | wc -l)
  if [ "$count" -lt 10 ]; then
    echo "FAIL: only $count seeds written for $protocol" >&2
    exit 1
  fi
  "$fuzzer" "$dir/seeds/$protocol" | tail -1
done
