#!/usr/bin/env bash
# The Debian package (cpack -G DEB, as scripts/package makes it, into a temporary directory),
# unpacked with dpkg-deb -x into a temporary root: its control names the runtime libraries, and
# root/usr/bin/relaycheck runs the psuirc suite from an unrelated directory with the data the
# package carries. Builds nothing: the binaries are the build's.
# usage: deb_package.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
unset RELAYCHECK_SCENARIOS
command -v file >/dev/null || fail "'file' is not installed (cpack's DEB generator needs it; scripts/test installs it)"

(cd "$build" && cpack -G DEB -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1) || { cat "$tmp/cpack.log"; fail "cpack -G DEB"; }
debs=("$tmp"/pkg/relaycheck_*.deb)
[ -f "${debs[0]}" ] || { cat "$tmp/cpack.log"; fail "cpack wrote no relaycheck_*.deb"; }
deb=${debs[0]}
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libyaml-cpp libssl3 libc6; do
  [[ "$depends" == *"$lib"* ]] || fail "Depends lacks $lib: $depends"
done
dpkg-deb -c "$deb" >"$tmp/contents.txt"
grep -q '\./usr/share/relaycheck/scenarios/psuirc/' "$tmp/contents.txt" || fail "the package has no psuirc scenarios"
# The man pages and completion, when the build made them (scripts/package builds relaycheck-man).
if [ -f "$build/man/relaycheck.1" ]; then
  grep -q '\./usr/share/man/man1/relaycheck-run\.1' "$tmp/contents.txt" || fail "build/man has man pages, the package has none"
  grep -q '\./usr/share/bash-completion/completions/relaycheck$' "$tmp/contents.txt" || fail "the package has no bash completion"
  grep -q '\./usr/share/bash-completion/completions/relaycheck-server$' "$tmp/contents.txt" || fail "the package has no bash completion for relaycheck-server"
fi

echo "Depends: $depends"
dpkg-deb -x "$deb" "$tmp/root"
mkdir -p "$tmp/x"
cd "$tmp/x"
"$tmp/root/usr/bin/relaycheck" --version >"$tmp/out.txt" 2>&1 || { cat "$tmp/out.txt"; fail "relaycheck --version"; }
timeout -k 5 60 "$tmp/root/usr/bin/relaycheck" run --protocol psuirc --quiet >"$tmp/out.txt" 2>&1 \
  || { cat "$tmp/out.txt"; fail "the unpacked relaycheck run --protocol psuirc"; }
grep -q "passed" "$tmp/out.txt" || { cat "$tmp/out.txt"; fail "no summary from the unpacked relaycheck"; }
echo "PASS: $(basename "$deb") unpacked runs the psuirc suite ($(tail -1 "$tmp/out.txt"))"
