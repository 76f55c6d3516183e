#!/usr/bin/env bash
# Must show (issue 22): `relaycheck fuzz` against a conforming saxion server that dies on the byte
# 0xFF (tests/variants/saxion/server.py --variant crash-byte, launched by spawn:CMD) finds the
# crash, replays the minimised finding before reporting it (`reproduced`), and `relaycheck run`
# of the written scenario against the same server (a profile) fails 10 times out of 10, while
# the same server without the twist passes it.
set -euo pipefail
bin=$1
root=$2
. "$(dirname "$0")/lib.sh"
variant_server "$root" saxion

run_rc "$bin/relaycheck" fuzz --protocol saxion --target "spawn:$python $server --port 0 --variant crash-byte" --seed 1 \
  --duration 60 --max-findings 1 --minimise-time 20 --out "$out/f" --quiet
summary=$out/f/summary.json
[ "$rc" = 1 ] || { echo "FAIL: relaycheck fuzz exited $rc, expected 1 (a finding)"; cat "$summary" 2>/dev/null; exit 1; }
grep -q '"kind": "crash"' "$summary" || { echo "FAIL: no crash finding:"; cat "$summary"; exit 1; }
grep -q 'CrashByteError' "$summary" || { echo "FAIL: not the crash-byte twist:"; cat "$summary"; exit 1; }
grep -q '"reproduced": true' "$summary" || { echo "FAIL: the fuzzer's own replay did not fail:"; cat "$summary"; exit 1; }
found=$(ls "$out"/f/saxion/fuzz-crash-*.yaml | head -1)
# The scenario does not end at the send: it ends with the check that caught the crash.
tail -1 "$found" | grep -q 'expect: {on: fresh' || { echo "FAIL: the finding does not end with a fresh connection's check:"; cat "$found"; exit 1; }

profile() {
  cat <<YAML
name: saxion-variant$1
launch:
  command: ["$python", "$server", "--port", "0"$2]
  ready: {stdout: "listening on"}
  start_timeout: 10s
YAML
}
profile -crash-byte ', "--variant", "crash-byte"' >"$out/crash-byte.yaml"
profile "" "" >"$out/plain.yaml"
for i in $(seq 10); do
  run_rc "$bin/relaycheck" run --scenarios "$out/f" --filter "*.fuzz.*" --protocol saxion --profile "$out/crash-byte.yaml" --quiet >"$out/run.txt" 2>&1
  [ "$rc" = 1 ] && grep -q 'target crashed' "$out/run.txt" ||
    { echo "FAIL: replay $i against the crash-byte server exited $rc without the crash:"; cat "$out/run.txt"; cat "$found"; exit 1; }
done
"$bin/relaycheck" run --scenarios "$out/f" --filter "*.fuzz.*" --protocol saxion --profile "$out/plain.yaml" --quiet >"$out/run.txt" 2>&1 ||
  { echo "FAIL: the finding fails against the server without the twist:"; cat "$out/run.txt"; cat "$found"; exit 1; }
echo "OK: found in $(grep -o '"found_after_s": [0-9.]*' "$summary"), $(grep -c -- '- send:' "$found") send steps, reproduced by the fuzzer, replays fail 10/10, the plain server passes"
