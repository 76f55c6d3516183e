#!/usr/bin/env bash
# Barriers that fit the server (issue 22): against a saxion server that answers no unknown command
# (silent_unknown_server.py), the fuzzer's probe (an unknown command) never draws its answer. It
# is switched to a silence window once, named once (a "switched" line on stderr, and in
# summary.json), no hang is reported, and the run goes on at silence-window pace instead of
# waiting out the probe's timeout on every case.
set -euo pipefail
bin=$1
. "$(dirname "$0")/lib.sh"
need_python
run_rc "$bin/relaycheck" fuzz --protocol saxion --target "spawn:$python $here/silent_unknown_server.py --port 0" --seed 1 \
  --duration 10 --minimise-time 10 --out "$out/f" 2>"$out/stderr"
summary=$out/f/summary.json
[ "$rc" = 0 ] || [ "$rc" = 1 ] || { echo "FAIL: exit $rc"; cat "$out/stderr"; exit 1; }
if grep -q '"kind": "hang"' "$summary"; then echo "FAIL: a probe that does not fit was reported as a hang:"; cat "$summary"; exit 1; fi
grep -q '"barrier_switches": 1,' "$summary" || { echo "FAIL: not one switch to silence:"; cat "$summary"; exit 1; }
grep -q 'saxion probe answered by .*switched to silence windows' "$summary" || { echo "FAIL: the switch is not named:"; cat "$summary"; exit 1; }
switched=$(grep -c 'switched to silence windows' "$out/stderr" || true)
[ "$switched" = 1 ] || { echo "FAIL: the switch was named $switched times on stderr, expected once:"; cat "$out/stderr"; exit 1; }
cases=$(field cases "$summary")
# A probe waited out on every case would allow about 3 cases in 10 s.
[ "${cases:-0}" -ge 50 ] || { echo "FAIL: only ${cases:-0} cases in 10 s"; cat "$summary"; exit 1; }
echo "OK: one switch to silence, named once; $cases cases in 10 s, no hang"
