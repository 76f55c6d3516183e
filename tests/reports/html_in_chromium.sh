#!/usr/bin/env bash
# The HTML report in a real browser (headless Debian chromium): the page renders, failures come
# first, the status filter hides rows, emptied sections and matrix rows, and a screenshot is taken.
set -euo pipefail
bin=$1
scenarios=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v chromium >/dev/null || { echo "chromium is not installed (scripts/test installs it)"; exit 1; }
mkdir -p "$work/s/saxion"
# The built-in fragments (hello) stay available to added scenario files.
cat >"$work/s/saxion/mixed.yaml" <<'YAML'
protocol: saxion
scenarios:
  - id: saxion.html.passes
    spec: "INIT"
    requirement: The greeting arrives.
    level: must
    steps:
      - connect: a
      - expect: {on: a, frame: {cmd: INIT}}
  - id: saxion.html.fails
    spec: "IDENT"
    requirement: This scenario expects a wrong reply on purpose.
    level: must
    steps:
      - include: {fragment: hello, with: {who: a}}
      - send: {on: a, frame: "IDENT alice"}
      - expect: {on: a, frame: "OK IDENT bob"}
YAML
status=0
"$bin/relaycheck" run --scenarios "$work/s" --filter "saxion.html.*" --report "html:$work/r.html" --quiet || status=$?
[ "$status" = 1 ] || { echo "expected exit 1 from a run with a failure, got $status"; exit 1; }
browser() {
  timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d -p "$work")" "$@" 2>/dev/null
}
dom=$(browser --virtual-time-budget=2000 --dump-dom "file://$work/r.html#hide=pass")
grep -q '<tr data-status="pass" id="saxion.html.passes" data-tier="spec" style="display: none;">' <<<"$dom" \
  || { echo "the filter did not hide the passing row"; exit 1; }
grep -q '<tr data-status="fail" id="saxion.html.fails" data-tier="spec">' <<<"$dom" \
  || { echo "the failing row is not shown"; exit 1; }
grep -q 'OK IDENT alice' <<<"$dom" || { echo "the failure evidence is missing"; exit 1; }
# Failures first: the failures section, linking to the row, comes before the per-area tables.
fail_at=$(grep -bo '<section class="failures"' <<<"$dom" | head -1 | cut -d: -f1)
area_at=$(grep -bo '<section class="area"' <<<"$dom" | head -1 | cut -d: -f1)
[ -n "$fail_at" ] && [ -n "$area_at" ] && [ "$fail_at" -lt "$area_at" ] || { echo "the failures are not listed first"; exit 1; }
grep -q '<a href="#saxion.html.fails">' <<<"$dom" || { echo "the failures section does not link to the row"; exit 1; }
# Emptied sections are hidden: with passes and failures hidden nothing is left to show.
dom=$(browser --virtual-time-budget=2000 --dump-dom "file://$work/r.html#hide=pass,fail")
grep -q '<section class="area" data-empty="yes">' <<<"$dom" || { echo "an emptied area is still shown"; exit 1; }
grep -q '<section class="failures" data-empty="yes">' <<<"$dom" || { echo "the emptied failures section is still shown"; exit 1; }
# The cross-target matrix obeys the filters: a scenario passing on both targets is hidden.
"$bin/relaycheck" run --scenarios "$work/s" --filter "saxion.html.*" --report "json:$work/a.json" --quiet || true
"$bin/relaycheck" run --scenarios "$work/s" --filter "saxion.html.*" --report "json:$work/b.json" --quiet || true
"$bin/relaycheck" report --html "$work/m.html" "$work/a.json" "$work/b.json"
dom=$(browser --virtual-time-budget=2000 --dump-dom "file://$work/m.html#hide=pass")
grep -q '<tr data-statuses="pass pass" style="display: none;">' <<<"$dom" || { echo "the matrix did not hide the passing row"; exit 1; }
grep -q '<tr data-statuses="fail fail">' <<<"$dom" || { echo "the matrix hid the failing row"; exit 1; }
browser --window-size=1200,900 --screenshot="$work/shot.png" "file://$work/r.html"
[ -s "$work/shot.png" ] && [ "$(head -c 4 "$work/shot.png" | od -An -c | tr -d ' ')" = "211PNG" ] \
  || { echo "no screenshot"; exit 1; }
echo "html report: rendered, filtered and screenshot taken in chromium"
