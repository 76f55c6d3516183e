#!/usr/bin/env bash
# The hang oracle on a server nobody on the team's fuzzer knows (issue 22): hang_byte_server.py
# (the saxion variant server that stops reading every connection after a 0xFE, still greeting new
# ones) is found as a hang, minimised to the byte, replayed by the fuzzer (reproduced), and
# `relaycheck run` of the finding fails against it twice out of twice and passes against the
# saxion server without the twist. The byte ends inside a line, so no probe follows it: the
# hang shows when the connection is not closed after its end-of-file and a fresh connection's
# probe, answered before, goes unanswered although the server greets it.
set -euo pipefail
bin=$1
root=$2
. "$(dirname "$0")/lib.sh"
need_python
run_rc "$bin/relaycheck" fuzz --protocol saxion --target "spawn:$python $here/hang_byte_server.py --port 0" --seed 1 --duration 60 \
  --max-findings 1 --minimise-time 40 --out "$out/f" --quiet
summary=$out/f/summary.json
[ "$rc" = 1 ] || { echo "FAIL: exit $rc, expected 1 (a finding)"; cat "$summary" 2>/dev/null; exit 1; }
grep -q '"kind": "hang"' "$summary" || { echo "FAIL: no hang finding:"; cat "$summary"; exit 1; }
grep -q '"reproduced": true' "$summary" || { echo "FAIL: the fuzzer's replay did not fail:"; cat "$summary" "$out"/f/saxion/*.yaml; exit 1; }
found=$(ls "$out"/f/saxion/fuzz-hang-*.yaml | head -1)
grep -q 'hex: "fe"' "$found" || { echo "FAIL: not minimised to the byte 0xFE:"; cat "$found"; exit 1; }
profile() {
  printf 'name: %s\nlaunch:\n  command: [%s]\n  ready: {stdout: "listening on"}\n  start_timeout: 10s\n' "$1" "$2"
}
profile hang-byte "\"$python\", \"$here/hang_byte_server.py\", \"--port\", \"0\"" >"$out/hang.yaml"
profile plain "\"$python\", \"$root/tests/variants/saxion/server.py\", \"--port\", \"0\"" >"$out/plain.yaml"
for i in 1 2; do
  run_rc "$bin/relaycheck" run --scenarios "$out/f" --filter "*.fuzz.*" --protocol saxion --profile "$out/hang.yaml" --quiet >"$out/run.txt" 2>&1
  [ "$rc" = 1 ] || { echo "FAIL: replay $i against the hang server exited $rc, expected 1:"; cat "$out/run.txt" "$found"; exit 1; }
done
"$bin/relaycheck" run --scenarios "$out/f" --filter "*.fuzz.*" --protocol saxion --profile "$out/plain.yaml" --quiet >"$out/run.txt" 2>&1 ||
  { echo "FAIL: the finding fails against the server without the twist:"; cat "$out/run.txt" "$found"; exit 1; }
echo "OK: hang found, minimised to 0xFE, reproduced; replays fail 2/2, the plain server passes"
