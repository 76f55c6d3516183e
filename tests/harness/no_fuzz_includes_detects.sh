#!/bin/sh
# no_fuzz_includes.sh fails on a tree whose harness includes a fuzz/ header (three spellings) or
# links a fuzz library, and passes a harness header that only shares a fuzz header's name.
checker=${1:?usage: no_fuzz_includes_detects.sh CHECKER}
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/harness/sub" "$tree/fuzz/common"
: >"$tree/fuzz/common/check.h"
: >"$tree/harness/sub/check.h"
printf '#include "fuzz/common/check.h"\n' >"$tree/harness/a.cc"
printf '// x\n#include "common/check.h"\n' >"$tree/harness/b.cc"
printf '#include "check.h"\n' >"$tree/harness/c.cc"
printf '#include "check.h"\n' >"$tree/harness/sub/own.cc"  # its own sub/check.h
printf 'target_link_libraries(x PRIVATE relaycheck_fuzz_support)\n' >"$tree/harness/CMakeLists.txt"
out=$(sh "$checker" "$tree"); rc=$?
fail() { echo "FAIL: $1"; echo "$out"; exit 1; }
[ "$rc" -eq 1 ] || fail "exit $rc, expected 1"
for want in harness/a.cc:1: harness/b.cc:2: harness/c.cc:1: harness/CMakeLists.txt:1:; do
  echo "$out" | grep -q "^$want" || fail "no line for $want"
done
echo "$out" | grep -q 'sub/own.cc' && fail "flagged a harness header of the same name"
rm "$tree/harness/a.cc" "$tree/harness/b.cc" "$tree/harness/c.cc"
: >"$tree/harness/CMakeLists.txt"
sh "$checker" "$tree" >/dev/null || fail "a clean tree failed"
echo ok
