#!/usr/bin/env bash
# Issue 28, `fuzz --jobs 2`: two workers, each with its own launched target (two instances),
# share one findings directory: against a deviant saxion server (no-joined: a missing JOINED)
# each deviation (the missing JOINED among them) is filed once, confirmed, whichever worker met it first; an address target
# (one instance) is refused with exit 2 before anything runs.
set -euo pipefail
bin=$1
root=$2
. "$(dirname "$0")/lib.sh"
variant_server "$root" saxion

run_rc timeout 10 "$bin/relaycheck" fuzz --protocol saxion --target 127.0.0.1:9 --jobs 2 --quiet 2>"$out/err.txt"
[ "$rc" = 2 ] && grep -q -- "--jobs 2 needs a target the fuzzer launches" "$out/err.txt" ||
  { echo "FAIL: --jobs 2 on an address: exit $rc, expected 2 with the reason:"; cat "$out/err.txt"; exit 1; }

run_rc "$bin/relaycheck" fuzz --protocol saxion --target "spawn:$python $server --port 0 --variant no-joined" \
  --differential --jobs 2 --seed 1 --duration 15 --minimise-time 10 --out "$out/f" --quiet
summary=$out/f/summary.json
[ "$rc" = 1 ] || { echo "FAIL: relaycheck fuzz exited $rc, expected 1 (a finding)"; cat "$summary" 2>/dev/null; exit 1; }
[ "$(field jobs "$summary")" = 2 ] || { echo "FAIL: summary.json does not say 2 jobs:"; cat "$summary"; exit 1; }
starts=$(field target_starts "$summary")
[ "${starts:-0}" -ge 2 ] || { echo "FAIL: $starts target starts, expected one instance per worker (>= 2)"; exit 1; }
files=$(ls "$out"/f/saxion/fuzz-deviation-*.yaml | wc -l)
findings=$(grep -c '"kind": "deviation"' "$summary" || true)
[ "$files" = "$findings" ] || { echo "FAIL: $findings deviation findings but $files files:"; cat "$summary"; exit 1; }
# Each first differing reply is one finding, whichever worker met it (either may, many times).
signatures=$(grep -o 'signature: [^"]*' "$summary" | sort)
[ "$(uniq <<<"$signatures" | wc -l)" = "$(wc -l <<<"$signatures")" ] ||
  { echo "FAIL: a signature filed twice:"; echo "$signatures"; exit 1; }
grep -q 'signature: JOINED|missing' "$summary" || { echo "FAIL: not the missing JOINED:"; cat "$summary"; exit 1; }
! grep -q '"reproduced": false' "$summary" && grep -q '"reproduced": true' "$summary" ||
  { echo "FAIL: a finding was not confirmed:"; cat "$summary"; exit 1; }
echo "OK: 2 workers, $starts target starts, $findings deviation files, one per signature;" \
  "$(grep -o '"duplicates": [0-9]*' "$summary" | tail -1 | tr -d '"') met again"
