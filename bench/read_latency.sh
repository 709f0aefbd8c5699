#!/usr/bin/env bash
# Latency of typical reads, as the web UI asks them, on the demo database, with wrk:
#
#   (a) a page of parcels: GET /api/v1/parcels?page=1&page_size=50 (the registry
#       list's first page; the UI sends no other parameter when no filter is set);
#   (b) a unit's mid-term review: GET /api/v1/programmes/{code}/review?unit={unit}
#       (the demo programme, the first commune the demo has);
#   (c) GET /api/health, as a floor: the server with a handler that does little.
#
# Each request carries a bearer token of a province administrator (made for the run
# with `nongsan user add` and POST /api/v1/auth/tokens), so that the permission and
# scope checks every route passes through are measured too. Prints requests/s, p50
# and p99 per case and connection count, and the load average before each run.
#
# Everything runs on 127.0.0.1 in a temporary folder, as children of this script,
# and is stopped on exit.
#
# usage: bench/read_latency.sh [path/to/nongsan]
# env:   DURATION=10 (seconds per run)  CONNS="64"  WORKERS=$(nproc)  LOGS=on|off
#        REPEAT=1 (runs per case; the best by p99 is shown)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NONGSAN=$(realpath "${1:-$REPO/build/nongsan}")
DURATION=${DURATION:-10}
CONNS=${CONNS:-64}
WORKERS=${WORKERS:-$(nproc)}
REPEAT=${REPEAT:-1}
LOGS=${LOGS:-on}

for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed" >&2; exit 2; }
done
[[ -x $NONGSAN ]] || { echo "error: no nongsan binary at $NONGSAN (build first)" >&2; exit 2; }

T=$(mktemp -d "${TMPDIR:-/tmp}/nongsan-bench-read.XXXXXX")
PID=""
cleanup() {
  [[ -n $PID ]] && { kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
  rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cp "$NONGSAN" "$T/nongsan"
NONGSAN="$T/nongsan"
DB="$T/demo.gpkg"
"$NONGSAN" migrate --db "$DB" >/dev/null 2>&1
"$NONGSAN" demo --db "$DB" >/dev/null 2>&1
PASSWORD="bench-$(python3 -c 'import secrets; print(secrets.token_hex(8))')-Aa1!"
"$NONGSAN" user add --db "$DB" bench.reader --name "Bench reader" --role province_admin --password "$PASSWORD" >/dev/null

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
args=(serve --db "$DB" --host 127.0.0.1 --port "$PORT" --threads "$WORKERS")
[[ $LOGS == off ]] && args+=(--log-level warn)
"$NONGSAN" "${args[@]}" >"$T/nongsan.log" 2>&1 &
PID=$!
BASE="http://127.0.0.1:$PORT"
for ((i = 0; i < 100; i++)); do curl -s -o /dev/null --max-time 1 "$BASE/api/health" && break; sleep 0.1; done

json() { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }
TOKEN=$(curl -s -X POST -H 'Content-Type: application/json' \
  -d "{\"username\": \"bench.reader\", \"password\": \"$PASSWORD\", \"label\": \"bench\"}" \
  "$BASE/api/v1/auth/tokens" | json "d['access_token']")
AUTH="Authorization: Bearer $TOKEN"
PROGRAMME=$(curl -s -H "$AUTH" "$BASE/api/v1/programmes" | json "(d['items'] if isinstance(d, dict) else d)[0]['code']")
UNIT=$(curl -s -H "$AUTH" "$BASE/api/v1/units" |
  json "next(u['code'] for u in (d['items'] if isinstance(d, dict) else d) if u.get('level') == 'commune')")

PARCELS="/api/v1/parcels?page=1&page_size=50"
REVIEW="/api/v1/programmes/$PROGRAMME/review?unit=$UNIT"
for path in "$PARCELS" "$REVIEW" /api/health; do
  code=$(curl -s -o "$T/answer" -w '%{http_code}' -H "$AUTH" "$BASE$path")
  [[ $code == 200 ]] || { echo "error: $path answered $code: $(head -c 300 "$T/answer")" >&2; exit 1; }
done

run_wrk() {  # run_wrk PATH CONNS: prints "rps p50_ms p99_ms errors"
  local out
  out=$(wrk -t1 -c"$2" -d"${DURATION}s" --timeout 5s --latency -H "$AUTH" "$BASE$1" 2>&1)
  echo "$out" >>"$T/wrk.log"
  awk '
    function ms(s,   v, u) { v = s; u = s; gsub(/[0-9.]/, "", u); gsub(/[a-z]/, "", v);
                             return (u == "us") ? v / 1000 : (u == "ms") ? v : (u == "s") ? v * 1000 : v }
    /Requests\/sec:/ { rps = $2 }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    /Non-2xx or 3xx responses:/ { err += $NF }
    /Socket errors:/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) err += $i + 0 }
    END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, err }' <<<"$out"
}

echo "nongsan $("$NONGSAN" version | awk '{print $2}'), demo database, wrk -t1, ${DURATION}s per run, best p99 of $REPEAT," \
  "$WORKERS worker(s), request logs $LOGS, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "parcels: $PARCELS ($(curl -s -H "$AUTH" "$BASE$PARCELS" | wc -c) bytes); review: $REVIEW ($(curl -s -H "$AUTH" "$BASE$REVIEW" | wc -c) bytes)"
printf '%-22s %5s | %9s %9s %9s | %s\n' "test" "conns" "r/s" "p50 ms" "p99 ms" "load average before"
for name in parcels review health; do
  case $name in
    parcels) path=$PARCELS label="GET parcels page" ;;
    review) path=$REVIEW label="GET unit review" ;;
    health) path=/api/health label="GET /api/health" ;;
  esac
  wrk -t1 -c16 -d1s -H "$AUTH" "$BASE$path" >/dev/null 2>&1 || true  # warm up
  for c in $CONNS; do
    best_p99="" errs=0
    for ((r = 0; r < REPEAT; r++)); do
      load=$(cut -d' ' -f1-3 /proc/loadavg)
      read -r rps p50 p99 err < <(run_wrk "$path" "$c")
      errs=$((errs + err))
      if [[ -z $best_p99 ]] || awk -v a="$p99" -v b="$best_p99" 'BEGIN { exit !(a < b) }'; then
        best_p99=$p99 best=("$rps" "$p50" "$p99" "$load")
      fi
    done
    printf '%-22s %5s | %9s %9s %9s | %s\n' "$label" "$c" "${best[0]}" "${best[1]}" "${best[2]}" "${best[3]}"
    if ((errs > 0)); then echo "  warning: $errs socket errors or non-2xx answers"; fi
  done
done
