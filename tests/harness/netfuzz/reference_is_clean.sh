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
# The same seed and case count: the same frames sent (the mutations do not depend on time).
# What the cases see can: every probe's reply can also be the reply to a fuzzed frame (saxion's
# FAIL00 answers any unknown command), and when a fuzzed frame's reply is taken for the probe's,
# the rest of that connection's work may interleave with the next connection's differently
# (docs/fuzzing.md). So a third run decides when two differ: it must repeat one of them. A
# generator that depended on time would give three different runs.
frames_of() { grep '"frames":' "$out/det-$1/summary.json"; }
for run in a b; do
  "$bin/relaycheck" fuzz --protocol saxion --target spawn --seed 11 --max-cases 300 --duration 60 --out "$out/det-$run" --quiet
done
if [ "$(frames_of a)" != "$(frames_of b)" ]; then
  "$bin/relaycheck" fuzz --protocol saxion --target spawn --seed 11 --max-cases 300 --duration 60 --out "$out/det-c" --quiet
  if [ "$(frames_of c)" != "$(frames_of a)" ] && [ "$(frames_of c)" != "$(frames_of b)" ]; then
    echo "FAIL: seed 11 gave three different runs: $(frames_of a) / $(frames_of b) / $(frames_of c)"
    exit 1
  fi
  echo "note: one run of seed 11 differed (an interleaving race, see docs/fuzzing.md): $(frames_of a) vs $(frames_of b)"
fi
echo "OK: deterministic ($(frames_of a))"
