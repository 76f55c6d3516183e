#!/usr/bin/env bash
# exec/s of every in-process fuzz target, side by side in one run (figures, not a test):
#   plain        the target alone (custom mutator + LLVMFuzzerTestOneInput in a loop) on its seeds
#   asan+ubsan   the same loop built with ASan and UBSan
#   libFuzzer    the real libFuzzer binary (ASan + UBSan + coverage, trace-cmp included), one
#                process from its seeds: libFuzzer's own stat::average_exec_per_sec over the run,
#                and the rate over the run's second half, when the corpus has grown and the first
#                burst of new coverage is over (what a long campaign runs at). Run REPEAT times
#                (FUZZ_EXEC_REPEAT, default 3); the columns are those of the fastest run, and
#                "all runs" lists every run's average. On a shared machine noise only ever slows
#                a run (its speed drops by a third for seconds at a time), so the fastest run is
#                the closest to what the target itself costs; the others show the spread.
#   mean input   the mean size of the inputs in libFuzzer's corpus at the end (its inputs grow as
#                it fuzzes, and a session target's cost grows with them)
# All builds use clang, as libFuzzer does, so the columns differ only in what they name.
# With FUZZ_EXEC_BASELINE=DIR (another checkout, e.g. a git worktree of an earlier commit, built
# in its own build dirs) each target gets a second row, "before", measured from DIR in the same
# run, each figure taken right after the other (the libFuzzer runs alternate), and a last column
# with the change of the libFuzzer figure: a shared machine's slow spells then hit both rows.
# usage: bench/fuzz_exec.sh [SECONDS per figure, default 10] [TARGET...]   (TARGET: saxion_session_fuzz, ...)
#        FUZZ_EXEC_REPEAT=N bench/fuzz_exec.sh ...   (libFuzzer runs per target, default 3)
#        FUZZ_EXEC_BASELINE=/work/core-before bench/fuzz_exec.sh 10 saxion_session_fuzz
#        FUZZ_EXEC_LOOPS=0 bench/fuzz_exec.sh ...   (libFuzzer only: no plain and ASan loop builds)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
shift || true
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || { echo "fuzz_exec.sh: SECONDS must be a positive number" >&2; exit 2; }
repeat=${FUZZ_EXEC_REPEAT:-3}
[[ "$repeat" =~ ^[0-9]+$ ]] && [ "$repeat" -gt 0 ] || { echo "fuzz_exec.sh: FUZZ_EXEC_REPEAT must be a positive number" >&2; exit 2; }
jobs=$(nproc 2>/dev/null || echo 2)
loops=${FUZZ_EXEC_LOOPS:-1}
baseline=${FUZZ_EXEC_BASELINE:-}
if [ -n "$baseline" ]; then
  [ -x "$baseline/fuzz/build.sh" ] || { echo "fuzz_exec.sh: FUZZ_EXEC_BASELINE=$baseline is not a relaycheck checkout" >&2; exit 2; }
  baseline=$(cd "$baseline" && pwd)
fi

echo "fuzz_exec: building plain, ASan+UBSan and libFuzzer builds ..." >&2
build_exec_benches() {  # build_exec_benches SOURCE DIR CMAKE_ARGS...: only the <target>_exec_bench binaries
  local src=$1 dir=$1/$2
  shift 2
  CXX=clang++ cmake -S "$src" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DRELAYCHECK_TESTS=OFF "$@" >/dev/null
  mapfile -t benches < <(ninja -C "$dir" -t targets all | grep -v '^cmake_' | sed -n 's/^\([a-z0-9_]*_exec_bench\): .*/\1/p' | sort -u)
  ninja -C "$dir" -j "$jobs" "${benches[@]}" >/dev/null
}
for tree in "$PWD" ${baseline:+"$baseline"}; do
  if [ "$loops" != 0 ]; then
    build_exec_benches "$tree" build-bench-clang
    build_exec_benches "$tree" build-bench-clang-asan -DRELAYCHECK_SANITIZE=ON
  fi
  "$tree/fuzz/build.sh" >/dev/null
done

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for b in build-fuzz/out/*.options; do targets+=("$(basename "$b" .options)"); done
fi
for t in "${targets[@]}"; do
  [ -x "build-fuzz/out/$t" ] || {
    echo "fuzz_exec.sh: no fuzz target '$t'; the targets are: $(cd build-fuzz/out && ls -- *.options | sed 's/\.options$//' | tr '\n' ' ')" >&2
    exit 2
  }
done

source scripts/lib/fuzz_options.sh
loop_rate() {  # loop_rate BINARY: its exec/s, or - where the tree has no such target
  [ -x "$1" ] || { echo -; return; }
  "$1" "$seconds" | sed -n 's/^[^ ]* *\([0-9]*\) exec\/s.*/\1/p'
}
libfuzzer_rate() {  # libfuzzer_rate TREE TARGET: "AVERAGE SECOND-HALF MEAN-INPUT" of one libFuzzer process on a scratch copy of the seeds
  local t=$2 out=$1/build-fuzz/out work flags=()
  [ -x "$out/$t" ] || { echo "- - -"; return; }
  work=$(mktemp -d)
  if [ -f "$out/${t}_seed_corpus.zip" ]; then unzip -q "$out/${t}_seed_corpus.zip" -d "$work/corpus"; else mkdir "$work/corpus"; fi
  mapfile -t flags < <(options_flags "$out/$t.options")
  # Each status line stamped with the time it came (perl: no process per line), so the rate of
  # the second half is runs over seconds between two lines of the run's own count.
  ASAN_OPTIONS=detect_leaks=0 "$out/$t" -max_total_time="$seconds" -print_final_stats=1 -close_fd_mask=3 \
    "${flags[@]}" "$work/corpus" 2>&1 | perl -MTime::HiRes=time -ne 'printf "%.3f %s", time, $_' >"$work/log"
  local files bytes
  files=$(find "$work/corpus" -type f | wc -l)
  bytes=$(find "$work/corpus" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
  awk -v seconds="$seconds" -v files="$files" -v bytes="$bytes" '
    $2 ~ /^#[0-9]+$/ { n = substr($2, 2) + 0; if (!start) start = $1; last_t = $1; last_n = n; t[++k] = $1; r[k] = n }
    /stat::average_exec_per_sec:/ { avg = $3 }
    END {
      half = "-"
      for (i = 1; i <= k; i++) if (t[i] - start >= seconds / 2) { if (last_t > t[i]) half = sprintf("%.0f", (last_n - r[i]) / (last_t - t[i])); break }
      printf "%s %s %s\n", (avg == "" ? "-" : avg), half, (files ? sprintf("%.0f", bytes / files) : "-")
    }' "$work/log"
  rm -rf "$work"
}

# One row's figures per tree (index 0: this checkout, 1: the baseline), filled in turn.
trees=("$PWD" ${baseline:+"$baseline"})
row() {  # row NAME INDEX: print the row of tree INDEX
  local i=$2
  printf '%-29s %10s %11s %11s %13s %9s B  %s%s\n' "$1" "${plain[$i]}" "${asan[$i]}" "${lf[$i]}" "${lf_half[$i]}" \
    "${mean_input[$i]}" "${all[$i]# }" "${3:-}"
}
printf '%-29s %10s %11s %11s %13s %11s  %s\n' target plain asan+ubsan libFuzzer "libFuzzer 2nd" "mean input" "all runs"
for t in "${targets[@]}"; do
  plain=() asan=() lf=() lf_half=() mean_input=() all=()
  for i in "${!trees[@]}"; do
    plain[i]=$(loop_rate "${trees[i]}/build-bench-clang/bench/${t}_exec_bench")
    asan[i]=$(loop_rate "${trees[i]}/build-bench-clang-asan/bench/${t}_exec_bench")
    lf[i]=- lf_half[i]=- mean_input[i]=- all[i]=""
  done
  for ((r = 0; r < repeat; r++)); do
    for i in "${!trees[@]}"; do
      read -r avg half mean < <(libfuzzer_rate "${trees[i]}" "$t")
      all[i]+="${all[i]:+/}$avg"
      if [ "${lf[i]}" = - ] || { [ "$avg" != - ] && [ "$avg" -gt "${lf[i]}" ]; }; then lf[i]=$avg lf_half[i]=$half mean_input[i]=$mean; fi
    done
  done
  if [ -z "$baseline" ]; then
    row "$t" 0
  else
    change=-
    if [ "${lf[0]}" != - ] && [ "${lf[1]}" != - ] && [ "${lf[1]}" -gt 0 ]; then
      change=$(awk -v a="${lf[0]}" -v b="${lf[1]}" 'BEGIN { printf "%+.1f %%", (a - b) * 100 / b }')
    fi
    row "$t (before)" 1
    row "$t (after)" 0 "   libFuzzer change: $change"
  fi
done
echo "(exec/s; $seconds s each; the loops on the seeds, libFuzzer from them, the fastest of $repeat runs; load average $(cut -d' ' -f1-3 /proc/loadavg))"
