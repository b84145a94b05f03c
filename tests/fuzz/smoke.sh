#!/usr/bin/env bash
# Smoke run of the libFuzzer targets, for CI (registered as ctests fuzz.build and fuzz.smoke.*; README.md):
#   smoke.sh build         configure $KILN_FUZZ_BUILD_DIR once (clang, -DKILN_BUILD_FUZZ=ON) and build the targets
#   smoke.sh run TARGET    run fuzz_TARGET over its seeds for $KILN_FUZZ_SMOKE_RUNS runs (default 20000)
# The configure and build steps hold the lock file $KILN_BUILD_LOCK (default /tmp/kiln-build.lock; set it
# empty for none), so they do not compete with another build of the tree on the same machine; they give up
# after 30 minutes of waiting. A finding is kept in $BUILD/findings/.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${KILN_FUZZ_BUILD_DIR:-$SRC/build-fuzz}
LOCK=${KILN_BUILD_LOCK-/tmp/kiln-build.lock}
RUNS=${KILN_FUZZ_SMOKE_RUNS:-20000}

lock() {
  if [ -n "$LOCK" ]; then
    flock -w 1800 "$LOCK" "$@"
  else
    "$@"
  fi
}

case "${1:-}" in
  build)
    if [ ! -f "$BUILD/build.ninja" ]; then
      # Tests stay on: tests/CMakeLists.txt is what adds tests/fuzz. Only the fuzz targets are built.
      lock env CC=clang CXX=clang++ cmake -S "$SRC" -B "$BUILD" -G Ninja -DKILN_BUILD_FUZZ=ON \
        -DKILN_BUILD_BENCH=OFF >/dev/null
    fi
    lock cmake --build "$BUILD" --target fuzz
    ;;
  run)
    target=${2:?usage: smoke.sh run TARGET}
    seeds=$SRC/tests/fuzz/seeds/$target
    max_len=8192
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    if [ "$target" = tflite_reader ]; then
      # The shared TFLite models under 10 KB, when ../shared is there.
      seeds=$work/seeds
      mkdir "$seeds"
      find "${KILN_SHARED_DIR:-$SRC/../shared}/models" -maxdepth 1 -name '*.tflite' -size -10k \
        -exec cp {} "$seeds/" \; 2>/dev/null || true
      max_len=16384
    fi
    [ "$target" = audio_reader ] && max_len=16384
    mkdir -p "$work/corpus" "$BUILD/findings"
    # -seed: the same runs every time (a smoke test must not be flaky); new inputs go to a throw-away corpus.
    "$BUILD/bin/fuzz_$target" -runs="$RUNS" -seed=1 -max_len="$max_len" -timeout=60 -rss_limit_mb=2048 \
      -artifact_prefix="$BUILD/findings/$target-" -print_final_stats=1 "$work/corpus" "$seeds"
    ;;
  *)
    echo "usage: $0 build | run TARGET" >&2
    exit 2
    ;;
esac
