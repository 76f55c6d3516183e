#!/bin/sh
# protocol_names.sh fails on a tree naming a protocol in harness/ outside harness/protocols/ (any
# case, in code or a comment, a plug-in folder's name too), listing file:line, and passes one
# that names them only inside harness/protocols/ or in longer words.
checker=${1:?usage: protocol_names_detects.sh CHECKER}
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/harness/cli" "$tree/harness/protocols/saxion" "$tree/harness/protocols/newproto"
printf 'if (p == "saxion") {}\n' >"$tree/harness/protocols/saxion/plugin.cc"
printf '// the registry lists cop\n' >"$tree/harness/protocols/registry.cc"
printf 'int x;\n// MOOSE'"'"'s key\n' >"$tree/harness/a.cc"
printf 'flag("--protocol", "cs594")\n' >"$tree/harness/cli/b.cc"
printf '# newproto sources\n' >"$tree/harness/CMakeLists.txt"
printf '// scoped, cops, psuircd, copper\n' >"$tree/harness/c.cc"
out=$(sh "$checker" "$tree"); rc=$?
fail() { echo "FAIL: $1"; echo "$out"; exit 1; }
[ "$rc" -eq 1 ] || fail "exit $rc, expected 1"
for want in harness/a.cc:2: harness/cli/b.cc:1: harness/CMakeLists.txt:1:; do
  echo "$out" | grep -q "^$want" || fail "no line for $want"
done
echo "$out" | grep -q '^harness/protocols/' && fail "flagged a file under harness/protocols/"
echo "$out" | grep -q '^harness/c.cc' && fail "flagged longer words"
rm "$tree/harness/a.cc" "$tree/harness/cli/b.cc" "$tree/harness/CMakeLists.txt"
sh "$checker" "$tree" >/dev/null || fail "a clean tree failed"
echo ok
