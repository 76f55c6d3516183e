#!/usr/bin/env bash
# `relaycheck fuzz` against the normal reference server finds nothing (no false positives) and
# exits 0, for every protocol; and the same seed gives the same cases (determinism).
set -euo pipefail
bin=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for p in saxion psuirc cs594 cop; do
  set +e
  "$bin/relaycheck" fuzz --protocol "$p" --target spawn --seed 7 --duration 3 --out "$out/$p" --quiet
  rc=$?
  set -e
  if [ "$rc" != 0 ]; then
    echo "FAIL: $p: exit $rc, expected 0; findings:"
    cat "$out/$p"/*/*.yaml 2>/dev/null || true
    exit 1
  fi
  cases=$(sed -n 's/^  "cases": \([0-9]*\),$/\1/p' "$out/$p/summary.json")
  [ "${cases:-0}" -gt 20 ] || { echo "FAIL: $p: only ${cases:-0} cases in 3s"; exit 1; }
  echo "$p: $cases cases, no findings"
done
# The same seed and case count twice: the same frames sent (the mutations do not depend on time).
for run in a b; do
  "$bin/relaycheck" fuzz --protocol saxion --target spawn --seed 11 --max-cases 300 --duration 60 --out "$out/det-$run" --quiet
done
frames_a=$(grep '"frames":' "$out/det-a/summary.json")
frames_b=$(grep '"frames":' "$out/det-b/summary.json")
[ "$frames_a" = "$frames_b" ] || { echo "FAIL: seed 11 gave different runs: $frames_a vs $frames_b"; exit 1; }
echo "OK: deterministic ($frames_a)"
