#!/usr/bin/env bash
# The HTML report in a real browser (headless Debian chromium): the page renders, the status
# filter hides rows, and a screenshot is taken.
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
browser --window-size=1200,900 --screenshot="$work/shot.png" "file://$work/r.html"
[ -s "$work/shot.png" ] && [ "$(head -c 4 "$work/shot.png" | od -An -c | tr -d ' ')" = "211PNG" ] \
  || { echo "no screenshot"; exit 1; }
echo "html report: rendered, filtered and screenshot taken in chromium"
