#!/usr/bin/env bash
# Issue 28: `relaycheck fuzz --differential` against a deviant variant server (tests/variants/
# PROTOCOL/server.py --variant TWIST, saxion unless --protocol says otherwise) finds a `deviation`
# with a fixed seed within 60 s, whose signature (first differing reply: frame kind and field)
# matches SIGNATURE, reproduced by the fuzzer; the written scenario fails on the deviant server and
# passes on the reference server.
# Usage: differential_finds.sh BIN ROOT [--protocol P] TWIST SIGNATURE_REGEX [extra fuzz flags, e.g. --strict]
set -euo pipefail
bin=$1
root=$2
shift 2
protocol=saxion
if [ "${1:-}" = --protocol ]; then
  protocol=$2
  shift 2
fi
twist=$1
want=$2
shift 2
. "$(dirname "$0")/lib.sh"
variant_server "$root" "$protocol"

run_rc "$bin/relaycheck" fuzz --protocol "$protocol" --target "spawn:$python $server --port 0 --variant $twist" --differential "$@" \
  --seed 1 --duration 60 --max-findings 1 --minimise-time 15 --out "$out/f" --quiet
summary=$out/f/summary.json
[ "$rc" = 1 ] || { echo "FAIL: relaycheck fuzz exited $rc, expected 1 (a finding)"; cat "$summary" 2>/dev/null; exit 1; }
grep -q '"kind": "deviation"' "$summary" || { echo "FAIL: no deviation finding:"; cat "$summary"; exit 1; }
grep -Eq "signature: ($want)\"" "$summary" || { echo "FAIL: not the deviation of $twist (signature $want):"; cat "$summary"; exit 1; }
grep -q '"reproduced": true' "$summary" || { echo "FAIL: the fuzzer's own replays did not confirm it:"; cat "$summary"; exit 1; }
found=$(ls "$out"/f/"$protocol"/fuzz-deviation-*.yaml | head -1)

cat >"$out/deviant.yaml" <<YAML
name: $protocol-$twist
launch:
  command: ["$python", "$server", "--port", "0", "--variant", "$twist"]
  ready: {stdout: "listening on"}
  start_timeout: 10s
YAML
run_rc "$bin/relaycheck" run --scenarios "$out/f" --filter "*.fuzz.*" --protocol "$protocol" --profile "$out/deviant.yaml" --quiet >"$out/run.txt" 2>&1
[ "$rc" = 1 ] || { echo "FAIL: the finding did not fail on the $twist server (exit $rc):"; cat "$out/run.txt" "$found"; exit 1; }
"$bin/relaycheck" run --scenarios "$out/f" --filter "*.fuzz.*" --protocol "$protocol" --target spawn --quiet >"$out/run.txt" 2>&1 ||
  { echo "FAIL: the finding fails on the reference server:"; cat "$out/run.txt" "$found"; exit 1; }
echo "OK: $twist: $(grep -o '"found_after_s": [0-9.]*' "$summary"), $(grep -o 'signature: [^"]*' "$summary"), fails on the deviant server, passes on the reference"
