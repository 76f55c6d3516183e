#!/usr/bin/env bash
# relaycheck's one launcher from the command line (issue 22), one mode per ctest entry:
#   interrupt   SIGTERM/SIGINT during run, load and fuzz: no launched process survives, the
#               reports exist and say incomplete, the exit code is 143/130
#   fixed-port  a profile with port: runs with --jobs 4, passes, and says once that it serialises
#   profiles    run, load and fuzz --profile reference (the same file, the same launcher)
set -uo pipefail
bin=$1
servers=$2
mode=$3
scenarios=$servers/scenarios  # the launcher's own, apart from the suite
work=$(mktemp -d)
bg=""
cleanup() {
  [ -n "$bg" ] && kill -KILL "$bg" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; for f in "$work"/*.err; do [ -f "$f" ] && { echo "--- $f"; tail -20 "$f"; }; done; exit 1; }

# Waits up to 10 s for a file to exist.
wait_for() { for _ in $(seq 200); do [ -s "$1" ] && return 0; sleep 0.05; done; return 1; }

# The processes of group $1 that still run (zombies have ended; this machine's init may reap late).
running_in_group() { ps -eo pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/' | wc -l; }

# The pids of relaycheck's launched children (each leads its own process group).
children_of() { cat /proc/"$1"/task/*/children 2>/dev/null | tr ' ' '\n' | grep -v '^$'; }

# Starts "$@" in the background, sends signal $sig once it has launched a child, and checks the
# exit code, that every child's group is gone, and that report file $report says incomplete.
interrupt_case() {
  local name=$1 sig=$2 code=$3 report=$4
  shift 4
  "$@" >"$work/$name.out" 2>"$work/$name.err" &
  bg=$!
  local kids=""
  for _ in $(seq 200); do kids=$(children_of "$bg"); [ -n "$kids" ] && break; sleep 0.05; done
  [ -n "$kids" ] || fail "$name: relaycheck launched nothing"
  sleep 1
  kids=$(children_of "$bg")
  kill -"$sig" "$bg"
  wait "$bg"
  local rc=$?
  bg=""
  [ "$rc" = "$code" ] || fail "$name: SIG$sig gave exit code $rc, expected $code"
  for k in $kids; do
    [ "$(running_in_group "$k")" = 0 ] || fail "$name: $(running_in_group "$k") process(es) of launched group $k survived SIG$sig"
  done
  [ -f "$report" ] || fail "$name: no report at $report"
  grep -q '"incomplete": true' "$report" || fail "$name: the report does not say incomplete: $(head -c 600 "$report")"
  echo "ok: $name (SIG$sig -> exit $rc, $(echo $kids | wc -w) launched group(s) ended, report incomplete)"
}

case "$mode" in
interrupt)
  # A slow server: it never answers, so the scenario waits on its expect when the signal comes.
  cat >"$work/slow.yaml" <<YAML
name: slow
launch:
  command: ["python3", "$servers/counting_server.py", "--port", "{port}", "--silent", "--pid-file", "$work/slow.pid"]
YAML
  interrupt_case run-term TERM 143 "$work/run-term.json" \
    "$bin/relaycheck" run --profile "$work/slow.yaml" --scenarios "$scenarios" --filter "saxion.launcher.*" --within 30s \
    --report "json:$work/run-term.json" --report "junit:$work/run-term.xml" --quiet
  pid=$(cat "$work/slow.pid")
  [ "$(ps -o stat= -p "$pid" | grep -vc '^Z')" = 0 ] || fail "the slow server $pid (its pid file) survived"
  grep -q 'incomplete="true"' "$work/run-term.xml" || fail "the JUnit report does not say incomplete"
  grep -q 'interrupted by SIGTERM after 0 of' "$work/run-term.json" || fail "the JSON report gives no reason"
  # SIGINT, with job control so the background job does not start with SIGINT ignored.
  set -m
  interrupt_case run-int INT 130 "$work/run-int.json" \
    "$bin/relaycheck" run --profile "$work/slow.yaml" --scenarios "$scenarios" --filter "saxion.launcher.*" --within 30s --jobs 2 \
    --report "json:$work/run-int.json" --quiet
  set +m
  interrupt_case load-term TERM 143 "$work/load.json" \
    "$bin/relaycheck" load --profile reference --protocol saxion --clients 4 --duration 60s --report "json:$work/load.json" --quiet
  interrupt_case fuzz-term TERM 143 "$work/fuzz/summary.json" \
    "$bin/relaycheck" fuzz --profile reference --protocol saxion --duration 60s --seed 1 --out "$work/fuzz" --quiet
  ;;
fixed-port)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat >"$work/fixed.yaml" <<YAML
name: fixed
port: $port
launch:
  command: ["python3", "$servers/counting_server.py", "--port", "$port"]
YAML
  "$bin/relaycheck" run --profile "$work/fixed.yaml" --scenarios "$scenarios" --filter "saxion.launcher.*" --jobs 4 --quiet >"$work/fixed.out" 2>"$work/fixed.err" || fail "the fixed-port run failed: $(cat "$work/fixed.out")"
  grep -q "3 passed, 0 failed" "$work/fixed.out" || fail "not 3 passes: $(cat "$work/fixed.out")"
  n=$(grep -c "profile fixed uses fixed port $port: scenarios run one at a time" "$work/fixed.err")
  [ "$n" = 1 ] || fail "the serialising message appeared $n times"
  echo "ok: fixed port $port with --jobs 4: 3 passed, said once that they run one at a time"
  ;;
profiles)
  # saxion, and moose (its key and control channel come from stdout lines read after readiness).
  "$bin/relaycheck" run --profile reference --protocol saxion --protocol moose --skip-tag slow --jobs 2 --quiet \
    --filter 'saxion.connect.*' --filter 'saxion.ident.*' --filter 'moose.status.*' --filter 'moose.ring.*' \
    >"$work/run.out" 2>"$work/run.err" || fail "run --profile reference: $(tail -5 "$work/run.out")"
  tail -1 "$work/run.out"
  "$bin/relaycheck" load --profile reference --protocol saxion --clients 5 --duration 1s --quiet \
    --report "json:$work/load.json" >"$work/load.out" 2>"$work/load.err" || fail "load --profile reference failed"
  grep -q '"incomplete": false' "$work/load.json" || fail "load's report has no incomplete: false"
  echo "ok: load --profile reference"
  "$bin/relaycheck" fuzz --profile reference --protocol cop --duration 3s --seed 7 --out "$work/fuzz" --quiet \
    >"$work/fuzz.out" 2>"$work/fuzz.err" || fail "fuzz --profile reference found something or failed: $(cat "$work/fuzz.err")"
  grep -q '"incomplete": false' "$work/fuzz/summary.json" || fail "fuzz's summary has no incomplete: false"
  grep -q '"target": "profile:' "$work/fuzz/summary.json" || fail "fuzz's summary does not name the profile"
  echo "ok: fuzz --profile reference"
  # spawn:CMD is split like a shell: a quoted argument with a space stays one argument.
  "$bin/relaycheck" fuzz --target "spawn:'$bin/relaycheck-server' --protocol {protocol} --listen '127.0.0.1:{port}' --greeting 'Hi there'" \
    --protocol saxion --duration 2s --seed 7 --out "$work/fuzz2" --quiet >"$work/fuzz2.out" 2>"$work/fuzz2.err" ||
    fail "fuzz --target spawn:CMD with quotes: $(cat "$work/fuzz2.err")"
  echo "ok: fuzz --target spawn:CMD with quoted arguments"
  ;;
*)
  echo "unknown mode $mode"
  exit 2
  ;;
esac
