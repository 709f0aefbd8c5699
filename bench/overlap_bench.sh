#!/usr/bin/env bash
# Parcel overlap check: geo::find_overlaps against PostGIS's self-join on the same
# generated cadastre, in the same run (see bench/overlap_bench.cpp for the data and
# the query). Starts a throw-away PostgreSQL 15 + PostGIS cluster on a free loopback
# port, runs bench/overlap_bench against it, and removes the cluster on every exit.
#
#   bench/overlap_bench.sh [BUILD/nongsan] [--parcels N] [--seed S] [--vertex-every M]
#                          [--thresholds 500,1] [--repeat R] [--threads T] [--variants]
#
# 200,000 parcels by default; --parcels 1000000 is the design point (about 3 GB of
# memory in all, ~10 minutes, most of it PostGIS). --variants also times other ways
# of asking PostGIS (see overlap_bench.cpp). A first argument naming the nongsan
# binary (as bench/run.sh passes it) selects its build folder.
#
# Environment: BUILD (build folder, default build), TIMEOUT (seconds for the whole
# comparison, default 3600).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib/free_port.sh
source "$root/bench/lib/free_port.sh"
build=${BUILD:-$root/build}
if [[ $# -gt 0 && $1 != -* && -x $1 ]]; then
  build=$(cd "$(dirname "$1")" && pwd)
  shift
fi
timeout_s=${TIMEOUT:-3600}

cmake --build "$build" --target overlap_bench >/dev/null
driver=$build/bench/overlap_bench

port=
cleanup() {
  if [[ -n $port ]]; then "$root/scripts/pg-test-cluster.sh" stop "$port" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free port: nothing answering, not in use by a listening socket.
port=$(free_port) || { echo "overlap_bench.sh: no free port found" >&2; exit 1; }

echo "overlap_bench: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$root/scripts/pg-test-cluster.sh" start "$port"
postmaster=$(head -n 1 "$("$root/scripts/pg-test-cluster.sh" dir "$port")/data/postmaster.pid")
status=0
timeout "$timeout_s" "$driver" --pg "postgresql://nongsan@127.0.0.1:$port/nongsan_test" --pg-pid "$postmaster" "$@" ||
  status=$?
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
