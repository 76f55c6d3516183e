#!/usr/bin/env bash
# docs/scenarios.md's worked example, as written: the YAML block after the marker
# "own-scenario-example: yaml" saved as my-saxion.yaml, then each command line of the block
# after "own-scenario-example: commands" run with build/bin/ pointing at this build.
set -euo pipefail
bin=$1
doc=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# The fenced block after a marker line.
block() { awk -v marker="$1" 'index($0, marker) {found=1; next} found && /^```/ {if (inside) exit; inside=1; next} inside {print}' "$doc"; }
block "own-scenario-example: yaml" >"$work/my-saxion.yaml"
block "own-scenario-example: commands" >"$work/commands.sh"
[ -s "$work/my-saxion.yaml" ] || fail "no example YAML in $doc"
[ "$(grep -c '^build/bin/relaycheck run ' "$work/commands.sh")" -ge 1 ] || fail "no command lines in $doc"
mkdir -p "$work/build"
ln -s "$bin" "$work/build/bin"
cd "$work"
while IFS= read -r line; do
  [ -n "$line" ] || continue
  echo "+ $line"
  status=0
  bash -c "$line" >out.txt 2>err.txt || status=$?
  [ "$status" = 0 ] || { cat out.txt err.txt; fail "exit $status: $line"; }
  grep -q "^relaycheck: 1 passed, 0 failed, 0 errors, 0 skipped" err.txt || { cat err.txt; fail "no summary line of one pass: $line"; }
done <commands.sh
echo "PASS: the own-scenario example of $doc runs as written"
