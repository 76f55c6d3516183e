#!/usr/bin/env bash
# Two findings with the same minimised writes are one finding (issue 22): every crash of
# varying_crash_server.py ends with a different "ERROR:" line, so each has its own signature,
# but each minimises to the byte 0xFF. One finding is written; the rest are counted as its
# duplicates.
set -euo pipefail
bin=$1
. "$(dirname "$0")/lib.sh"
need_python
run_rc "$bin/relaycheck" fuzz --protocol saxion --target "spawn:$python $here/varying_crash_server.py" --seed 1 --duration 40 \
  --minimise-time 40 --out "$out" --quiet
summary=$out/summary.json
[ "$rc" = 1 ] || { echo "FAIL: exit $rc, expected 1 (a finding)"; cat "$summary" 2>/dev/null; exit 1; }
findings=$(grep -c '"kind"' "$summary" || true)
duplicates=$(field duplicates "$summary")
[ "$findings" = 1 ] || { echo "FAIL: $findings findings, expected 1:"; cat "$summary"; exit 1; }
[ "${duplicates:-0}" -ge 1 ] || { echo "FAIL: no duplicates counted (the crash was found only once?):"; cat "$summary"; exit 1; }
ls "$out"/saxion/*.yaml | wc -l | grep -qx 1 || { echo "FAIL: more than one scenario written:"; ls "$out"/saxion; exit 1; }
grep -q 'hex: "ff"' "$out"/saxion/fuzz-crash-1.yaml || { echo "FAIL: not minimised to the byte 0xFF:"; cat "$out"/saxion/fuzz-crash-1.yaml; exit 1; }
echo "OK: 1 finding, $duplicates duplicates with other signatures and the same minimised writes"
