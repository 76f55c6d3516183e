#!/usr/bin/env bash
# exec/s of every in-process fuzz target, side by side in one run (figures, not a test):
#   plain        the target alone (custom mutator + LLVMFuzzerTestOneInput in a loop), -O2
#   asan+ubsan   the same loop built with ASan and UBSan
#   libFuzzer    the real libFuzzer binary (ASan + UBSan + coverage), one process on its seeds,
#                libFuzzer's own stat::average_exec_per_sec
# usage: bench/fuzz_exec.sh [SECONDS per figure, default 10] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
shift || true
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || { echo "fuzz_exec.sh: SECONDS must be a positive number" >&2; exit 2; }
jobs=$(nproc 2>/dev/null || echo 2)

echo "fuzz_exec: building plain, ASan+UBSan and libFuzzer builds ..." >&2
build_exec_benches() {  # build_exec_benches DIR CMAKE_ARGS...: only the <target>_exec_bench binaries
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DRELAYCHECK_TESTS=OFF "$@" >/dev/null
  mapfile -t benches < <(ninja -C "$dir" -t targets all | grep -v '^cmake_' | sed -n 's/^\([a-z0-9_]*_exec_bench\): .*/\1/p' | sort -u)
  ninja -C "$dir" -j "$jobs" "${benches[@]}" >/dev/null
}
build_exec_benches build-bench
build_exec_benches build-bench-asan -DRELAYCHECK_SANITIZE=ON
fuzz/build.sh >/dev/null

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for b in build-bench/bench/*_exec_bench; do targets+=("$(basename "$b" _exec_bench)"); done
fi

source scripts/lib/fuzz_options.sh
loop_rate() { "$1" "$seconds" | sed -n 's/^[^ ]* *\([0-9]*\) exec\/s.*/\1/p'; }
libfuzzer_rate() {  # libfuzzer_rate TARGET: one libFuzzer process on a scratch copy of the seeds
  local t=$1 out=build-fuzz/out work flags=()
  work=$(mktemp -d)
  if [ -f "$out/${t}_seed_corpus.zip" ]; then unzip -q "$out/${t}_seed_corpus.zip" -d "$work/corpus"; else mkdir "$work/corpus"; fi
  mapfile -t flags < <(options_flags "$out/$t.options")
  ASAN_OPTIONS=detect_leaks=0 "$out/$t" -max_total_time="$seconds" -print_final_stats=1 -close_fd_mask=3 \
    "${flags[@]}" "$work/corpus" 2>&1 | sed -n 's/^stat::average_exec_per_sec: *//p'
  rm -rf "$work"
}

printf '%-22s %12s %12s %12s %10s\n' target plain asan+ubsan libFuzzer plain/asan
for t in "${targets[@]}"; do
  plain=$(loop_rate "build-bench/bench/${t}_exec_bench")
  asan=$(loop_rate "build-bench-asan/bench/${t}_exec_bench")
  lf=$(libfuzzer_rate "$t")
  ratio=$(awk -v a="$plain" -v b="$asan" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }')
  printf '%-22s %12s %12s %12s %10s\n' "$t" "$plain" "$asan" "${lf:--}" "$ratio"
done
echo "(exec/s; $seconds s each; load average $(cut -d' ' -f1-3 /proc/loadavg))"
