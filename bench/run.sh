#!/usr/bin/env bash
# Builds the benchmarks and runs them: every Google Benchmark kernel (a
# bench/*_bench.cpp with BENCHMARK_MAIN), then the peer comparisons in SCRIPTS.
#
# usage: bench/run.sh [google-benchmark options, e.g. --benchmark_filter=Fold]
# env:   BUILD=build (the CMake build folder; configured as Release if absent)
#        SCRIPTS="http_vs_nginx.sh" comparison scripts in bench/ to run, each given
#          the nongsan binary; SCRIPTS= (empty) runs the kernels only.
#        DURATION, CONNS, WORKERS, LOGS are passed on to bench/http_vs_nginx.sh
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-build}
[[ $BUILD = /* ]] || BUILD="$REPO/$BUILD"
cd "$REPO"

if [[ ! -f $BUILD/build.ninja && ! -f $BUILD/Makefile ]]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD/CMakeCache.txt")
[[ $type == Release ]] || echo "warning: $BUILD is a '$type' build; numbers are only comparable for Release" >&2
if ! grep -q '^benchmark_DIR:PATH=.*cmake/benchmark' "$BUILD/CMakeCache.txt"; then
  echo "error: Google Benchmark was not found by CMake (Debian: apt-get install libbenchmark-dev)" >&2
  exit 2
fi
kernels=()
for src in bench/*_bench.cpp; do
  # Comparison drivers (a plain main, e.g. overlap_bench) are run by their own script.
  if grep -q 'BENCHMARK_MAIN' "$src"; then kernels+=("$(basename "$src" .cpp)"); fi
done
cmake --build "$BUILD" --target nongsan "${kernels[@]}"

echo "== machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1), load $(cut -d' ' -f1-3 /proc/loadavg)"
for k in "${kernels[@]}"; do
  echo
  echo "== $k"
  "$BUILD/bench/$k" "$@"
done

for script in ${SCRIPTS-http_vs_nginx.sh}; do
  echo
  echo "== $script"
  "$REPO/bench/$script" "$BUILD/nongsan"
done
