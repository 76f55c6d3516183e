#!/bin/sh
# No protocol's name appears in harness/ outside harness/protocols/ (the plug-ins and their one
# registry): run, load, fuzz, coverage and list ask the registry (issue 27). The names are the
# five below and every plug-in folder; a word match, any case ("moose's" counts, "scoped" does not).
# Fails listing file:line of each hit.
# usage: protocol_names.sh SOURCE_DIR
root=${1:?usage: protocol_names.sh SOURCE_DIR}
cd "$root" || exit 2
[ -d harness/protocols ] || { echo "protocol_names.sh: $root has no harness/protocols/" >&2; exit 2; }
names="saxion cop cs594 psuirc moose"
for dir in harness/protocols/*/; do names="$names $(basename "$dir")"; done
pattern=$(echo "$names" | tr ' ' '\n' | sort -u | paste -sd'|' -)
hits=$(grep -rniwE "$pattern" harness --exclude-dir=protocols)
if [ -n "$hits" ]; then
  echo "protocol names in harness/ outside harness/protocols/ (ask the registry, or say <protocol>):"
  echo "$hits"
  exit 1
fi
echo "harness/ names no protocol outside harness/protocols/ ($pattern)"
