#!/usr/bin/env bash
# moose.disconnect.leaves-pool behind a proxy that delays the client path by 5 ms
# (servers/delay_proxy.py; the control channel is reached directly). Before its barrier the
# scenario asked the control channel for the pool while alice's disconnect was still in the
# proxy, and failed every time; it must now pass every run.
# The scenario is copied RUNS times (ids ...-run-1..N, steps as in scenarios/moose/) into one
# relaycheck run: each copy gets its own proxy and server; the server key is a fixed test key, so
# no run waits for RSA key generation.
# Usage: moose_leaves_pool_delay.sh BIN_DIR RUNS
set -euo pipefail
bin=$(cd "$1" && pwd)
runs=$2
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cat >"$out/delayed.yaml" <<YAML
name: moose-delayed-5ms
description: the reference moose server behind a proxy delaying the client path by 5 ms
launch:
  command: ["python3", "$here/servers/delay_proxy.py", "--server-bin", "$bin/relaycheck-server", "--protocol", "{protocol}",
            "--delay-ms", "5", "--server-arg=--key", "--server-arg=$here/clients/moose-server.key.pem"]
  ready: {stdout: "listening on "}
  start_timeout: 30s
YAML
python3 - "$source_dir/scenarios/moose/association.yaml" "$runs" >"$out/copies.yaml" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"^  - id: moose\.disconnect\.leaves-pool\n.*?(?=^  - id: |\Z)", text, re.S | re.M)
if not m:
    sys.exit("moose.disconnect.leaves-pool not found in " + sys.argv[1])
print("protocol: moose\nscenarios:")
for i in range(1, int(sys.argv[2]) + 1):
    print(m.group(0).replace("moose.disconnect.leaves-pool", f"moose.disconnect.leaves-pool-run-{i}", 1).rstrip("\n") + "\n")
PY
start=$(date +%s%N)
status=0
"$bin/relaycheck" run --protocol moose --profile "$out/delayed.yaml" --scenarios "$out/copies.yaml" \
    --filter 'moose.disconnect.leaves-pool-run-*' --quiet --report "json:$out/run.json" >"$out/run.txt" 2>&1 || status=$?
ms=$((($(date +%s%N) - start) / 1000000))
passed=$(python3 -c 'import json,sys; print(sum(r["status"] == "pass" for r in json.load(open(sys.argv[1]))["results"]))' "$out/run.json" 2>/dev/null || echo 0)
echo "moose.disconnect.leaves-pool behind a 5 ms delaying proxy: $passed/$runs passed in $ms ms"
if [ "$status" -ne 0 ] || [ "$passed" -ne "$runs" ]; then cat "$out/run.txt"; exit 1; fi
