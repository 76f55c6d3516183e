#!/usr/bin/env bash
# Must show (issue 8): `relaycheck fuzz` against a spawned planted server finds the one-frame
# crash; the scenario it writes is at most a few frames, fails against the planted server 10
# times out of 10, and passes against the normal server.
set -euo pipefail
bin=$1
. "$(dirname "$0")/lib.sh"
need_planted "${2:-}"

run_rc "$bin/relaycheck" fuzz --protocol saxion --target "spawn:$planted" --seed 1 --duration 120 --max-findings 1 \
  --out "$out" --quiet
[ "$rc" = 1 ] || { echo "FAIL: relaycheck fuzz exited $rc, expected 1 (a finding)"; exit 1; }
found=$(ls "$out"/saxion/fuzz-crash-*.yaml 2>/dev/null | head -1)
[ -n "$found" ] || { echo "FAIL: no crash scenario written under $out/saxion"; ls -R "$out"; exit 1; }
grep -q '255-byte payload' "$found" || { echo "FAIL: not the one-frame bug:"; cat "$found"; exit 1; }
grep -q '"findings"' "$out/summary.json" || { echo "FAIL: no summary.json"; exit 1; }
writes=$(finding_writes "$found")
[ "$writes" -ge 1 ] && [ "$writes" -le 3 ] || { echo "FAIL: $writes frames, expected 1..3:"; cat "$found"; exit 1; }

for i in $(seq 10); do
  run_rc "$bin/relaycheck" run --scenarios "$out" --filter "*.fuzz.*" --protocol saxion --target spawn --server-bin "$planted" --quiet >"$out/run.txt"
  [ "$rc" = 1 ] && grep -q 'target crashed' "$out/run.txt" ||
    { echo "FAIL: replay $i against the planted server exited $rc without the crash:"; cat "$out/run.txt"; exit 1; }
done
"$bin/relaycheck" run --scenarios "$out" --filter "*.fuzz.*" --protocol saxion --target spawn --server-bin "$bin/relaycheck-server" --quiet >"$out/run.txt" ||
  { echo "FAIL: the scenario fails against the normal server:"; cat "$out/run.txt"; exit 1; }
echo "OK: found in $(grep -o '"found_after_s": [0-9.]*' "$out/summary.json"), $writes frame(s), reproduced 10/10, passes the normal server"
