#!/usr/bin/env bash
# Network fuzzer throughput: frames/s, sessions/s and cases/s of `relaycheck fuzz` against the
# reference server spawned on loopback, per protocol (issue 8; the goal is >= 10,000 frames/s).
# usage: bench/netfuzz_bench.sh [BIN_DIR] [SECONDS]   (default build-bench/bin, 10 s each)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build-bench/bin}
seconds=${2:-10}
[ -x "$bin/relaycheck" ] && [ -x "$bin/relaycheck-server" ] || { echo "netfuzz_bench: no relaycheck in $bin" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
field() { sed -n "s/^  \"$1\": \([0-9.]*\),\{0,1\}$/\1/p" "$2"; }
printf '%-8s %12s %12s %12s %8s %9s\n' protocol frames/s sessions/s cases/s states findings
for p in saxion psuirc cs594 cop; do
  "$bin/relaycheck" fuzz --protocol "$p" --target spawn --seed 1 --duration "$seconds" --out "$out/$p" --quiet || true
  s=$out/$p/summary.json
  printf '%-8s %12.0f %12.0f %12.0f %8s %9s\n' "$p" "$(field frames_per_s "$s")" "$(field sessions_per_s "$s")" \
    "$(field cases_per_s "$s")" "$(field states "$s")" "$(grep -c '"kind"' "$s" || true)"
done
