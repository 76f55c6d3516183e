#!/usr/bin/env bash
# shellcheck disable=SC2015  # A && B || fail: fail exits
# cmake --install into a temporary prefix, then the installed relaycheck, run from an unrelated
# directory, finds its scenarios and profiles next to itself (bin/../share/relaycheck): a saxion
# suite in-process and through the reference profile (the installed relaycheck-server), a moved
# prefix, $RELAYCHECK_SCENARIOS, and no source path compiled into the binary. Removes the prefix.
# usage: install_tree.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
unset RELAYCHECK_SCENARIOS

prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" || { cat "$tmp/install.log"; fail "cmake --install"; }
for f in bin/relaycheck bin/relaycheck-server share/relaycheck/scenarios/saxion share/relaycheck/scenarios/profiles/reference.yaml \
         share/relaycheck/docs/protocols/saxion.requirements.yaml share/doc/relaycheck/README.md share/doc/relaycheck/profiles.md; do
  [ -e "$prefix/$f" ] || fail "the install has no $f"
done
[ ! -e "$prefix/share/relaycheck/scenarios/profiles/saxion-test-client.yaml" ] || fail "installed a test-client profile (its client is not installed)"
# Man pages are installed when the build made them (the CLI's target writes build/man/*.1).
if compgen -G "$build/man/*.1" >/dev/null; then
  compgen -G "$prefix/share/man/man1/*.1" >/dev/null || fail "build/man has man pages, the install has none"
fi
for c in relaycheck relaycheck-server; do
  if [ -f "$build/completion/$c" ]; then
    [ -f "$prefix/share/bash-completion/completions/$c" ] || fail "build/completion has $c's bash completion, the install has none"
  fi
done
# No path of the source tree is compiled in: the install can move.
! grep -q -a "$src/scenarios" "$prefix/bin/relaycheck" || fail "bin/relaycheck contains $src/scenarios"

mkdir -p "$tmp/x"
cd "$tmp/x"
timeout -k 5 60 "$prefix/bin/relaycheck" run --protocol saxion --quiet --report json:"$tmp/inprocess.json" >"$tmp/out.txt" 2>&1 \
  || { cat "$tmp/out.txt"; fail "installed 'relaycheck run --protocol saxion' from $tmp/x"; }
# Every scenario testing a server (relaycheck the client: role client) the build tree lists ran.
want=$("$build/bin/relaycheck" list --protocol saxion --format json | python3 -c 'import json,sys; print(sum(1 for s in json.load(sys.stdin) if s["role"] == "client"))')
got=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["results"]))' "$tmp/inprocess.json")
[ "$want" = "$got" ] && [ "$got" -gt 0 ] || fail "installed run had $got saxion results, the build tree lists $want"

# The reference profile found by name, launching the installed relaycheck-server (psuirc: no
# scenario waits real minutes; ~9 s at load 15). timeout: relaycheck ends its servers on SIGTERM.
timeout -k 5 90 "$prefix/bin/relaycheck" run --profile reference --protocol psuirc --jobs 4 --quiet >"$tmp/out.txt" 2>&1 \
  || { cat "$tmp/out.txt"; fail "installed 'relaycheck run --profile reference --protocol psuirc'"; }

# Moved elsewhere, it still finds its data; coverage reads the installed requirement lists.
mv "$prefix" "$tmp/moved"
"$tmp/moved/bin/relaycheck" coverage --protocol saxion >"$tmp/out.txt" 2>&1 || { cat "$tmp/out.txt"; fail "coverage from a moved prefix"; }
grep -q "^saxion: " "$tmp/out.txt" || { cat "$tmp/out.txt"; fail "coverage printed no saxion line"; }

# $RELAYCHECK_SCENARIOS wins over the installed suite.
mkdir -p "$tmp/own/saxion"
cat >"$tmp/own/saxion/one.yaml" <<'YAML'
protocol: saxion
scenarios:
  - id: saxion.own.greeting
    spec: "Protocol table: INIT"
    requirement: The server greets.
    level: must
    steps:
      - connect: a
      - expect: {on: a, frame: {cmd: INIT}}
YAML
RELAYCHECK_SCENARIOS=$tmp/own "$tmp/moved/bin/relaycheck" list >"$tmp/out.txt" 2>&1 || { cat "$tmp/out.txt"; fail "list with RELAYCHECK_SCENARIOS"; }
[ "$(grep -c 'saxion\.' "$tmp/out.txt")" = 1 ] && grep -q saxion.own.greeting "$tmp/out.txt" || { cat "$tmp/out.txt"; fail "RELAYCHECK_SCENARIOS was not the scenario root"; }

# With the data gone, the error names where it looked.
rm -rf "$tmp/moved/share"
set +e
"$tmp/moved/bin/relaycheck" list >"$tmp/out.txt" 2>&1
rc=$?
set -e
[ $rc = 2 ] && grep -q "no built-in scenarios found" "$tmp/out.txt" || { cat "$tmp/out.txt"; fail "missing data: exit $rc"; }
echo "PASS: installed tree runs from $tmp/x, moved, and with RELAYCHECK_SCENARIOS"
