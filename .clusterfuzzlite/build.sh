#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz entry point: the engine sets $CXX, $CXXFLAGS, $LIB_FUZZING_ENGINE,
# $OUT and $WORK; fuzz/build.sh builds every target into $OUT with its dictionary, options and
# seed corpus.
WORK="$WORK/relaycheck" exec "$SRC/relaycheck/fuzz/build.sh"
