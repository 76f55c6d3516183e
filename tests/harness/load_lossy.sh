#!/usr/bin/env bash
# relaycheck load against a saxion server that loses every 1000th relayed BCST: the run must
# exit 1 and say how many deliveries were lost (a number > 0), in text and in JSON.
# usage: load_lossy.sh BIN_DIR TEST_BIN_DIR
set -euo pipefail
bin=$1 test_bin=$2
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$test_bin/faulty-saxion-server" --fault drop-1-in-1000 >"$work/server.out" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  grep -q "listening on" "$work/server.out" && break
  sleep 0.05
done
address=$(sed -n 's/^listening on //p' "$work/server.out")
[ -n "$address" ] || { echo "the lossy server did not start"; cat "$work/server.out"; exit 1; }

set +e
timeout 60 "$bin/relaycheck" load --protocol saxion --target "$address" --clients 20 --duration 2s --quiet \
  --report text --report "json:$work/report.json" >"$work/report.txt"
status=$?
set -e
cat "$work/report.txt"
[ "$status" -eq 1 ] || { echo "expected exit 1 for a lossy server, got $status"; exit 1; }
grep -Eq "^FAIL: [1-9][0-9]* of [0-9]+ deliveries lost" "$work/report.txt" || { echo "no loss count in the report"; exit 1; }
lost=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["lost"])' "$work/report.json")
[ "$lost" -gt 0 ] || { echo "JSON report: lost is $lost"; exit 1; }
echo "ok: the lossy server lost $lost deliveries and the run failed"
