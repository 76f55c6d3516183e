#!/usr/bin/env bash
# Builds every libFuzzer target the OSS-Fuzz way: compiler and flags come from the environment
# ($CXX, $CXXFLAGS, $LIB_FUZZING_ENGINE), and everything a fuzzing engine needs lands in $OUT:
#   $OUT/<target>                  the libFuzzer binary
#   $OUT/<target>.dict             its dictionary
#   $OUT/<target>.options          its libFuzzer options ([libfuzzer] dict = <target>.dict, ...)
#   $OUT/<target>_seed_corpus.zip  its seed corpus (fuzz/<protocol>/<name>_corpus/)
# ClusterFuzzLite and OSS-Fuzz run it as is (.clusterfuzzlite/build.sh); scripts/fuzz runs it
# with local defaults. Targets: every fuzz/<protocol>/<name>.cc defining LLVMFuzzerTestOneInput
# is <protocol>_<name> (fuzz/README.md).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)

# Local defaults: clang 14 with ASan + UBSan, as scripts/fuzz uses.
: "${CXX:=clang++}"
: "${CXXFLAGS:=-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined -fsanitize=fuzzer-no-link}"
: "${LIB_FUZZING_ENGINE:=-fsanitize=fuzzer}"
: "${WORK:=$src/build-fuzz}"
: "${OUT:=$WORK/out}"

die() { echo "fuzz/build.sh: $*" >&2; exit 2; }
command -v "$CXX" >/dev/null || die "compiler '$CXX' not found (scripts/test installs clang and libclang-rt-14-dev)"
mkdir -p "$OUT"

# CMAKE_CXX_FLAGS is passed each time: CMake reads $CXXFLAGS only when it first makes a cache.
CXX=$CXX cmake -S "$src" -B "$WORK" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS="$CXXFLAGS" -DRELAYCHECK_FUZZ_ONLY=ON -DRELAYCHECK_SANITIZE=OFF \
  -DRELAYCHECK_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" >/dev/null || die "configure failed"
cmake --build "$WORK" -j "$(nproc 2>/dev/null || echo 2)" || die "build failed"

zip_dir() {  # zip_dir DIR ZIPFILE: the files of DIR, flat
  rm -f "$2"
  if command -v zip >/dev/null; then
    (cd "$1" && zip -q -j "$2" ./*)
  else
    die "zip not found (scripts/test installs it)"
  fi
}

count=0
for source in "$src"/fuzz/*/*.cc; do
  grep -q 'LLVMFuzzerTestOneInput' "$source" || continue
  protocol=$(basename "$(dirname "$source")")
  [ "$protocol" = common ] && continue
  name=$(basename "$source" .cc)
  target=${protocol}_$name
  base=${source%.cc}
  [ -x "$WORK/fuzz/bin/$target" ] || die "$target was not built ($WORK/fuzz/bin/$target missing)"
  cp "$WORK/fuzz/bin/$target" "$OUT/$target"
  [ -f "$base.dict" ] && cp "$base.dict" "$OUT/$target.dict"
  # The options name the dictionary by its source name; in $OUT it carries the target's.
  [ -f "$base.options" ] && sed "s|^\(dict[[:space:]]*=[[:space:]]*\)$name\.dict|\1$target.dict|" "$base.options" >"$OUT/$target.options"
  [ -d "${base}_corpus" ] && zip_dir "${base}_corpus" "$OUT/${target}_seed_corpus.zip"
  count=$((count + 1))
done
echo "fuzz/build.sh: $count targets in $OUT"
