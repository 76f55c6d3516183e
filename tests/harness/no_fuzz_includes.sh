#!/bin/sh
# The harness uses nothing from fuzz/ (DESIGN.md: the dependency arrows point one way; formats
# both need live in formats/). Fails listing each include of a fuzz/ header in harness/ and each
# fuzz library harness/CMakeLists.txt links.
# usage: no_fuzz_includes.sh SOURCE_DIR
root=${1:?usage: no_fuzz_includes.sh SOURCE_DIR}
cd "$root" || exit 2
[ -d harness ] && [ -d fuzz ] || { echo "no_fuzz_includes.sh: $root has no harness/ and fuzz/" >&2; exit 2; }
hits=$(mktemp)
trap 'rm -f "$hits"' EXIT
find fuzz -type f \( -name '*.h' -o -name '*.hpp' -o -name '*.inc' \) | while read -r header; do
  rel=${header#fuzz/}  # common/check.h
  base=${header##*/}   # check.h
  # Rooted at the tree, at fuzz/, or bare (fuzz/common is an include directory of the fuzz targets).
  grep -rnE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[\"<](fuzz/$rel|$rel|$base)[\">]" harness \
    --include='*.h' --include='*.hpp' --include='*.cc' --include='*.cpp' |
    while IFS= read -r hit; do
      file=${hit%%:*}
      # A bare name that is a header beside the includer is the harness's own.
      case "$hit" in *"\"$base\""* | *"<$base>"*) [ -f "$(dirname "$file")/$base" ] && continue ;; esac
      echo "$hit   (fuzz header $header)"
    done
done >>"$hits"
grep -nE 'relaycheck_fuzz|(^|[^[:alnum:]_])fuzz/' harness/CMakeLists.txt | sed 's|^|harness/CMakeLists.txt:|' >>"$hits"
if [ -s "$hits" ]; then
  echo "the harness depends on fuzz/ (move what both need to formats/):"
  cat "$hits"
  exit 1
fi
echo "harness/ includes no fuzz/ header and links no fuzz library"
