#!/usr/bin/env bash
# Network fuzzer throughput against the Python variant servers whose twists used to make
# `relaycheck fuzz` wait out timeouts (issue 22): cop accepting empty nicknames (its old LOGIN ""
# probe was never refused; the goal is >= 100 frames/s) and cs594 closing on an unknown op. Per
# server: frames/s, cases/s, findings, and the barrier notes (probe kinds switched to silence,
# the silence windows used).
# usage: bench/netfuzz_variants_bench.sh [BIN_DIR] [SECONDS]   (default build/bin, 10 s each)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/bin}
seconds=${2:-10}
[ -x "$bin/relaycheck" ] || { echo "netfuzz_variants_bench: no relaycheck in $bin" >&2; exit 2; }
python=$(command -v python3) || { echo "netfuzz_variants_bench: no python3" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
field() { sed -n "s/^  \"$1\": \([0-9.]*\),\{0,1\}$/\1/p" "$2"; }
printf '%-28s %10s %9s %9s %9s\n' server frames/s cases/s findings switches
run() {  # name protocol twist
  local name=$1 protocol=$2 twist=$3
  "$bin/relaycheck" fuzz --protocol "$protocol" --seed 1 --duration "$seconds" --out "$out/$name" --quiet \
    --target "spawn:$python $PWD/tests/variants/$protocol/server.py --port 0 --variant $twist" || true
  local s=$out/$name/summary.json
  printf '%-28s %10.0f %9.0f %9s %9s\n' "$name" "$(field frames_per_s "$s")" "$(field cases_per_s "$s")" \
    "$(grep -c '"kind"' "$s" || true)" "$(field barrier_switches "$s")"
  sed -n '/"barrier_notes"/,/\]/p' "$s" | sed -n 's/^ *"\(.*\)",\{0,1\}$/    \1/p'
}
run cop-empty-nick cop empty-nick
run cs594-unknown-op-close cs594 unknown-op-close
