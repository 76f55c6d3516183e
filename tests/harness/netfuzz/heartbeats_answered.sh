#!/usr/bin/env bash
# The network fuzzer answers a server's heartbeats as a conforming client would (issue 22): a saxion
# server that PINGs every 50 ms from the greeting on, before login too (the spec says nothing about
# when the first PING comes), and drops a client whose PONG is 0.5 s late. Fuzzing it finds
# nothing, answers the PINGs (summary.json heartbeats_answered), and keeps its pace.
set -euo pipefail
bin=$1
root=$2
. "$(dirname "$0")/lib.sh"
variant_server "$root" saxion
run_rc "$bin/relaycheck" fuzz --protocol saxion --seed 3 --duration 6 --minimise-time 5 --out "$out" --quiet \
  --target "spawn:$python $server --port 0 --variant ping-before-login --ping-interval 0.05 --pong-timeout 0.5"
summary=$out/summary.json
[ "$rc" = 0 ] || { echo "FAIL: exit $rc (findings against a conforming server?)"; cat "$summary" "$out"/saxion/*.yaml 2>/dev/null; exit 1; }
answered=$(field heartbeats_answered "$summary")
[ "${answered:-0}" -ge 10 ] || { echo "FAIL: only ${answered:-0} PINGs answered"; cat "$summary"; exit 1; }
cases=$(field cases "$summary")
[ "${cases:-0}" -ge 50 ] || { echo "FAIL: only ${cases:-0} cases in 6 s"; cat "$summary"; exit 1; }
echo "OK: $cases cases, $answered PINGs answered, no finding"
