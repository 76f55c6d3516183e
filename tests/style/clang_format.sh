#!/usr/bin/env bash
# Every C++ file follows .clang-format; on failure clang-format names file:line of each change.
set -euo pipefail
cd "$1"
command -v clang-format >/dev/null || { echo "clang-format is not installed (scripts/test installs it)" >&2; exit 1; }
scripts/format --check
echo "style: $(source scripts/lib/cxx_sources.sh; cxx_sources | tr -cd '\0' | wc -c) files follow .clang-format"
