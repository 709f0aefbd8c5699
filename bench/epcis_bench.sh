#!/usr/bin/env bash
# EPCIS capture and hash throughput and query latency over a generated supply chain
# (bench/epcis_bench.cpp says what the events are), with the CBV 2.0 event hash side by
# side with GS1 France's epcis2.js on the same events in the same run. The peer is
# installed from bench/epcis/package-lock.json (npm ci) into bench/epcis/node_modules.
#
#   bench/epcis_bench.sh [BUILD/nongsan] [--events N] [--peer-events M] [--repeat R] [--db pg]
#
# 1,000,000 events by default (a province's year of lots: harvest, packing, shipping,
# receiving); use --events 100000 while developing. The database is a fresh GeoPackage
# in a temporary folder, or with --db pg a throw-away PostgreSQL cluster
# (scripts/pg-test-cluster.sh); both are removed on exit. Before the run, the peer's
# hashes are checked against the reference vectors (tests/data/epcis/hash-vectors/):
# the vectors it gets wrong are listed.
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
events=1000000
db=sqlite
args=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --events) events=$2; shift 2 ;;
    --db) db=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

cmake --build "$build" --target epcis_bench >/dev/null
(cd "$root/bench/epcis" && npm ci --no-audit --no-fund --silent >/dev/null)

work=$(mktemp -d "${TMPDIR:-/tmp}/epcis-bench.XXXXXX")
port=
cleanup() {
  if [[ -n $port ]]; then "$root/scripts/pg-test-cluster.sh" stop "$port" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

url=$work/epcis.gpkg
if [[ $db == pg ]]; then
  port=$(free_port) || { echo "epcis_bench.sh: no free port found" >&2; exit 1; }
  "$root/scripts/pg-test-cluster.sh" start "$port" >/dev/null
  url="postgresql://nongsan@127.0.0.1:$port/nongsan_test"
fi

echo "epcis_bench: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), load average $(cut -d' ' -f1-3 /proc/loadavg), $events events, $db"
echo "peer: epcis2.js $(node -p "require('$root/bench/epcis/node_modules/epcis2.js/package.json').version"), node $(node --version)"
node "$root/bench/epcis/peer_hash.js" vectors "$root/tests/data/epcis/hash-vectors" | grep -v ' ok ' || true
status=0
timeout "$timeout_s" "$build/bench/epcis_bench" --events "$events" --db "$url" --peer "$root/bench/epcis" \
  ${args[@]+"${args[@]}"} || status=$?
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
