#!/usr/bin/env bash
# A connection the server closed is not a hang (issue 22): fuzzing a conforming cs594 server that
# answers an unknown op by closing the connection (tests/variants/cs594/server.py --variant
# unknown-op-close; the spec allows it) reports no hang, although many fuzzed frames carry an
# unknown op; and the fuzzer got through its cases instead of waiting out timeouts. With
# --barrier probe and --barrier silence alike.
set -euo pipefail
bin=$1
root=$2
. "$(dirname "$0")/lib.sh"
variant_server "$root" cs594
for barrier in probe silence; do
  run_rc "$bin/relaycheck" fuzz --protocol cs594 --target "spawn:$python $server --port 0 --variant unknown-op-close" --seed 2 \
    --duration 6 --barrier "$barrier" --minimise-time 5 --out "$out/$barrier" --quiet
  summary=$out/$barrier/summary.json
  [ "$rc" = 0 ] || [ "$rc" = 1 ] || { echo "FAIL: --barrier $barrier: exit $rc"; cat "$summary" 2>/dev/null; exit 1; }
  if grep -q '"kind": "hang"' "$summary"; then
    echo "FAIL: --barrier $barrier: a server closing connections was reported as a hang:"
    cat "$summary" "$out/$barrier"/cs594/*.yaml
    exit 1
  fi
  # Closes are common: each costs a check of the target, not a timeout.
  cases=$(field cases "$summary")
  [ "${cases:-0}" -ge 50 ] || { echo "FAIL: --barrier $barrier: only ${cases:-0} cases in 6 s"; cat "$summary"; exit 1; }
  echo "--barrier $barrier: $cases cases, $(grep -c '"kind"' "$summary" || true) findings, no hang"
done
echo "OK"
