#!/usr/bin/env bash
# Build-time bench (issue 24): a fresh configure + build without precompiled headers
# (-DRELAYCHECK_PCH=OFF, "before") and with them (the default, "after"), first of the two binaries
# (relaycheck, relaycheck-server), then of everything including the tests. One line per build:
# wall seconds and CPU seconds (user+sys of cmake, ninja and every compiler it ran).
# usage: bench/build_time.sh [--binaries-only] [--pch ON|OFF] [--jobs N] [--keep] [WORK_DIR]
#   --pch: only that side (a busy machine: run the two sides at quiet moments). WORK_DIR holds
#   the fresh build dirs (default: a temporary dir, removed at the end).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)
scopes=(binaries all)
sides=(OFF ON)
work="" keep=0
while [ $# -gt 0 ]; do
  case $1 in
    --binaries-only) scopes=(binaries) ;;
    --jobs) jobs=$2; shift ;;
    --pch) case ${2:-} in ON|OFF) sides=("$2") ;; *) echo "build_time.sh: --pch takes ON or OFF" >&2; exit 2 ;; esac; shift ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "build_time.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) work=$1 ;;
  esac
  shift
done
if [ -z "$work" ]; then
  work=$(mktemp -d)
  [ "$keep" = 1 ] || trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"

echo "build_time: $(nproc 2>/dev/null || echo '?') cores, -j$jobs, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
echo "build_time: CPU seconds (user+sys) are the fairer figure on a shared or busy machine; wall seconds depend on what else runs"
TIMEFORMAT='%R %U %S'
for scope in "${scopes[@]}"; do
  targets=(relaycheck relaycheck-server)
  [ "$scope" = all ] && targets=(all)
  declare -A cpu=()
  for pch in "${sides[@]}"; do
    dir=$work/$scope-pch-$pch
    rm -rf "$dir"
    # No compiler launcher: a cache would measure the cache.
    if ! { time (cmake -S "$src" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRELAYCHECK_PCH=$pch \
                   -DCMAKE_CXX_COMPILER_LAUNCHER= >"$dir.log" 2>&1 &&
                 cmake --build "$dir" -j "$jobs" --target "${targets[@]}" >>"$dir.log" 2>&1); } 2>"$work/time.txt"; then
      echo "build_time: the $scope build with RELAYCHECK_PCH=$pch failed; its log: $dir.log" >&2
      tail -20 "$dir.log" >&2
      trap - EXIT
      exit 1
    fi
    read -r wall user sys <"$work/time.txt"
    cpu[$pch]=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.0f", u + s }')
    label=before; [ "$pch" = ON ] && label=after
    printf 'build_time %-6s %-8s pch=%-3s wall_s=%5.0f cpu_s=%5s  (%s)\n' "$label" "$scope" "$pch" "$wall" "${cpu[$pch]}" "${targets[*]}"
    [ "$keep" = 1 ] || rm -rf "$dir"
  done
  [ ${#sides[@]} = 2 ] && awk -v a="${cpu[OFF]}" -v b="${cpu[ON]}" -v s="$scope" \
    'BEGIN { printf "build_time %s: CPU seconds %d -> %d (%+.0f%%)\n", s, a, b, a > 0 ? 100 * (b - a) / a : 0 }'
  unset cpu
done
