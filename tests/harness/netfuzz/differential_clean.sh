#!/usr/bin/env bash
# Issue 28: `relaycheck fuzz --differential` finds no deviation in a short run against the
# reference server itself, nor against TARGET when given (an allowed variant: a server the spec
# allows): tests/variants/PROTOCOL/server.py with VARIANT-ARGS, "-" for none (its conforming form).
# Usage: differential_clean.sh BIN ROOT SECONDS [--protocol P (default saxion)] [VARIANT-ARGS... | -]
set -euo pipefail
bin=$1
root=$2
seconds=$3
shift 3
protocol=saxion
if [ "${1:-}" = --protocol ]; then
  protocol=$2
  shift 2
fi
. "$(dirname "$0")/lib.sh"

check() {
  local name=$1 target=$2
  run_rc "$bin/relaycheck" fuzz --protocol "$protocol" --target "$target" --differential --seed 1 --duration "$seconds" \
    --minimise-time 10 --out "$out/$name" --quiet
  [ "$rc" = 0 ] || { echo "FAIL: $name: relaycheck fuzz exited $rc, expected 0 (no finding):"; cat "$out/$name/summary.json"; exit 1; }
  cases=$(field cases "$out/$name/summary.json")
  [ "${cases:-0}" -gt 50 ] || { echo "FAIL: $name: only ${cases:-0} cases ran"; exit 1; }
  echo "$name: $cases cases, no deviation ($(field unconfirmed_deviations "$out/$name/summary.json") unconfirmed)"
}
check reference spawn
if [ $# -gt 0 ]; then
  variant_server "$root" "$protocol"
  [ "$1" = - ] && shift
  check "variant" "spawn:$python $server --port 0${*:+ $*}"
fi
echo "OK"
