#!/usr/bin/env bash
# The province review at scale: `nongsan report review` (the same TargetsService::review
# behind GET /api/v1/programmes/{code}/review) against the same computation written as
# PostgreSQL queries (bench/review_postgres.sql), on the same data in the same
# PostgreSQL + PostGIS database, in the same run. Generates the province inside
# PostgreSQL (bench/review_generate.sql: illustrative, 104 communes, N parcels with
# plantings, zones, conversions, producers and linkage, programme BENCH with 6 computed
# and 15 reported indicators, 10,000 approved observations), times both (best of R;
# nongsan end to end: process start, opening and migration check, loading, review,
# JSON on stdout, the register entry), compares every figure of the province and its
# districts (bench/review_compare.py) and prints the ratio. Exits 1 when a figure differs.
#
#   bench/review_bench.sh [BUILD/nongsan] [--parcels N] [--repeat R] [--port P] [--keep]
#
# 1,000,000 parcels by default. Starts a throw-away cluster (scripts/pg-test-cluster.sh)
# on a free loopback port, or on --port P, and removes it on every exit; with --keep the
# cluster stays, and a later run on the same --port reuses the province already
# generated there (generating a million parcels takes minutes). Run as root, the script
# gives its session and the cluster's postmaster the highest autogroup priority
# (`/proc/PID/autogroup`: `nice` does nothing against other sessions' builds), and its
# backends as they start (each calls setsid, so each is its own autogroup), and sets
# both back when it ends; the Percent of CPU each side got is printed.
# Environment: BUILD (build folder, default build).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib/free_port.sh
source "$root/bench/lib/free_port.sh"
build=${BUILD:-$root/build}
if [[ $# -gt 0 && $1 != -* && -x $1 ]]; then
  build=$(cd "$(dirname "$1")" && pwd)
  shift
fi
parcels=1000000
repeat=3
port=
keep=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --parcels) parcels=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "review_bench.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d "${TMPDIR:-/tmp}/review-bench.XXXXXX")
cp "$build/nongsan" "$work/nongsan"  # a rebuild during the run changes nothing
started=
postmaster=
set_autogroup() {  # $1: the nice value of this session's and the postmaster's autogroups
  [[ $(id -u) == 0 ]] || return 0
  echo "$1" > /proc/$$/autogroup 2>/dev/null || true
  if [[ -n $postmaster ]]; then echo "$1" > "/proc/$postmaster/autogroup" 2>/dev/null || true; fi
}
# PostgreSQL's backends call setsid() when the postmaster forks them, and a new session
# is a new autogroup (nice 0): the postmaster's priority does not reach them. While the
# bench runs, a watcher gives each child of the postmaster -20 as it appears.
booster=
boost_backends() {
  [[ $(id -u) == 0 && -n $postmaster ]] || return 0
  while :; do
    for child in $(pgrep -P "$postmaster"); do echo -20 2>/dev/null > "/proc/$child/autogroup" || true; done
    sleep 0.05
  done &
  booster=$!
}
cleanup() {
  if [[ -n $booster ]]; then kill "$booster" 2>/dev/null || true; wait "$booster" 2>/dev/null || true; fi
  for child in $( [[ -n $postmaster ]] && pgrep -P "$postmaster"); do echo 0 2>/dev/null > "/proc/$child/autogroup" || true; done
  set_autogroup 0
  if [[ -n $started && $keep == 0 ]]; then "$root/scripts/pg-test-cluster.sh" stop "$port" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if [[ -z $port ]]; then
  port=$(free_port) || { echo "review_bench.sh: no free port found" >&2; exit 1; }
fi

echo "review_bench: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$root" rev-parse --short HEAD), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$root/scripts/pg-test-cluster.sh" start "$port" >/dev/null
started=1
postmaster=$(head -n 1 "$("$root/scripts/pg-test-cluster.sh" dir "$port")/data/postmaster.pid")
url="postgresql://nongsan@127.0.0.1:$port/nongsan_test"
export NONGSAN_DB=$url
set_autogroup -20
boost_backends
[[ $(id -u) == 0 ]] && echo "autogroup priority: -20 for the bench's session, the cluster's postmaster (pid $postmaster) and its backends (each in its own session)"

# CPU seconds of the cluster: the postmaster, what it reaped (the backends of the
# connections that closed) and its live children.
cluster_cpu() {
  local tick total=0 pid f
  tick=$(getconf CLK_TCK)
  for f in /proc/[0-9]*/stat; do
    pid=${f#/proc/}; pid=${pid%/stat}
    # fields after the ")": index 1 = ppid (field 4); 11..14 = utime stime cutime cstime
    local line; line=$(cat "$f" 2>/dev/null) || continue
    line=${line##*) }
    read -r -a t <<< "$line"
    if [[ $pid == "$postmaster" ]]; then
      total=$((total + t[11] + t[12] + t[13] + t[14]))
    elif [[ ${t[1]} == "$postmaster" ]]; then
      total=$((total + t[11] + t[12]))
    fi
  done
  echo "scale=2; $total / $tick" | bc
}

t0=$(date +%s.%N)
"$work/nongsan" migrate >/dev/null 2>&1
if [[ $(psql -X -At -d "$url" -c "SELECT count(*) FROM programme WHERE code = 'BENCH'") == 0 ]]; then
  psql -q -X -v parcels="$parcels" -d "$url" -f "$root/bench/review_generate.sql" >/dev/null
  verb=generated
else
  verb=reused  # --keep left it on this --port
fi
psql -q -X -d "$url" -c "VACUUM ANALYZE" >/dev/null  # what autovacuum does after a bulk load, so both sides see the same
echo "$verb $(psql -X -At -d "$url" -c "SELECT count(*) FROM parcel") parcels in $(echo "$(date +%s.%N) - $t0" | bc | cut -c1-6) s: $(psql -X -At -d "$url" -c "SELECT (SELECT count(*) FROM planting) || ' plantings, ' || (SELECT count(*) FROM zone) || ' zones, ' || (SELECT count(*) FROM crop_conversion) || ' conversions, ' || (SELECT count(*) FROM producer) || ' producers, ' || (SELECT count(*) FROM observation WHERE status = 'approved' AND period = 0) || ' approved annual observations, ' || (SELECT count(*) FROM target) || ' targets'")"

best_n=999999; best_p=999999; best_i=999999
for r in $(seq 1 "$repeat"); do
  c0=$(cluster_cpu)
  /usr/bin/time -f "%e %U %S %P" -o "$work/time" "$work/nongsan" report review --programme BENCH --milestone 2025 \
    --as-of 2025-06-30 --format json --timing >"$work/nongsan.json" 2>"$work/nongsan.err" || { cat "$work/nongsan.err" >&2; exit 1; }
  sleep 0.3; c1=$(cluster_cpu)
  read -r wall user sys pct < "$work/time"
  pg=$(echo "$c1 - $c0" | bc)
  echo "nongsan run $r: wall ${wall} s, nongsan CPU $(echo "$user + $sys" | bc) s (${pct} of a core), PostgreSQL CPU $pg s ($(echo "100 * $pg / $wall" | bc) %)"
  # In process (--timing): TargetsService::review and its JSON, without the process
  # start, the opening of the database and the register entry, as the server's GET runs it.
  grep '^timing:' "$work/nongsan.err" | sed "s/^timing:/  in process:/"
  inproc=$(sed -n 's/^timing: review \([0-9.]*\) s wall.*/\1/p' "$work/nongsan.err")
  if [[ -n $inproc ]] && (( $(echo "$inproc < $best_i" | bc) )); then best_i=$inproc; fi
  if (( $(echo "$wall < $best_n" | bc) )); then best_n=$wall; fi
  c0=$(cluster_cpu)
  t0=$(date +%s.%N)
  psql -q -X -v programme=BENCH -v as_of=2025-06-30 -v milestone=2025 -d "$url" \
    -f "$root/bench/review_postgres.sql" >"$work/postgres.csv"
  wall=$(echo "$(date +%s.%N) - $t0" | bc)
  sleep 0.3; c1=$(cluster_cpu)
  pg=$(echo "$c1 - $c0" | bc)
  echo "PostgreSQL run $r: wall $(printf '%.3f' "$wall") s, PostgreSQL CPU $pg s ($(echo "100 * $pg / $wall" | bc) %)"
  if (( $(echo "$wall < $best_p" | bc) )); then best_p=$wall; fi
done
printf 'best of %d: nongsan %.3f s, PostgreSQL queries %.3f s, ratio %.2f×\n' "$repeat" "$best_n" "$best_p" \
  "$(echo "$best_p / $best_n" | bc -l)"
printf 'best of %d in process: nongsan %.3f s, ratio %.2f× to the queries\n' "$repeat" "$best_i" \
  "$(echo "$best_p / $best_i" | bc -l)"
status=0
python3 "$root/bench/review_compare.py" "$work/nongsan.json" "$work/postgres.csv" || status=$?
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
