# cxx_sources: the tree's own C++ files (no build trees, no fuzz corpora), NUL-separated.
cxx_sources() {
  find reference-server harness fuzz formats reports tests bench cmake \
    -type d \( -name '*_corpus' -o -name 'build*' \) -prune -o \
    -type f \( -name '*.cc' -o -name '*.cpp' -o -name '*.h' \) -print0 | sort -z
}
