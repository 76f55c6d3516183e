#!/usr/bin/env bash
# `relaycheck fuzz --profile P` with an address profile that carries attributes: and channels:
# (issue 22): a moose reference server started here at a free port, its public key in a PEM file
# and its control channel in a temp profile. The fuzzer runs its cases against it with no target
# error and no finding (the profile's facts also reach a finding's replay: netfuzz_test's
# Replay.AnAddressProfileGivesItsAttributesAndChannels).
set -euo pipefail
bin=$1
. "$(dirname "$0")/lib.sh"
"$bin/relaycheck-server" --protocol moose --listen 127.0.0.1:0 --log-level warn --public-key-out "$out/server-key.pem" \
  >"$out/stdout" 2>"$out/stderr" &
pid=$!
at_exit 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null'
# Up to 30 s: moose makes an RSA key before it listens, slow on a loaded machine.
for _ in $(seq 600); do grep -q "^listening on" "$out/stdout" 2>/dev/null && break; sleep 0.05; done
address=$(sed -n 's/^listening on //p' "$out/stdout")
control=$(sed -n 's/^control listening on //p' "$out/stdout")
[ -n "$address" ] && [ -n "$control" ] || { echo "FAIL: the moose server did not start"; cat "$out/stdout" "$out/stderr"; exit 1; }
cat >"$out/moose-at-address.yaml" <<YAML
name: moose-at-address
address: $address
attributes:
  public-key-pem: {file: server-key.pem}
channels:
  control: $control
YAML
run_rc timeout -s TERM 50 "$bin/relaycheck" fuzz --protocol moose --profile "$out/moose-at-address.yaml" --seed 1 \
  --max-cases 40 --duration 30 --out "$out/f" --quiet 2>"$out/fuzz.err"
summary=$out/f/summary.json
[ "$rc" = 0 ] || { echo "FAIL: relaycheck fuzz exited $rc, expected 0:"; cat "$out/fuzz.err" "$summary" 2>/dev/null; exit 1; }
if grep -qi 'error' "$out/fuzz.err"; then echo "FAIL: errors on stderr:"; cat "$out/fuzz.err"; exit 1; fi
cases=$(field cases "$summary")
[ "${cases:-0}" -ge 40 ] || { echo "FAIL: only ${cases:-0} cases in 30 s"; cat "$summary"; exit 1; }
[ "$(field target_starts "$summary")" = 1 ] || { echo "FAIL: the address was not reached once:"; cat "$summary"; exit 1; }
kill -0 "$pid" 2>/dev/null || { echo "FAIL: the moose server died"; cat "$out/stderr"; exit 1; }
echo "OK: $cases cases against the moose server at $address (control $control), no target error, no finding"
