#!/bin/sh
# End to end (issue 23): `relaycheck run` of the saxion suite against a server that never sends
# JOINED (tests/variants/saxion/no-joined.yaml) fails, and its reports name ONE root cause, the
# login fragment's JOINED step, with the blocked scenarios under it: in the JSON (blocked_by on
# each, counted in the summary), in the HTML (one <details> listing them) and in the text.
# usage: no_joined_root_cause.sh BIN_DIR SOURCE_DIR
set -eu
bin=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

status=0
"$bin/relaycheck" run --profile "$src/tests/variants/saxion/no-joined.yaml" --protocol saxion --skip-tag slow \
  --jobs 4 --quiet --report "json:$work/run.json" --report "html:$work/run.html" --report "text:$work/run.txt" \
  2>"$work/err" || status=$?
if [ "$status" -ne 1 ]; then
  echo "FAIL: expected exit 1 (failures), got $status"; cat "$work/err"; exit 1
fi

python3 - "$work" <<'PY'
import json, re, sys
work = sys.argv[1]
doc = json.load(open(f"{work}/run.json"))
html = open(f"{work}/run.html").read()
text = open(f"{work}/run.txt").read()
def fail(why):
    print("FAIL:", why)
    sys.exit(1)

causes = doc["root_causes"]
if doc["summary"]["root_causes"] != 1 or len(causes) != 1:
    fail(f"expected one root cause, got {json.dumps(causes, indent=1)}")
cause = causes[0]
if not cause["at"].startswith("saxion/fragments.yaml:"):
    fail(f"the root cause is not in the shared fragments: {cause['at']}")
if "JOINED" not in cause["expected"]:
    fail(f"the root cause does not name the missing JOINED: {cause['message']}, expected {cause['expected']}")
blocked = [r for r in doc["results"] if "blocked_by" in r]
if len(blocked) < 10:
    fail(f"only {len(blocked)} results blocked")
for r in blocked:
    if r["blocked_by"] != {"at": cause["at"], "first": cause["first"]} or r["status"] != "fail":
        fail(f"{r['id']}: {r['blocked_by']} {r['status']}")
if sorted(r["id"] for r in blocked) != sorted(cause["results"]):
    fail("the root cause's results are not the blocked ones")
if doc["summary"]["blocked"] != len(blocked) - 1:
    fail(f"summary.blocked {doc['summary']['blocked']}, expected {len(blocked) - 1} (the first is not counted)")

# HTML: one <details> for it, listing every blocked id; each blocked row links back to it.
details = re.findall(r'<details class="root-cause" id="root-cause-(\d+)">(.*?)</details>', html, re.S)
if len(details) != 1:
    fail(f"{len(details)} root-cause <details> in the HTML")
for r in blocked:
    if f'<li><a href="#{r["id"]}">' not in details[0][1]:
        fail(f"{r['id']} not under the root cause in the HTML")
if html.count('blocked by <a href="#root-cause-1">') != len(blocked):
    fail("not every blocked row links to its root cause")

# Text: the root cause once, the blocked ids under it, and the count.
if text.count("ROOT CAUSE at " + cause["at"]) != 1:
    fail("the text does not name the root cause exactly once")
if f"root causes: 1 root cause, {len(blocked) - 1} blocked" not in text:
    fail("the text summary does not count it")
print(f"ok: one root cause at {cause['at']} ({cause['message'][:80]}...), {len(blocked)} results under it, "
      f"{doc['summary']['fail']} failures in all")
PY
