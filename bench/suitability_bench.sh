#!/usr/bin/env bash
# Land suitability: nongsan's kernel and `nongsan suitability evaluate` against numpy
# (blocked, float32) and against GDAL's own reading and writing, on the same
# generated 10,000 x 10,000 rasters of the shipped rice_upland profile (5 factors:
# slope, tmean_season, soil_depth, ph and the categorical drainage), in the same run.
# Checks that every output cell is identical, then prints times and ratios.
#
#   bench/suitability_bench.sh [BUILD/nongsan]
#
# Environment: SIZE (cells per side, default 10000), METHODS (default "limiting storie
# square_root"), THREADS (default: every core), REPEAT (kernel runs, best taken,
# default 3; NP_REPEAT for numpy, default 1), E2E=0 (in memory only), DATA (a folder to keep the generated inputs in between runs; default a
# temporary folder removed at the end). About 2 GB of disk and 3 GB of memory.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
if [[ $# -gt 0 && $1 != -* && -x $1 ]]; then
  build=$(cd "$(dirname "$1")" && pwd)
  shift
fi
size=${SIZE:-10000}
methods=${METHODS:-limiting storie square_root}
threads=${THREADS:-$(nproc)}
repeat=${REPEAT:-3}
np_repeat=${NP_REPEAT:-1}
PY=/usr/bin/python3
NP="$root/bench/suitability_numpy.py"

cmake --build "$build" --target nongsan suitability_bench >/dev/null
work=$(mktemp -d /tmp/suitability-bench.XXXXXX)
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
data=${DATA:-$work/data}
mkdir -p "$data" "$work/np" "$work/cpp"
cp "$build/nongsan" "$work/nongsan"

ratio() { $PY -c "print(f'{$1 / $2:.1f}')"; }

echo "== machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== ${size} x ${size} cells, profile rice_upland (5 factors), threads $threads"
"$work/nongsan" suitability profiles --crop rice_upland >"$work/profile.json"
if [[ ! -f $data/drainage.tif ]]; then
  echo "making the inputs in $data"
  $PY "$NP" gen "$data" "$size"
fi
LAYERS=()
for l in slope tmean_season soil_depth ph drainage; do LAYERS+=("$l=$data/$l.tif"); done

echo
echo "== in memory (arithmetic only; inputs already loaded; best of runs)"
for m in $methods; do
  out=$("$build/bench/suitability_bench" --crop rice_upland --method "$m" --threads "$threads" --repeat "$repeat" \
    --out "$work/cpp/$m" "${LAYERS[@]}")
  c1=$(sed -n 's/^cpp_kernel_1thread_cpu_s //p' <<<"$out")
  kern=$(sed -n 's/^kernel //p' <<<"$out")
  cp1=$(sed -n 's/^cpp_portable_1thread_cpu_s //p' <<<"$out")
  cpd=$(sed -n 's/^cpp_portable_cells_differ //p' <<<"$out")
  cn=$(sed -n "s/^cpp_kernel_${threads}threads_s //p" <<<"$out")
  np_out=$($PY "$NP" mem "$data" "$work/profile.json" "$m" "$work/cpp/$m" "$np_repeat") || true
  t_np=$(sed -n 's/^numpy_kernel_cpu_s //p' <<<"$np_out")
  t_npw=$(sed -n 's/^numpy_kernel_wall_s //p' <<<"$np_out")
  same=$(grep -c '^identical_.* yes' <<<"$np_out" || true)
  echo "$m: PER THREAD (CPU time, 1 thread each): numpy ${t_np} s, C++ ${c1} s -> $(ratio "$t_np" "$c1")x |" \
    "ALL CORES (wall; the product uses every core, numpy's best is 1 thread): numpy ${t_npw} s," \
    "C++ on $threads threads ${cn} s -> $(ratio "$t_npw" "$cn")x | load $(cut -d' ' -f1 /proc/loadavg) |" \
    "outputs identical: $([[ $same == 3 ]] && echo yes || echo "NO: $(grep identical <<<"$np_out" | tr '\n' ' ')")"
  if [[ -n $cp1 ]]; then
    echo "   kernel $kern; the portable kernel on the same data: ${cp1} s CPU on 1 thread -> $(ratio "$t_np" "$cp1")x numpy," \
      "$(ratio "$cp1" "$c1")x slower than $kern; cells that differ between the two: $cpd"
  else
    echo "   kernel $kern"
  fi
  grep '^classes' <<<"$np_out" | sed 's/^/   /'
  rm -f "$work/cpp/$m".*
done

if [[ ${E2E:-1} == 0 ]]; then exit 0; fi
echo
echo "== end to end (GeoTIFF in, three tiled DEFLATE GeoTIFFs out: class, limiting factor, index)"
# timed RESULT-VAR COMMAND...: runs COMMAND, sets RESULT-VAR to "wall cpu" (seconds;
# cpu = user + sys of the command and its children), prints the command's stdout.
timed() {
  local var=$1 t
  shift
  local TIMEFORMAT='%R %U %S'
  t=$({ time "$@" >"$work/timed.out" 2>"$work/timed.err"; } 2>&1) || { cat "$work/timed.err" >&2; return 1; }
  printf -v "$var" '%s' "$(awk '{printf "%.2f %.2f", $1, $2 + $3}' <<<"$t")"
  cat "$work/timed.out"
}
gdal_write() {
  local o pred
  for o in class limiting index; do
    pred=2
    [[ $o == index ]] && pred=3
    gdal_translate -q -co TILED=YES -co BLOCKXSIZE=256 -co BLOCKYSIZE=256 -co COMPRESS=DEFLATE -co ZLEVEL=1 \
      -co PREDICTOR=$pred -co BIGTIFF=IF_SAFER -co NUM_THREADS=ALL_CPUS "$work/cpp/$o.tif" "$work/copy_$o.tif"
  done
}
echo "(wall / CPU seconds; CPU = user + sys of every thread, which other jobs on a shared machine inflate less)"
for m in $methods; do
  timed T_CPP "$work/nongsan" suitability evaluate --crop rice_upland --method "$m" --threads "$threads" -q \
    "${LAYERS[@]/#/--layer=}" --out "$work/cpp/class.tif" --limiting "$work/cpp/limiting.tif" \
    --index "$work/cpp/index.tif" >/dev/null
  timed T_NP $PY "$NP" e2e "$data" "$work/profile.json" "$m" "$work/np" >/dev/null
  same=0
  for o in class limiting index; do
    $PY "$NP" compare "$work/cpp/$o.tif" "$work/np/$o.tif" >/dev/null && same=$((same + 1))
  done
  # GDAL's own cost for the same bytes: reading the five inputs, and writing the
  # three outputs again with the same creation options (gdal_translate).
  timed T_READ $PY "$NP" read "$data" >/dev/null
  timed T_WRITE gdal_write
  read -r cw cc <<<"$T_CPP"
  read -r nw nc <<<"$T_NP"
  read -r rw rc <<<"$T_READ"
  read -r ww wc <<<"$T_WRITE"
  gw=$($PY -c "print(f'{$rw + $ww:.2f}')")
  gc=$($PY -c "print(f'{$rc + $wc:.2f}')")
  echo "$m: nongsan $cw / $cc s | numpy+GDAL $nw / $nc s -> $(ratio "$nw" "$cw")x / $(ratio "$nc" "$cc")x |" \
    "GDAL alone (read $rw / $rc + write $ww / $wc) $gw / $gc s -> nongsan takes $(ratio "$cw" "$gw")x / $(ratio "$cc" "$gc")x of it |" \
    "outputs identical: $([[ $same == 3 ]] && echo yes || echo NO)"
  rm -f "$work"/copy_*.tif "$work"/cpp/*.tif "$work"/np/*.tif
done
