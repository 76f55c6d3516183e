#!/usr/bin/env bash
# `relaycheck fuzz --target HOST:PORT` against a server it did not start, which aborts on its
# first "OK BCST": the fuzzer reports a crash (the server then refuses connections), writes the
# finding unminimised (nothing can be re-run against a dead address) and exits 1.
set -euo pipefail
bin=$1
faulty=$2
. "$(dirname "$0")/lib.sh"
"$faulty" --fault crash >"$out/stdout" 2>"$out/stderr" &
pid=$!
at_exit 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null'
for _ in $(seq 100); do grep -q "listening on" "$out/stdout" 2>/dev/null && break; sleep 0.05; done
address=$(sed -n 's/^listening on //p' "$out/stdout")
[ -n "$address" ] || { echo "FAIL: the faulty server did not start"; exit 1; }
run_rc "$bin/relaycheck" fuzz --protocol saxion --target "$address" --seed 3 --duration 30 --max-findings 1 --out "$out/f" --quiet
[ "$rc" = 1 ] || { echo "FAIL: exit $rc, expected 1"; exit 1; }
grep -q '"kind": "crash"' "$out/f/summary.json" || { echo "FAIL: no crash in the summary"; cat "$out/f/summary.json"; exit 1; }
grep -q 'refuses connections' "$out/f/summary.json" || { echo "FAIL: not seen as refusing"; cat "$out/f/summary.json"; exit 1; }
ls "$out"/f/saxion/fuzz-crash-1.yaml >/dev/null
# And with the server gone, the target cannot be used at all: a target error, exit 2.
run_rc "$bin/relaycheck" fuzz --protocol saxion --target "$address" --seed 3 --duration 5 --out "$out/g" --quiet 2>"$out/err"
[ "$rc" = 2 ] || { echo "FAIL: against a dead address: exit $rc, expected 2"; cat "$out/err"; exit 1; }
echo "OK"
