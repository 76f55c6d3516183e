#!/usr/bin/env bash
# One protocol's whole suite against ONE long-running reference server (the HOST:PORT target),
# started once: serially, then with --jobs 4 against the same server. Scenarios share the
# server (unique names per run; fresh-server scenarios are skipped), and it must survive them.
# Scenarios tagged slow are left out: over the network they wait real minutes (cop's 5-minute
# inactivity rule, 6 scenarios, would add about half an hour).
# Usage: attach_suite.sh BIN_DIR PROTOCOL [SERVER ARGS...]
set -euo pipefail
bin=$1
protocol=$2
shift 2
out=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }; rm -rf "$out"' EXIT
"$bin/relaycheck-server" --protocol "$protocol" --listen 127.0.0.1:0 --log-level warn "$@" >"$out/stdout" 2>"$out/stderr" &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$out/stdout" 2>/dev/null && break; sleep 0.05; done
address=$(sed -n 's/^listening on //p' "$out/stdout")
[ -n "$address" ] || { echo "server did not start"; cat "$out/stderr"; exit 1; }
for jobs in 1 4; do
  echo "== $protocol suite against $address, --jobs $jobs"
  "$bin/relaycheck" run --protocol "$protocol" --target "$address" --jobs "$jobs" --skip-tag slow --quiet --report text --report "json:$out/run-$jobs.json" \
    >"$out/text" 2>&1 || { cat "$out/text"; echo "the $protocol suite failed against the shared server (--jobs $jobs)"; exit 1; }
  tail -1 "$out/text"
  # Something really ran: a suite that skipped everything would pass vacuously.
  grep -q '"status": *"pass"' "$out/run-$jobs.json" || { echo "no scenario passed"; exit 1; }
  kill -0 "$pid" || { echo "the server died during the run"; cat "$out/stderr"; exit 1; }
done
