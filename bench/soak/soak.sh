#!/usr/bin/env bash
# The soak test: a province's busiest day, held.
#
#   bench/soak/soak.sh [BUILD/nongsan] [--minutes 30] [--peak-seconds 60] [--parcels 100000]
#                      [--connections 16] [--p99-bound-ms 500] [--fraction 0.8] [--import-at S]
#                      [--rss-tolerance 10]
#
# 1. Builds `nongsan` and `soak_load`, copies both into a temporary folder (a rebuild
#    during the run changes nothing), creates the demo database there (`nongsan demo`)
#    and generates the parcels to import (bench/backup_parcels.py, EPSG:9205).
# 2. Starts `nongsan serve` on a free loopback port (log level warn).
# 3. Measures the peak: soak_load steps the rate up with the day's mix (rule in
#    bench/README.md "Soak test": no error, p99 under --p99-bound-ms, 95 % answered).
# 4. Holds --fraction (80 %) of the peak for --minutes with the same mix; at
#    --import-at seconds into the hold (120 by default, a quarter of the hold when it is
#    shorter than 8 minutes), `nongsan import parcels` loads --parcels generated parcels
#    into the same database while the server serves. The generated grid of parcels
#    ignores the demo's (illustrative) commune boundaries, so the parcels it draws across
#    a boundary break docs/rules.md §5: the import runs with --skip-invalid, as an
#    official would with a real cadastre, and the script checks that the database
#    gained exactly the parcels the import reports created.
# 5. Prints, per class: requests, errors, p50/p99/max, p99 per 5-minute window; the
#    server's RSS at start/middle/end and whether it stayed flat; whether the import
#    succeeded (exit status and the parcel count) and how long it took.
# Exits non-zero on any error, on growing memory, or on a failed import.
# Smoke: bench/soak/soak.sh --minutes 1 --peak-seconds 10 --parcels 10000
#
# Environment: BUILD (build folder, default build), KEEP=1 keeps the work folder.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$root/build}
if [[ $# -gt 0 && $1 != -* && -x $1 ]]; then
  build=$(cd "$(dirname "$1")" && pwd)
  shift
fi
minutes=30 peak_seconds=60 parcels=100000 connections=16 p99_bound=500 fraction=0.8 import_at= rss_tol=10
while [[ $# -gt 0 ]]; do
  case $1 in
    --minutes) minutes=$2; shift 2 ;;
    --peak-seconds) peak_seconds=$2; shift 2 ;;
    --parcels) parcels=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --p99-bound-ms) p99_bound=$2; shift 2 ;;
    --fraction) fraction=$2; shift 2 ;;
    --import-at) import_at=$2; shift 2 ;;
    --rss-tolerance) rss_tol=$2; shift 2 ;;
    *) echo "soak.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
hold_s=$(awk -v m="$minutes" 'BEGIN { printf "%d", m * 60 }')
if [[ -z $import_at ]]; then
  import_at=$(( hold_s >= 480 ? 120 : hold_s / 4 ))
fi

cmake --build "$build" --target nongsan soak_load >/dev/null
work=$(mktemp -d "${TMPDIR:-/tmp}/soak.XXXXXX")
cp "$build/nongsan" "$build/bench/soak_load" "$work/"
bin="$work/nongsan"
db="$work/demo.gpkg"
server= load= importer=
cleanup() {
  for p in $importer $load $server; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ ${KEEP:-0} == 1 ]]; then echo "soak.sh: work folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "soak: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), load average $(cut -d' ' -f1-3 /proc/loadavg), commit $(git -C "$root" rev-parse --short HEAD)"
echo "soak: hold ${minutes} min at ${fraction} of the peak, ${connections} connections, import of ${parcels} parcels at ${import_at} s, p99 bound ${p99_bound} ms"

python3 "$root/bench/backup_parcels.py" "$parcels" "$work/parcels.csv"
t0=$(date +%s)
(cd "$root" && "$bin" demo --db "$db") >"$work/demo.log" 2>&1 || { tail -n 20 "$work/demo.log" >&2; exit 1; }
echo "soak: demo database built in $(( $(date +%s) - t0 )) s ($(sqlite3 "$db" 'SELECT COUNT(*) FROM parcel') parcels)"
mapfile -t lots < <(grep -o '/01/[0-9]*/10/[A-Za-z0-9-]*' "$work/demo.log" | sort -u)
[[ ${#lots[@]} -gt 0 ]] || { echo "soak.sh: the demo printed no public lot page" >&2; exit 1; }
lot_args=()
for l in "${lots[@]}"; do lot_args+=(--lot "$l"); done

"$bin" serve --db "$db" --port 0 --log-level warn >"$work/serve.log" 2>&1 &
server=$!
port=
for _ in $(seq 1 100); do
  port=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.log" | head -n1 | cut -d: -f3 || true)
  [[ -n $port ]] && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.2
done
[[ -n $port ]] || { echo "soak.sh: the server did not start" >&2; exit 1; }
echo "soak: nongsan serve (pid $server) on port $port, ${#lots[@]} lot pages"

common=(--port "$port" --pid "$server" --connections "$connections" "${lot_args[@]}")
echo
echo "== peak (${peak_seconds} s of stepped rates) =="
"$work/soak_load" "${common[@]}" --find-peak --peak-only --peak-seconds "$peak_seconds" \
  --p99-bound-ms "$p99_bound" --summary "$work/peak.txt"
peak=$(sed -n 's/^peak_rate=//p' "$work/peak.txt")
rate=$(awk -v p="$peak" -v f="$fraction" 'BEGIN { printf "%.1f", p * f }')

echo
echo "== hold: ${rate} req/s (${fraction} of ${peak}) for ${minutes} min; load average $(cut -d' ' -f1-3 /proc/loadavg) =="
"$work/soak_load" "${common[@]}" --rate "$rate" --seconds "$hold_s" --rss-tolerance "$rss_tol" \
  --summary "$work/hold.txt" --seed 7 &
load=$!
before=$(sqlite3 "$db" 'SELECT COUNT(*) FROM parcel')
(
  sleep "$import_at"
  echo "[$(date -u +%H:%M:%S)] import: nongsan import parcels of $parcels parcels starts"
  s=$(date +%s.%N)
  rc=0
  "$bin" import parcels --db "$db" --crs 9205 --as-of 2025-01-01 --skip-invalid "$work/parcels.csv" >"$work/import.log" 2>&1 || rc=$?
  e=$(date +%s.%N)
  echo "$rc $(awk -v a="$s" -v b="$e" 'BEGIN { printf "%.1f", b - a }')" >"$work/import.result"
  echo "[$(date -u +%H:%M:%S)] import: finished (exit $rc) in $(cut -d' ' -f2 "$work/import.result") s"
) &
importer=$!
load_rc=0
wait "$load" || load_rc=$?
load=
wait "$importer" || true
importer=

read -r import_rc import_s <"$work/import.result"
after=$(sqlite3 "$db" 'SELECT COUNT(*) FROM parcel')
echo
echo "== result =="
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
created=$(sed -n 's/^parcels: created \([0-9]*\),.*/\1/p' "$work/import.log" | tail -n1)
echo "import: exit ${import_rc}, ${import_s} s, $(grep '^parcels: created' "$work/import.log" || echo 'no report'); parcels ${before} -> ${after} (+$((after - before)))"
[[ $import_rc == 0 ]] || tail -n 5 "$work/import.log"
alive=yes
kill -0 "$server" 2>/dev/null || alive=no
echo "server still running: $alive; lines logged at warn or above: $(grep -c . "$work/serve.log" || true)"
grep -v '^nongsan serving' "$work/serve.log" | head -n 5 || true
status=0
[[ $load_rc == 0 ]] || { echo "soak: FAILED: the load generator reports errors or growing memory (exit $load_rc)"; status=1; }
[[ $import_rc == 0 && -n $created && $((after - before)) == "$created" ]] || { echo "soak: FAILED: the import"; status=1; }
[[ $alive == yes ]] || { echo "soak: FAILED: the server died"; status=1; }
[[ $status == 0 ]] && echo "soak: PASSED: ${minutes} min at ${rate} req/s (${fraction} of the peak ${peak}), no errors, memory flat, import done"
exit $status
