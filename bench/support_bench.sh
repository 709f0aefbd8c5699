#!/usr/bin/env bash
# Support cross-checks at a province's scale: `nongsan check claims` against the same
# checks written as PostGIS queries (bench/support_postgis.sql), on the same data in the
# same PostgreSQL database, in the same run (see bench/support_bench.cpp for the data).
# Starts a throw-away PostgreSQL 15 + PostGIS cluster on a free loopback port
# (scripts/pg-test-cluster.sh), runs bench/support_bench against it, and removes the
# cluster on every exit. Exits 1 when the two disagree on a finding or an amount.
#
#   bench/support_bench.sh [BUILD/nongsan] [--parcels N] [--applications M] [--seed S] [--repeat R]
#
# 1,000,000 parcels and 200,000 applications by default (a province's year; about
# 15 minutes and 4 GB of disk, most of it loading and PostGIS). A first argument naming
# the nongsan binary (as bench/run.sh passes it) selects its build folder.
#
# Environment: BUILD (build folder, default build), TIMEOUT (seconds, default 7200).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib/free_port.sh
source "$root/bench/lib/free_port.sh"
build=${BUILD:-$root/build}
if [[ $# -gt 0 && $1 != -* && -x $1 ]]; then
  build=$(cd "$(dirname "$1")" && pwd)
  shift
fi
timeout_s=${TIMEOUT:-7200}

cmake --build "$build" --target nongsan support_bench >/dev/null
work=$(mktemp -d "${TMPDIR:-/tmp}/support-bench.XXXXXX")
cp "$build/nongsan" "$work/nongsan"  # a rebuild during the run changes nothing

port=
cleanup() {
  if [[ -n $port ]]; then "$root/scripts/pg-test-cluster.sh" stop "$port" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$(free_port) || { echo "support_bench.sh: no free port found" >&2; exit 1; }

echo "support_bench: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$root/scripts/pg-test-cluster.sh" start "$port" >/dev/null
postmaster=$(head -n 1 "$("$root/scripts/pg-test-cluster.sh" dir "$port")/data/postmaster.pid")
status=0
timeout "$timeout_s" "$build/bench/support_bench" --pg "postgresql://nongsan@127.0.0.1:$port/nongsan_test" \
  --pg-pid "$postmaster" --nongsan "$work/nongsan" --policies "$root/data/laichau/policies.json" \
  --sql "$root/bench/support_postgis.sql" "$@" || status=$?
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
