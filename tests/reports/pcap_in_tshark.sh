#!/usr/bin/env bash
# Every scenario of a real run, written with --pcap, is read by Wireshark's tools, and each capture's TCP
# streams follow to exactly the bytes of the conversation (checked for one stream end to end).
set -euo pipefail
bin=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v tshark >/dev/null || { echo "tshark is not installed (scripts/test installs it)"; exit 1; }
"$bin/relaycheck" run --protocol saxion --pcap "$work/pcap" --quiet --report "json:$work/r.json" \
  --events "$work/events.jsonl" >/dev/null
# capinfos (Wireshark's reader, shipped with tshark) reads every capture in one go.
capinfos -c "$work"/pcap/*.pcapng >"$work/info" 2>"$work/err" || { echo "cannot read a capture:"; cat "$work/err"; exit 1; }
n=$(grep -c '^Number of packets' "$work/info")
[ "$n" -ge 40 ] || { echo "only $n captures"; exit 1; }
# saxion.ident.ok: alice connects, gets INIT, sends IDENT alice<uniq>, gets OK IDENT alice<uniq>. The name
# is unique per run, so it is read from the run's own event log (what the harness says it sent).
name=$(python3 - "$work/events.jsonl" <<'PY'
import json, re, sys
sent = [e["text"] for e in map(json.loads, open(sys.argv[1]))
        if e.get("event") == "frame" and e.get("id") == "saxion.ident.ok" and e.get("kind") == "sent"]
m = re.fullmatch(r"IDENT (alice[a-z0-9]+)\\n", sent[0]) if len(sent) == 1 else None
print(m.group(1) if m else "")
PY
)
[ -n "$name" ] || { echo "saxion.ident.ok did not send exactly one 'IDENT alice<uniq>' in the event log"; exit 1; }
tshark -r "$work/pcap/saxion.ident.ok.pcapng" -q -z follow,tcp,raw,0 2>/dev/null >"$work/follow"
client=$(awk '/^[0-9a-f]+$/ {print}' "$work/follow" | tr -d '\n')
server=$(awk '/^\t[0-9a-f]+$/ {gsub(/\t/,""); print}' "$work/follow" | tr -d '\n')
want_client=$(printf 'IDENT %s\n' "$name" | od -An -tx1 | tr -d ' \n')
want_server=$(printf 'INIT Welcome to the server!\nOK IDENT %s\n' "$name" | od -An -tx1 | tr -d ' \n')
[ "$client" = "$want_client" ] || { echo "client bytes differ: $client vs $want_client"; exit 1; }
[ "$server" = "$want_server" ] || { echo "server bytes differ: $server vs $want_server"; exit 1; }
echo "pcapng: tshark read $n captures; stream bytes exact"
