#!/usr/bin/env bash
# Network fuzzing on more than one core (issue 28): `relaycheck fuzz --jobs N` against the
# reference server (--target spawn: one instance per worker), frames/s and cases/s beside
# --jobs 1, in one run. The sides alternate, ROUNDS times, so a busy machine hits both alike;
# each row is one run, then the median per side. Figures, not a test.
# usage: bench/netfuzz_jobs_bench.sh [--protocol P] [--jobs N] [--seconds S] [--rounds R] [--differential] [BIN_DIR]
#   defaults: saxion, N=2, 20 s, 3 rounds, build/bin
set -euo pipefail
cd "$(dirname "$0")/.."
protocol=saxion jobs=2 seconds=20 rounds=3 bin=build/bin extra=()
while [ $# -gt 0 ]; do
  case $1 in
    --protocol) protocol=$2; shift ;;
    --jobs) jobs=$2; shift ;;
    --seconds) seconds=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --differential) extra+=(--differential) ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "netfuzz_jobs_bench: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) bin=$1 ;;
  esac
  shift
done
[ -x "$bin/relaycheck" ] || { echo "netfuzz_jobs_bench: no relaycheck in $bin" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
num() { sed -n "s/^  \"$1\": \([0-9.]*\),\{0,1\}$/\1/p" "$2"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "netfuzz_jobs_bench: $protocol against the reference server, ${seconds} s a run, $rounds rounds, $(nproc) cores," \
  "load $(cut -d' ' -f1-3 /proc/loadavg) ${extra[*]}"
printf '%-6s %-6s %10s %10s %8s %7s\n' round jobs frames/s cases/s states starts
for r in $(seq "$rounds"); do
  for j in 1 "$jobs"; do
    d=$out/r$r-j$j
    "$bin/relaycheck" fuzz --protocol "$protocol" --target spawn --jobs "$j" --seed "$r" --duration "$seconds" \
      "${extra[@]}" --out "$d" --quiet >/dev/null 2>&1 || { echo "netfuzz_jobs_bench: the --jobs $j run failed or found something ($d)" >&2; }
    s=$d/summary.json
    printf '%-6s %-6s %10.0f %10.0f %8s %7s\n' "$r" "$j" "$(num frames_per_s "$s")" "$(num cases_per_s "$s")" \
      "$(num states "$s")" "$(num target_starts "$s")"
    num frames_per_s "$s" >>"$out/frames-$j"
  done
done
one=$(median <"$out/frames-1")
many=$(median <"$out/frames-$jobs")
awk -v a="$one" -v b="$many" -v j="$jobs" \
  'BEGIN { printf "netfuzz_jobs_bench: median frames/s --jobs 1 %.0f, --jobs %d %.0f (x%.2f)\n", a, j, b, (a > 0 ? b / a : 0) }'
