#!/bin/sh
# `relaycheck run` and --strict (issue 23): a failing level: decision scenario is reported in its
# own counts and leaves the exit status 0; with --strict it exits 1. In-process, a second or two.
# usage: strict_run.sh BIN_DIR
set -eu
bin=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/scen/saxion"
cat > "$work/scen/saxion/tiers.yaml" <<'YAML'
protocol: saxion
scenarios:
  - id: saxion.tiers.greeting
    spec: "Protocol table: INIT"
    requirement: The server greets.
    level: must
    steps:
      - connect: a
      - expect: {on: a, frame: {cmd: INIT}}
  - id: saxion.tiers.project-greeting-text
    spec: "open point: the greeting's text"
    requirement: This project's greeting text (a decision nobody else need make).
    level: decision
    steps:
      - connect: a
      - expect: {on: a, frame: "INIT some other greeting"}
YAML
fail() { echo "FAIL: $*"; exit 1; }

status=0
"$bin/relaycheck" run --scenarios "$work/scen" --filter "saxion.tiers.*" --protocol saxion --quiet \
  --report "text:$work/default.txt" --report "junit:$work/default.xml" --report "json:$work/default.json" || status=$?
[ "$status" -eq 0 ] || fail "a decision-tier failure made a default run exit $status: $(cat "$work/default.txt")"
grep -q "spec: 1 passed, 0 failed; decision: 0 passed, 1 failed (not counted; --strict counts them)" "$work/default.txt" \
  || fail "no per-tier counts: $(cat "$work/default.txt")"
grep -q "\[decision tier: not counted without --strict\]" "$work/default.txt" || fail "the failure is not marked not counted"
grep -q "<failure" "$work/default.xml" && fail "JUnit shows a <failure> for an uncounted decision failure"
grep -q '<skipped message="decision-tier fail, not counted without --strict' "$work/default.xml" || fail "JUnit does not skip it"
grep -q '"ok": true' "$work/default.json" || fail "JSON summary not ok"

status=0
"$bin/relaycheck" run --scenarios "$work/scen" --filter "saxion.tiers.*" --protocol saxion --quiet --strict \
  --report "text:$work/strict.txt" --report "junit:$work/strict.xml" || status=$?
[ "$status" -eq 1 ] || fail "--strict with a decision failure exited $status, expected 1"
grep -q "decision: 0 passed, 1 failed (counted: --strict)" "$work/strict.txt" || fail "strict text: $(cat "$work/strict.txt")"
grep -q '<failure type="fail"' "$work/strict.xml" || fail "strict JUnit has no <failure>"
echo "ok: a decision failure exits 0 by default (reported apart) and 1 with --strict"
