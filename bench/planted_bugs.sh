#!/usr/bin/env bash
# Time to find the planted bugs (issue 8; reference-server/proto/common/planted.h): the median
# seconds over 3 seeds, in-process (the protocol's libFuzzer session fuzzer, -seed=N) and over
# the network (relaycheck fuzz --seed N against spawn:relaycheck-server-planted). Each bug is
# timed alone (RELAYCHECK_PLANTED_ONLY); an attempt that finds nothing within the cap counts as
# "not found in CAPs". Builds build-planted/ and build-fuzz-planted/ (clang) when needed.
# The bugs of the other oracles (hang, bad-reply, heap-overflow) are timed over the network only:
# found means a finding of their kind (hang, violation, sanitizer).
# usage: bench/planted_bugs.sh [--network-only] [CAP_SECONDS]   (default 60)
#   --network-only (or PLANTED_NETWORK_ONLY=1): no clang build, no in-process column.
#   PLANTED_BUILD_DIR=DIR: where relaycheck-server-planted is built (default build-planted);
#   RELAYCHECK_BIN_DIR=DIR: take relaycheck from DIR instead of building it there too.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
network_only=${PLANTED_NETWORK_ONLY:-0}
if [ "${1:-}" = --network-only ]; then network_only=1; shift; fi
cap=${1:-${PLANTED_CAP:-60}}
jobs=$(nproc 2>/dev/null || echo 2)
planted_dir=${PLANTED_BUILD_DIR:-build-planted}
relaycheck_bin=${RELAYCHECK_BIN_DIR:-$planted_dir/bin}/relaycheck
planted_server=$root/$planted_dir/bin/relaycheck-server-planted

cmake -S . -B "$planted_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRELAYCHECK_PLANTED_BUGS=ON \
  -DRELAYCHECK_TESTS=OFF >/dev/null
targets=(relaycheck-server-planted)
[ -n "${RELAYCHECK_BIN_DIR:-}" ] || targets+=(relaycheck)
cmake --build "$planted_dir" -j "$jobs" --target "${targets[@]}" >/dev/null
if [ "$network_only" != 1 ]; then
  # As fuzz/build.sh builds the fuzz targets: ASan + UBSan, so the times are those of real runs.
  CXX=${CXX:-clang++} cmake -S . -B build-fuzz-planted -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS=-g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined" \
    -DRELAYCHECK_FUZZ_ONLY=ON -DRELAYCHECK_PLANTED_BUGS=ON >/dev/null
  cmake --build build-fuzz-planted -j "$jobs" --target saxion_session_fuzz psuirc_session_fuzz >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
source scripts/lib/fuzz_options.sh

# Seconds until the in-process fuzzer of $1 (saxion|psuirc) crashes on bug $2 with seed $3.
in_process() {
  local proto=$1 bug=$2 seed=$3 corpus=$work/corpus-$1-$2-$3 start end
  mkdir -p "$corpus"
  cp "$root/fuzz/$proto/session_fuzz_corpus"/* "$corpus"/ 2>/dev/null || true
  local flags=()  # the target's dictionary and max_len, as scripts/fuzz runs it
  mapfile -t flags < <(options_flags "$root/fuzz/$proto/session_fuzz.options")
  start=$(now)
  if RELAYCHECK_PLANTED_ONLY=$bug ASAN_OPTIONS=detect_leaks=0 "build-fuzz-planted/fuzz/bin/${proto}_session_fuzz" -seed="$seed" \
      -max_total_time="$cap" -artifact_prefix="$work/" "${flags[@]}" "$corpus" >"$work/log" 2>&1; then
    echo none
  elif grep -q "planted bug $bug" "$work/log"; then
    end=$(now); printf '%.2f\n' "$(echo "$end - $start" | bc)"
  else
    echo none
  fi
}

# Seconds until relaycheck fuzz finds bug $2 of protocol $1 with seed $3 (its own clock); a bug
# with a finding kind ($4: hang, violation, sanitizer) counts as found by a finding of that kind.
network() {
  local proto=$1 bug=$2 seed=$3 kind=${4:-} out=$work/net-$1-$2-$3
  RELAYCHECK_PLANTED_ONLY=$bug "$relaycheck_bin" fuzz --protocol "$proto" \
    --target "spawn:$planted_server" --seed "$seed" --duration "$cap" \
    --max-findings 1 --no-minimise --out "$out" --quiet >/dev/null 2>&1 || true
  if { [ -z "$kind" ] && grep -q "planted bug $bug" "$out/summary.json" 2>/dev/null; } ||
     { [ -n "$kind" ] && grep -q "\"kind\": \"$kind\"" "$out/summary.json" 2>/dev/null; }; then
    printf '%.2f\n' "$(sed -n 's/.*"found_after_s": \([0-9.]*\).*/\1/p' "$out/summary.json" | head -1)"
  else
    echo none
  fi
}

# The median of three times, "none" counting as longer than any.
median() {
  local sorted
  if [ "$1" = - ]; then echo "-"; return; fi
  sorted=$(printf '%s\n' "$@" | sed 's/^none$/999999/' | sort -g | sed -n 2p)
  if [ "$sorted" = 999999 ]; then echo "not found in ${cap}s"; else printf '%.2fs' "$sorted"; fi
}

printf '%-14s %-7s %-22s %-22s\n' bug proto in-process network
for spec in one-frame:saxion four-steps:psuirc two-clients:saxion hang:psuirc:hang bad-reply:psuirc:violation \
  heap-overflow:psuirc:sanitizer; do
  IFS=: read -r bug proto kind <<<"$spec"
  ip=() net=()
  for seed in 1 2 3; do
    if [ "$network_only" = 1 ] || [ -n "$kind" ]; then ip+=(-); else ip+=("$(in_process "$proto" "$bug" "$seed")"); fi
    net+=("$(network "$proto" "$bug" "$seed" "$kind")")
  done
  printf '%-14s %-7s %-22s %-22s   (seeds 1-3: %s | %s)\n' "$bug" "$proto" "$(median "${ip[@]}")" "$(median "${net[@]}")" \
    "${ip[*]}" "${net[*]}"
done
