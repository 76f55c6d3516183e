#!/usr/bin/env bash
# Findings of a fixed-port target replay (issue 22): `relaycheck fuzz --profile P`, where P launches
# the saxion server that dies on the byte 0xFF on a fixed `port:` (tests/variants/saxion/server.py
# --variant fixed-port,crash-byte; the port is picked free now). The fuzzer's own instance holds
# that port, so it is stopped for the replay and started again after: the crash is found, its
# replay runs and fails (reproduced), nothing hangs and no server process is left behind.
set -euo pipefail
bin=$1
root=$2
. "$(dirname "$0")/lib.sh"
variant_server "$root" saxion
port=$(free_port)
cat >"$out/fixed.yaml" <<YAML
name: saxion-fixed-port-crash-byte
launch:
  command: ["$python", "$server", "--variant", "fixed-port,crash-byte", "--fixed-port", "$port"]
  start_timeout: 10s
port: $port
YAML
# Seed 1 finds the crash after its 190 seed cases; --max-cases 200: the fuzzer goes on after the
# finding's replay, against its revived instance (--duration only bounds a loaded machine).
start=$(date +%s)
run_rc timeout -s TERM 55 "$bin/relaycheck" fuzz --protocol saxion --profile "$out/fixed.yaml" --seed 1 --max-cases 200 \
  --duration 45 --minimise-time 5 --out "$out/f" --quiet
took=$(($(date +%s) - start))
summary=$out/f/summary.json
[ "$rc" != 124 ] || { echo "FAIL: relaycheck fuzz did not end within 55 s (the replay waits for the fixed port?)"; exit 1; }
[ "$rc" = 1 ] || { echo "FAIL: relaycheck fuzz exited $rc, expected 1 (a finding)"; cat "$summary" 2>/dev/null; exit 1; }
grep -q 'CrashByteError' "$summary" || { echo "FAIL: not the crash-byte twist:"; cat "$summary"; exit 1; }
grep -q '"reproduced": true' "$summary" || { echo "FAIL: the replay on the fixed port did not fail:"; cat "$summary"; exit 1; }
if grep -q '"reproduced": false' "$summary"; then echo "FAIL: a finding not reproduced:"; cat "$summary"; exit 1; fi
# The fuzzer went on after the replay: its instance was started again on the port.
starts=$(field target_starts "$summary")
found_at=$(sed -n 's/^ *"found_at_case": \([0-9]*\),\{0,1\}$/\1/p' "$summary" | head -1)
cases=$(field cases "$summary")
[ "${cases:-0}" -gt "${found_at:-0}" ] || { echo "FAIL: no case ran after the finding's replay (the target was not revived?):"; cat "$summary"; exit 1; }
# Nothing of the launched server is left.
sleep 0.2
if pgrep -f -- "--fixed-port $port" >/dev/null; then
  echo "FAIL: a server on port $port outlived relaycheck:"; pgrep -af -- "--fixed-port $port"; exit 1
fi
if "$python" -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $port)) != 0)"; then
  echo "FAIL: port $port still accepts connections"; exit 1
fi
echo "OK: crash found on fixed port $port and reproduced by the replay; $(grep -c '"kind"' "$summary") finding(s), ${starts:-?} target starts, ${cases} cases (${found_at} before the finding), ${took} s"
