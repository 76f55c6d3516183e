#!/usr/bin/env bash
# The oracles other than crash (issue 8): `relaycheck fuzz` against a spawned planted server with
# only BUG armed (RELAYCHECK_PLANTED_ONLY) finds it as a finding of KIND (hang, violation or
# sanitizer in summary.json), minimises it to at most 3 writes and reproduces it; the scenario it
# writes fails against the planted server and passes against the normal one.
# usage: finds_planted_oracle.sh BIN_DIR PLANTED_SERVER PROTOCOL BUG KIND DETAIL_REGEX [SEED]
# (DETAIL_REGEX: an extended regular expression the finding's text must match)
# (a fixed seed, so the run is the same every time; default 1)
set -euo pipefail
bin=$1
protocol=$3 bug=$4 kind=$5 detail=$6 seed=${7:-1}
. "$(dirname "$0")/lib.sh"
need_planted "$2"
if [ "$kind" = sanitizer ] && ! grep -qa __asan_init "$planted"; then
  echo "SKIP: $planted is not built with AddressSanitizer (-DRELAYCHECK_PLANTED_SANITIZERS=address, the default)"
  exit 77
fi
export RELAYCHECK_PLANTED_ONLY=$bug

run_rc "$bin/relaycheck" fuzz --protocol "$protocol" --target "spawn:$planted" --seed "$seed" --duration 25 --max-findings 1 --minimise-time 20 \
  --out "$out" --quiet
summary=$out/summary.json
[ "$rc" = 1 ] || { echo "FAIL: relaycheck fuzz exited $rc, expected 1 (a finding)"; cat "$summary" 2>/dev/null; exit 1; }
kinds=$(sed -n 's/^ *"kind": "\(.*\)",$/\1/p' "$summary")
[ "$kinds" = "$kind" ] || { echo "FAIL: findings of kind '$kinds', expected '$kind':"; cat "$summary"; exit 1; }
grep -q '"reproduced": true' "$summary" || { echo "FAIL: the minimised case did not reproduce:"; cat "$summary"; exit 1; }
found=$(ls "$out/$protocol"/fuzz-"$kind"-*.yaml 2>/dev/null | head -1)
[ -n "$found" ] || { echo "FAIL: no $kind scenario written under $out/$protocol"; ls -R "$out"; exit 1; }
grep -qE -- "$detail" "$found" || { echo "FAIL: the finding does not say '$detail':"; cat "$found"; exit 1; }
writes=$(finding_writes "$found")
[ "$writes" -ge 1 ] && [ "$writes" -le 3 ] || { echo "FAIL: $writes writes after minimising, expected 1..3:"; cat "$found"; exit 1; }

for i in 1 2; do
  run_rc "$bin/relaycheck" run --scenarios "$out" --filter "*.fuzz.*" --protocol "$protocol" --target spawn --server-bin "$planted" --quiet >"$out/run.txt" 2>&1
  [ "$rc" = 1 ] || { echo "FAIL: replay $i against the planted server exited $rc, expected 1:"; cat "$out/run.txt"; cat "$found"; exit 1; }
done
"$bin/relaycheck" run --scenarios "$out" --filter "*.fuzz.*" --protocol "$protocol" --target spawn --server-bin "$bin/relaycheck-server" --quiet >"$out/run.txt" 2>&1 ||
  { echo "FAIL: the scenario fails against the normal server:"; cat "$out/run.txt"; cat "$found"; exit 1; }
echo "OK: $bug found as $kind in $(grep -o '"found_after_s": [0-9.]*' "$summary"), $writes write(s), fails the planted server 2/2, passes the normal one"
