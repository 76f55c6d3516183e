#!/usr/bin/env bash
# moose.disconnect.leaves-pool behind a proxy that delays the client path by 5 ms
# (servers/delay_proxy.py; the control channel is reached directly). Before its barrier the
# scenario asked the control channel for the pool while alice's disconnect was still in the
# proxy, and failed every time; it must now pass every run.
# Usage: moose_leaves_pool_delay.sh BIN_DIR RUNS
set -euo pipefail
bin=$(cd "$1" && pwd)
runs=$2
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cat >"$out/delayed.yaml" <<YAML
name: moose-delayed-5ms
description: the reference moose server behind a proxy delaying the client path by 5 ms
launch:
  command: ["python3", "$here/servers/delay_proxy.py", "--server-bin", "$bin/relaycheck-server", "--protocol", "{protocol}", "--delay-ms", "5"]
  ready: {stdout: "listening on "}
  start_timeout: 30s
YAML
passed=0
start=$(date +%s%N)
for i in $(seq "$runs"); do
  # Passed: exit 0 and the scenario ran and passed (not skipped, not filtered away).
  if "$bin/relaycheck" run --protocol moose --profile "$out/delayed.yaml" --filter moose.disconnect.leaves-pool \
      --quiet --report "json:$out/run$i.json" >"$out/run$i.txt" 2>&1 &&
     python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; sys.exit(not (len(r) == 1 and r[0]["status"] == "pass"))' "$out/run$i.json"; then
    passed=$((passed + 1))
  else
    echo "run $i failed:"; cat "$out/run$i.txt"
  fi
done
ms=$((($(date +%s%N) - start) / 1000000))
echo "moose.disconnect.leaves-pool behind a 5 ms delaying proxy: $passed/$runs passed in $ms ms"
[ "$passed" -eq "$runs" ]
