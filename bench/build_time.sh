#!/usr/bin/env bash
# Build-time bench (issue 24): fresh configure + build of the build as it was before the build-time
# work ("before": -DRELAYCHECK_FAST_BUILD=OFF -DRELAYCHECK_PCH=OFF) and of today's default ("after":
# precompiled headers, unity builds, -g1), first of the two binaries (relaycheck, relaycheck-server),
# then of everything including the tests. One line per build: wall seconds and CPU seconds (user+sys
# of cmake, ninja and every compiler it ran); then the slowest steps of each (ninja's log).
# usage: bench/build_time.sh [--binaries-only] [--side before|pch|after]... [--jobs N] [--top N] [--keep] [WORK_DIR]
#   --side: only those builds (default: before, after); "pch" is precompiled headers alone
#   (-DRELAYCHECK_FAST_BUILD=OFF), the state before unity builds and -g1. WORK_DIR holds the fresh
#   build dirs (default: a temporary dir, removed at the end). Build type: RelWithDebInfo (scripts/build's).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)
scopes=(binaries all)
sides=()
work="" keep=0 top=5
while [ $# -gt 0 ]; do
  case $1 in
    --binaries-only) scopes=(binaries) ;;
    --jobs) jobs=$2; shift ;;
    --top) top=$2; shift ;;
    --side) case ${2:-} in before|pch|after) sides+=("$2") ;; *) echo "build_time.sh: --side takes before, pch or after" >&2; exit 2 ;; esac; shift ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "build_time.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) work=$1 ;;
  esac
  shift
done
[ ${#sides[@]} -gt 0 ] || sides=(before after)
if [ -z "$work" ]; then
  work=$(mktemp -d)
  [ "$keep" = 1 ] || trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"

# The cache options of each side.
side_options() {
  case $1 in
    before) echo "-DRELAYCHECK_FAST_BUILD=OFF -DRELAYCHECK_PCH=OFF" ;;
    pch) echo "-DRELAYCHECK_FAST_BUILD=OFF -DRELAYCHECK_PCH=ON" ;;
    after) echo "-DRELAYCHECK_FAST_BUILD=ON -DRELAYCHECK_PCH=ON" ;;
  esac
}

echo "build_time: $(nproc 2>/dev/null || echo '?') cores, -j$jobs, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
echo "build_time: CPU seconds (user+sys) are the fairer figure on a shared or busy machine; wall seconds depend on what else runs"
TIMEFORMAT='%R %U %S'
for scope in "${scopes[@]}"; do
  targets=(relaycheck relaycheck-server)
  [ "$scope" = all ] && targets=(all)
  declare -A cpu=()
  for side in "${sides[@]}"; do
    dir=$work/$scope-$side
    rm -rf "$dir"
    # No compiler launcher: a cache would measure the cache.
    # shellcheck disable=SC2046
    if ! { time (cmake -S "$src" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(side_options "$side") \
                   -DCMAKE_CXX_COMPILER_LAUNCHER= >"$dir.log" 2>&1 &&
                 cmake --build "$dir" -j "$jobs" --target "${targets[@]}" >>"$dir.log" 2>&1); } 2>"$work/time.txt"; then
      echo "build_time: the $scope build \"$side\" failed; its log: $dir.log" >&2
      tail -20 "$dir.log" >&2
      trap - EXIT
      exit 1
    fi
    read -r wall user sys <"$work/time.txt"
    cpu[$side]=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.0f", u + s }')
    printf 'build_time %-6s %-8s wall_s=%5.0f cpu_s=%5s  (%s; %s)\n' "$side" "$scope" "$wall" "${cpu[$side]}" \
      "${targets[*]}" "$(side_options "$side")"
    # Where the time went: the slowest steps (ninja's log; wall seconds of each compile or link).
    if [ "$top" -gt 0 ]; then
      awk 'NR > 1 { printf "build_time   %6.1f s  %s\n", ($2 - $1) / 1000, $4 }' "$dir/.ninja_log" | sort -k2 -rn | head -n "$top"
    fi
    [ "$keep" = 1 ] || rm -rf "$dir"
  done
  for side in pch after; do
    [ -n "${cpu[before]:-}" ] && [ -n "${cpu[$side]:-}" ] || continue
    awk -v a="${cpu[before]}" -v b="${cpu[$side]}" -v s="$scope" -v t="$side" \
      'BEGIN { printf "build_time %s: CPU seconds before %d -> %s %d (%+.0f%%)\n", s, a, t, b, (a > 0 ? 100 * (b - a) / a : 0) }'
  done
  unset cpu
done
