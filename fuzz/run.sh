#!/usr/bin/env bash
# The fuzz harnesses: build them, run one for a while, or minimise a corpus.
#   fuzz/run.sh build [MAIN_BUILD]         configure and build into MAIN_BUILD/fuzz (default build/)
#   fuzz/run.sh list                       the harness names
#   fuzz/run.sh run NAME SECONDS [MAIN_BUILD]
#        runs fuzz_NAME for SECONDS with fuzz/corpus/NAME as seeds (read only) and
#        fuzz/dict/NAME.dict when present; new inputs go to MAIN_BUILD/fuzz/found/NAME,
#        crashes to MAIN_BUILD/fuzz/crashes/NAME (the command fails, naming the file)
#   fuzz/run.sh merge NAME [MAIN_BUILD]    adds what a run found to fuzz/corpus/NAME, minimised
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cmd=${1:-}
names() { ls "$ROOT/fuzz/harness" | sed -n 's/\.cpp$//p'; }

case $cmd in
  list)
    names
    ;;
  build)
    MAIN=$(realpath "${2:-$ROOT/build}")
    CXX=$(command -v clang++-14 || command -v clang++ || true)
    CC=$(command -v clang-14 || command -v clang || true)
    [[ -n $CXX ]] || { echo "fuzz: clang++-14 is not installed (scripts/install-deps.sh installs it)" >&2; exit 1; }
    cmake -S "$ROOT/fuzz" -B "$MAIN/fuzz" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER="$CXX" \
      -DCMAKE_C_COMPILER="$CC" -DNONGSAN_MAIN_BUILD="$MAIN" >/dev/null
    cmake --build "$MAIN/fuzz" -j "${JOBS:-$(nproc)}"
    ;;
  run)
    name=$2 seconds=$3
    MAIN=$(realpath "${4:-$ROOT/build}")
    bin="$MAIN/fuzz/fuzz_$name"
    [[ -x $bin ]] || { echo "fuzz: $bin is not built (fuzz/run.sh build)" >&2; exit 1; }
    found="$MAIN/fuzz/found/$name" crashes="$MAIN/fuzz/crashes/$name"
    mkdir -p "$found" "$crashes" "$ROOT/fuzz/corpus/$name"
    args=(-max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1
          -artifact_prefix="$crashes/")
    [[ -f $ROOT/fuzz/dict/$name.dict ]] && args+=(-dict="$ROOT/fuzz/dict/$name.dict")
    # GDAL must not look for a configuration or print to the terminal during runs.
    export CPL_DEBUG=OFF GDAL_DISABLE_READDIR_ON_OPEN=EMPTY_DIR
    # Leak checking is off: GDAL, GEOS and PROJ keep caches for the life of the process.
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
    if ! "$bin" "${args[@]}" "$found" "$ROOT/fuzz/corpus/$name" >"$MAIN/fuzz/$name.log" 2>&1; then
      tail -n 60 "$MAIN/fuzz/$name.log"
      echo "fuzz_$name failed; reproducer(s): $(ls "$crashes" | tr '\n' ' ')" >&2
      exit 1
    fi
    grep -E "stat::number_of_executed_units|stat::new_units_added" "$MAIN/fuzz/$name.log" | tr '\n' ' '
    echo "fuzz_$name: ${seconds}s, no crash"
    ;;
  merge)
    name=$2
    MAIN=$(realpath "${3:-$ROOT/build}")
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}
    "$MAIN/fuzz/fuzz_$name" -merge=1 -max_len=65536 "$ROOT/fuzz/corpus/$name" "$MAIN/fuzz/found/$name"
    ;;
  *)
    sed -n '2,12p' "$0"
    exit 2
    ;;
esac
