#!/usr/bin/env bash
# Refreshes the session fuzzers' seed corpora from the conformance suite: every scenario's
# client side, as `relaycheck run --transcript-dir` writes it, becomes
# fuzz/<protocol>/session_fuzz_corpus/<scenario id>. Seeds of scenarios that no longer exist
# are removed; hand-made seeds (names not starting with "<protocol>.") are left alone.
# usage: fuzz/record_suite_seeds.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
[ -x "$build/bin/relaycheck" ] || { echo "record_suite_seeds: no $build/bin/relaycheck (run scripts/build)" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$build/bin/relaycheck" run --quiet --seed 1 --report json:"$dir/run.json" --transcript-dir "$dir/seeds"
for seeds in "$dir"/seeds/*/; do
  protocol=$(basename "$seeds")
  corpus=fuzz/$protocol/session_fuzz_corpus
  [ -d "$corpus" ] || continue
  # moose's session target runs the pass-through envelope: the suite's RSA-sealed packets are
  # noise to it (its seeds come from fuzz/moose/make_corpus.py).
  [ "$protocol" = moose ] && continue
  find "$corpus" -maxdepth 1 -type f -name "$protocol.*" -delete
  cp "$seeds"/* "$corpus"/
  echo "$corpus: $(ls "$seeds" | wc -l) suite seeds"
done
