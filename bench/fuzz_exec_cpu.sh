#!/usr/bin/env bash
# libFuzzer runs per CPU second of each target, this checkout beside another (figures, not a test).
# On a loaded machine a wall-clock rate (bench/fuzz_exec.sh) swings by a third from run to run;
# the CPU time of a fixed run (same seed, same number of runs, from the seeds) does not, so this
# is the figure for "did a change make the target slower". Each pair runs back to back, REPEAT
# times (default 3); the best of each side is printed.
# usage: bench/fuzz_exec_cpu.sh BASELINE_DIR TARGET=RUNS...   (e.g. saxion_session_fuzz=50000)
#        FUZZ_EXEC_REPEAT=N bench/fuzz_exec_cpu.sh ...
# Both trees must have build-fuzz/out (fuzz/build.sh, or a bench/fuzz_exec.sh run).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: bench/fuzz_exec_cpu.sh BASELINE_DIR TARGET=RUNS..." >&2; exit 2; }
baseline=$1
shift
repeat=${FUZZ_EXEC_REPEAT:-3}
source scripts/lib/fuzz_options.sh

cpu_seconds() {  # cpu_seconds TREE TARGET RUNS: user+sys seconds of one fixed libFuzzer run
  local out=$1/build-fuzz/out t=$2 runs=$3 work flags=()
  [ -x "$out/$t" ] || { echo "fuzz_exec_cpu.sh: $out/$t missing" >&2; exit 2; }
  work=$(mktemp -d)
  if [ -f "$out/${t}_seed_corpus.zip" ]; then unzip -q "$out/${t}_seed_corpus.zip" -d "$work/corpus"; else mkdir "$work/corpus"; fi
  mapfile -t flags < <(options_flags "$out/$t.options")
  ASAN_OPTIONS=detect_leaks=0 /usr/bin/time -f '%U %S' -o "$work/time" "$out/$t" -seed=1 -runs="$runs" -close_fd_mask=3 \
    "${flags[@]}" "$work/corpus" >/dev/null 2>&1 || true
  awk '{ printf "%.2f\n", $1 + $2 }' "$work/time"
  rm -rf "$work"
}

printf '%-22s %8s %14s %14s %8s\n' target runs "before exec/s" "after exec/s" change
for spec in "$@"; do
  t=${spec%%=*} runs=${spec#*=}
  best_before="" best_after=""
  for ((r = 0; r < repeat; r++)); do
    b=$(cpu_seconds "$baseline" "$t" "$runs")
    a=$(cpu_seconds "$PWD" "$t" "$runs")
    best_before=$(awk -v x="$b" -v y="${best_before:-$b}" 'BEGIN { print (x < y ? x : y) }')
    best_after=$(awk -v x="$a" -v y="${best_after:-$a}" 'BEGIN { print (x < y ? x : y) }')
  done
  awk -v t="$t" -v n="$runs" -v b="$best_before" -v a="$best_after" \
    'BEGIN { rb = n / b; ra = n / a; printf "%-22s %8d %14.0f %14.0f %+7.1f %%\n", t, n, rb, ra, (ra - rb) * 100 / rb }'
done
echo "(libFuzzer runs per CPU second (user+sys), -seed=1 -runs=RUNS from the seeds, best of $repeat; load average $(cut -d' ' -f1-3 /proc/loadavg))"
