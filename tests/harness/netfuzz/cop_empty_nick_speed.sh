#!/usr/bin/env bash
# Barriers that fit the server (issue 22): against a conforming cop server that accepts the empty
# nickname (tests/variants/cop/server.py --variant empty-nick), where a LOGIN "" probe would wait
# for a refusal that never comes (under 1 frame/s), the network fuzzer keeps going. A safe lower
# bound only (the goal, >= 100 frames/s, is measured by bench/netfuzz_variants_bench.sh): 20
# frames/s over 6 s, on a loaded machine too, and no hang reported.
set -euo pipefail
bin=$1
root=$2
. "$(dirname "$0")/lib.sh"
variant_server "$root" cop
run_rc "$bin/relaycheck" fuzz --protocol cop --target "spawn:$python $server --port 0 --variant empty-nick" --seed 1 --duration 6 \
  --minimise-time 5 --out "$out" --quiet
summary=$out/summary.json
[ "$rc" = 0 ] || [ "$rc" = 1 ] || { echo "FAIL: exit $rc"; cat "$summary" 2>/dev/null; exit 1; }
if grep -q '"kind": "hang"' "$summary"; then echo "FAIL: a hang reported:"; cat "$summary"; exit 1; fi
rate=$(sed -n 's/^  "frames_per_s": \([0-9]*\).*/\1/p' "$summary")
[ "${rate:-0}" -ge 20 ] || { echo "FAIL: ${rate:-0} frames/s, expected at least 20"; cat "$summary"; exit 1; }
echo "OK: ${rate} frames/s against the empty-nick cop server"
