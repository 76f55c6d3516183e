#!/usr/bin/env bash
# Time to find the planted bugs (issue 8; reference-server/proto/common/planted.h): the median
# seconds over 3 seeds, in-process (the protocol's libFuzzer session fuzzer, -seed=N) and over
# the network (relaycheck fuzz --seed N against spawn:relaycheck-server-planted). Each bug is
# timed alone (RELAYCHECK_PLANTED_ONLY); an attempt that finds nothing within the cap counts as
# "not found in CAPs". Builds build-planted/ and build-fuzz-planted/ (clang) when needed.
# usage: bench/planted_bugs.sh [CAP_SECONDS]   (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cap=${1:-${PLANTED_CAP:-60}}
jobs=$(nproc 2>/dev/null || echo 2)

cmake -S . -B build-planted -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRELAYCHECK_PLANTED_BUGS=ON \
  -DRELAYCHECK_TESTS=OFF >/dev/null
cmake --build build-planted -j "$jobs" --target relaycheck relaycheck-server-planted >/dev/null
CXX=${CXX:-clang++} cmake -S . -B build-fuzz-planted -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DRELAYCHECK_FUZZ_ONLY=ON -DRELAYCHECK_PLANTED_BUGS=ON >/dev/null
cmake --build build-fuzz-planted -j "$jobs" --target saxion_session_fuzz psuirc_session_fuzz >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }

# Seconds until the in-process fuzzer of $1 (saxion|psuirc) crashes on bug $2 with seed $3.
in_process() {
  local proto=$1 bug=$2 seed=$3 corpus=$work/corpus-$1-$2-$3 start end
  mkdir -p "$corpus"
  cp "$root/fuzz/$proto/session_fuzz_corpus"/* "$corpus"/ 2>/dev/null || true
  local dict=()
  [ -f "$root/fuzz/$proto/session_fuzz.dict" ] && dict=(-dict="$root/fuzz/$proto/session_fuzz.dict")
  start=$(now)
  if RELAYCHECK_PLANTED_ONLY=$bug "build-fuzz-planted/fuzz/bin/${proto}_session_fuzz" -seed="$seed" \
      -max_total_time="$cap" -artifact_prefix="$work/" "${dict[@]}" "$corpus" >"$work/log" 2>&1; then
    echo none
  elif grep -q "planted bug $bug" "$work/log"; then
    end=$(now); printf '%.2f\n' "$(echo "$end - $start" | bc)"
  else
    echo none
  fi
}

# Seconds until relaycheck fuzz finds bug $2 of protocol $1 with seed $3 (its own clock).
network() {
  local proto=$1 bug=$2 seed=$3 out=$work/net-$1-$2-$3
  RELAYCHECK_PLANTED_ONLY=$bug build-planted/bin/relaycheck fuzz --protocol "$proto" \
    --target "spawn:$root/build-planted/bin/relaycheck-server-planted" --seed "$seed" --duration "$cap" \
    --max-findings 1 --no-minimise --out "$out" --quiet >/dev/null 2>&1 || true
  if grep -q "planted bug $bug" "$out/summary.json" 2>/dev/null; then
    printf '%.2f\n' "$(sed -n 's/.*"found_after_s": \([0-9.]*\).*/\1/p' "$out/summary.json" | head -1)"
  else
    echo none
  fi
}

# The median of three times, "none" counting as longer than any.
median() {
  local sorted
  sorted=$(printf '%s\n' "$@" | sed 's/^none$/999999/' | sort -g | sed -n 2p)
  if [ "$sorted" = 999999 ]; then echo "not found in ${cap}s"; else printf '%.2fs' "$sorted"; fi
}

printf '%-12s %-7s %-22s %-22s\n' bug proto in-process network
for spec in one-frame:saxion four-steps:psuirc two-clients:saxion; do
  bug=${spec%%:*}
  proto=${spec##*:}
  ip=() net=()
  for seed in 1 2 3; do
    ip+=("$(in_process "$proto" "$bug" "$seed")")
    net+=("$(network "$proto" "$bug" "$seed")")
  done
  printf '%-12s %-7s %-22s %-22s   (seeds 1-3: %s | %s)\n' "$bug" "$proto" "$(median "${ip[@]}")" "$(median "${net[@]}")" \
    "${ip[*]}" "${net[*]}"
done
