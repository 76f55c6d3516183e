#!/usr/bin/env bash
# The main job's run (the whole conformance suite, `slow` included, against the spawned reference
# server; scripts/conformance) before and after issue 25: timers at the spec's values (scale 1)
# and divided by the default scale (60), side by side, with each run's slowest scenario.
# usage: bench/timescale_bench.sh [BIN_DIR] [SCALE]   (default build/bin, 60)
# BENCH_SKIP_REAL=1 skips the scale-1 run (about 7 minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/bin}
scale=${2:-60}
[ -x "$bin/relaycheck" ] && [ -x "$bin/relaycheck-server" ] || { echo "timescale_bench: no relaycheck in $bin" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
jobs=$(( $(nproc 2>/dev/null || echo 2) * 6 ))
run() {  # run SCALE: seconds, results and slowest scenario of one main-job run
  local s=$1 started=$SECONDS
  "$bin/relaycheck" run --target spawn --jobs "$jobs" --time-scale "$s" --quiet --report "json:$out/$s.json" >/dev/null 2>&1 || true
  python3 - "$out/$s.json" "$s" $((SECONDS - started)) <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
r = d["results"]
slow = max(r, key=lambda x: x["duration_ms"])
passed = sum(x["status"] == "pass" for x in r)
print(f"scale {sys.argv[2]:>4}: {float(sys.argv[3]):6.0f} s wall, {d['duration_ms'] / 1000:6.1f} s run, "
      f"{passed}/{len(r)} passed, slowest {slow['id']} {slow['duration_ms'] / 1000:.1f} s; clock: {d.get('clock')}")
PY
}
echo "main job (relaycheck run --target spawn --jobs $jobs, whole suite), before and after:"
[ "${BENCH_SKIP_REAL:-0}" = 1 ] || run 1
run "$scale"
