#!/usr/bin/env bash
# The whole saxion suite against ONE long-running reference server (the HOST:PORT target):
# scenarios share the server, and it must survive every one of them.
set -euo pipefail
bin=$1
out=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$out"' EXIT
"$bin/relaycheck-server" --protocol saxion --listen 127.0.0.1:0 --log-level warn >"$out/stdout" 2>"$out/stderr" &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$out/stdout" 2>/dev/null && break; sleep 0.05; done
address=$(sed -n 's/^listening on //p' "$out/stdout")
[ -n "$address" ] || { echo "server did not start"; cat "$out/stderr"; exit 1; }
"$bin/relaycheck" run --protocol saxion --target "$address" --quiet
kill -0 "$pid" || { echo "the server died during the run"; cat "$out/stderr"; exit 1; }
