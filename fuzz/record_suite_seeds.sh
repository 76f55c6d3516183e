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
  # moose's are recorded below, against a server holding the fuzz test key.
  [ "$protocol" = moose ] && continue
  find "$corpus" -maxdepth 1 -type f -name "$protocol.*" -delete
  cp "$seeds"/* "$corpus"/
  echo "$corpus: $(ls "$seeds" | wc -l) suite seeds"
done

# moose: the session target runs the pass-through envelope, so the suite is recorded against a
# reference server holding the fixed test key (fuzz/moose/test_server_key.h) and each client
# packet is opened with it and sealed again as pass-through text (moose_reseal_transcripts; the
# control connection goes to slot 3). Over the network: scenarios tagged slow are left out.
reseal=$build/bin/moose_reseal_transcripts
[ -x "$reseal" ] || { echo "record_suite_seeds: no $reseal (build target moose_reseal_transcripts)" >&2; exit 2; }
"$reseal" --write-key "$dir/moose-key.pem"
cat >"$dir/moose.yaml" <<YAML
name: moose-fuzz-test-key
launch:
  command: ["$(cd "$build/bin" && pwd)/relaycheck-server", "--protocol", "moose", "--listen", "127.0.0.1:{port}", "--log-level", "warn", "--key", "$dir/moose-key.pem"]
YAML
"$build/bin/relaycheck" run --protocol moose --profile "$dir/moose.yaml" --jobs 4 --skip-tag slow --quiet --seed 1 \
  --report json:"$dir/moose.json" --transcript-dir "$dir/moose-seeds"
corpus=fuzz/moose/session_fuzz_corpus
find "$corpus" -maxdepth 1 -type f -name "moose.*" -delete
"$reseal" "$corpus" "$dir"/moose-seeds/moose/*
echo "$corpus: $(ls "$dir"/moose-seeds/moose | wc -l) suite seeds"
