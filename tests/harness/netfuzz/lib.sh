# shellcheck shell=bash
# The preamble every tests/harness/netfuzz/*.sh shares. Each script sources it right after
# `set -euo pipefail`:   . "$(dirname "$0")/lib.sh"
# It gives $here (this folder) and $out (a temp dir, removed on exit after the at_exit commands).

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=$(mktemp -d)
netfuzz_at_exit=()
# Runs a command (a string, evaluated at exit) before $out is removed: e.g. ending a server.
at_exit() { netfuzz_at_exit+=("$1"); }
netfuzz_exit() {
  local c
  for c in "${netfuzz_at_exit[@]}"; do eval "$c" || true; done
  rm -rf "$out"
}
trap netfuzz_exit EXIT

# $python, or the test is skipped (exit 77: ctest's SKIP_RETURN_CODE).
need_python() { python=$(command -v python3) || { echo "SKIP: no python3"; exit 77; }; }

# $python and $server, a Python variant server: tests/variants/PROTOCOL/server.py under ROOT.
variant_server() {
  need_python
  server=$1/tests/variants/$2/server.py
  [ -f "$server" ] || { echo "SKIP: no $server"; exit 77; }
}

# A number of summary.json's top level ("NAME": 12.5,); empty when it is not there.
field() { sed -n "s/^  \"$1\": \([0-9.]*\),\{0,1\}$/\1/p" "$2"; }

# Runs a command that may fail, under set -e; its exit code in $rc.
run_rc() { rc=0; "$@" || rc=$?; }

# A loopback port free now (the OS picks it), for a server whose port is fixed by its profile.
free_port() {
  need_python
  "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# $planted, the relaycheck-server-planted at PATH (or $RELAYCHECK_PLANTED_SERVER), or a skip.
need_planted() {
  planted=${1:-${RELAYCHECK_PLANTED_SERVER:-}}
  if [ -z "$planted" ] || [ ! -x "$planted" ]; then
    echo "SKIP: no relaycheck-server-planted (build one with -DRELAYCHECK_PLANTED_BUGS=ON; scripts/test does)"
    exit 77
  fi
}

# The writes a finding's scenario FILE sends, not counting the barrier probes and final checks
# (their send lines end in a comment).
finding_writes() {
  local frames probes
  frames=$(grep -c -- '- send: .*hex' "$1" || true)
  probes=$(grep -cE -- '- send: .*  # (barrier probe|the finding|still answering)' "$1" || true)
  echo $((frames - probes))
}
