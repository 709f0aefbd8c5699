#!/usr/bin/env bash
# Latency of typical reads, as officials make them, on the demo database, with wrk:
#
#   (a) pages of parcels: GET /api/v1/parcels?page=P&page_size=50, P drawn at random
#       over every page of the whole registry that user sees;
#   (b) mid-term reviews: GET /api/v1/programmes/{code}/review?unit=U, U drawn at
#       random over every unit of the demo that user may review;
#   (c) GET /api/health, as a floor: the server with a handler that does little.
#
# Several users at once (a province administrator, a province officer and the unit
# officers of two districts), each request with one of their bearer tokens drawn at
# random, so that the permission and scope checks every route passes through are
# measured, and the read cache (docs/adr/0017-read-cache.md) keeps one answer per user
# and URL. Every case runs twice: with the read cache (the default setting) and
# without it (read_cache_mb=0), so that the cold cost stays on record. With the cache,
# the share of answers it served (X-Cache: hit) is printed.
#
# Everything runs on 127.0.0.1 in a temporary folder, as children of this script,
# and is stopped on exit. wrk runs a Lua script to draw the URLs (one thread, on the
# same 2 cores as the server).
#
# WORKERS is nongsan's `--threads`: its I/O threads, which answer health and the read
# cache's hits; the handlers run on its pool (`pool_threads`, default 2 × cores).
#
# Under each line: the CPU seconds the server and wrk used during that run, and (for
# the pages and reviews, from the server's request log, bench/lib/request_log_phases.py)
# per second of the run how many answers were hits on the I/O threads, computed misses,
# or sent to the pool and served from the cache there, with their p99 inside the
# server. The first run of each case with the cache starts from an empty cache (the
# server is started afresh for each cache setting, and only the 1 s warm-up at 16
# connections ran before): its first seconds are the cold start.
#
# usage: bench/read_latency.sh [path/to/nongsan]
# env:   DURATION=10 (seconds per run)  CONNS="64"  WORKERS=$(nproc)  LOGS=on|off
#        REPEAT=1 (runs per case; the best by p99 is shown)  CACHE="on off"  PHASES=on|off
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NONGSAN=$(realpath "${1:-$REPO/build/nongsan}")
DURATION=${DURATION:-10}
CONNS=${CONNS:-64}
WORKERS=${WORKERS:-$(nproc)}
REPEAT=${REPEAT:-1}
LOGS=${LOGS:-on}
CACHE=${CACHE:-"on off"}
PHASES=${PHASES:-on}

[[ $LOGS == on ]] || PHASES=off  # the server's view is read from its request log
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed" >&2; exit 2; }
done
[[ -x $NONGSAN ]] || { echo "error: no nongsan binary at $NONGSAN (build first)" >&2; exit 2; }

T=$(mktemp -d "${TMPDIR:-/tmp}/nongsan-bench-read.XXXXXX")
PID=""
stop_server() {
  if [[ -n $PID ]]; then
    kill -TERM "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    PID=""
  fi
}
cleanup() {
  stop_server
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

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
start_server() {  # start_server CACHE_MB
  local args=(serve --db "$DB" --host 127.0.0.1 --port "$PORT" --threads "$WORKERS")
  [[ $LOGS == off ]] && args+=(--log-level warn)
  NONGSAN_READ_CACHE_MB=$1 "$NONGSAN" "${args[@]}" >>"$T/nongsan.log" 2>&1 &
  PID=$!
  for ((i = 0; i < 100; i++)); do curl -s -o /dev/null --max-time 1 "$BASE/api/health" && return; sleep 0.1; done
  echo "error: the server did not start: $(tail -5 "$T/nongsan.log")" >&2
  exit 1
}
json() { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }

# The users: two province-wide, and the unit officers of the first two districts.
"$NONGSAN" user add --db "$DB" bench.admin --name "Bench admin" --role province_admin --password "$PASSWORD" >/dev/null
"$NONGSAN" user add --db "$DB" bench.officer --name "Bench officer" --role province_officer --password "$PASSWORD" >/dev/null
start_server 0
token() {
  curl -s -X POST -H 'Content-Type: application/json' \
    -d "{\"username\": \"$1\", \"password\": \"$PASSWORD\", \"label\": \"bench\"}" "$BASE/api/v1/auth/tokens" |
    json "d['access_token']"
}
ADMIN=$(token bench.admin)
curl -s -H "Authorization: Bearer $ADMIN" "$BASE/api/v1/units" >"$T/units.json"
read -r -a DISTRICTS < <(python3 -c "
import json; d = json.load(open('$T/units.json')); u = d['items'] if isinstance(d, dict) else d
print(' '.join([x['code'] for x in u if x.get('level') == 'district'][:2]))")
USERS=(bench.admin bench.officer)
for code in "${DISTRICTS[@]}"; do
  "$NONGSAN" user add --db "$DB" "bench.$code" --name "Bench $code" --role unit_officer --unit "$code" \
    --password "$PASSWORD" >/dev/null
  USERS+=("bench.$code")
done
PROGRAMME=$(curl -s -H "Authorization: Bearer $ADMIN" "$BASE/api/v1/programmes" |
  json "(d['items'] if isinstance(d, dict) else d)[0]['code']")

# Every URL each user may read (answers 200), one "token<TAB>path" per line.
: >"$T/parcels.tsv"
: >"$T/reviews.tsv"
for user in "${USERS[@]}"; do
  tok=$(token "$user")
  total=$(curl -s -H "Authorization: Bearer $tok" "$BASE/api/v1/parcels?page=1&page_size=50" | json "d['total']")
  pages=$(((total + 49) / 50))
  ((pages < 1)) && pages=1
  for ((p = 1; p <= pages; p++)); do printf '%s\t/api/v1/parcels?page=%d&page_size=50\n' "$tok" "$p" >>"$T/parcels.tsv"; done
  python3 -c "
import json; d = json.load(open('$T/units.json')); u = d['items'] if isinstance(d, dict) else d
print('\n'.join(x['code'] for x in u))" | while read -r unit; do
    path="/api/v1/programmes/$PROGRAMME/review?unit=$unit"
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" "$BASE$path")
    [[ $code == 200 ]] && printf '%s\t%s\n' "$tok" "$path" >>"$T/reviews.tsv"
  done
done
printf '%s\t/api/health\n' "$ADMIN" >"$T/health.tsv"
stop_server

cat >"$T/draw.lua" <<'LUA'
-- Draws a (token, path) line at random for every request; counts X-Cache answers.
local lines = {}
for line in io.lines(os.getenv("URLS")) do
  local tok, path = line:match("^(%S+)\t(%S+)$")
  lines[#lines + 1] = { path = path, headers = { ["Authorization"] = "Bearer " .. tok } }
end
math.randomseed(42)
hits, misses = 0, 0
request = function()
  local l = lines[math.random(#lines)]
  return wrk.format("GET", l.path, l.headers)
end
response = function(status, headers, body)
  local c = headers["X-Cache"]
  if c == "hit" then hits = hits + 1 elseif c == "miss" then misses = misses + 1 end
end
local threads = {}
setup = function(thread) threads[#threads + 1] = thread end
done = function(summary, latency, requests)
  local h, m = 0, 0
  for _, t in ipairs(threads) do h = h + t:get("hits"); m = m + t:get("misses") end
  io.write(string.format("CACHE %d %d\n", h, m))
end
LUA

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }  # user + system, in clock ticks
TICKS=$(getconf CLK_TCK)
run_wrk() {  # run_wrk URLS CONNS RUN [SECONDS]: prints "rps p50_ms p99_ms errors hit%"; keeps the run's log in $T/run.RUN.*
  local out lines_before server_before wrk_cpu seconds=${4:-$DURATION}
  lines_before=$(wc -l <"$T/nongsan.log")
  server_before=$(cpu_ticks "$PID")
  out=$(URLS=$1 /usr/bin/time -f "WRKCPU %U %S" wrk -t1 -c"$2" -d"${seconds}s" --timeout 5s --latency \
    -s "$T/draw.lua" "$BASE" 2>&1)
  # The server's log lines of this run, and the CPU seconds the server and wrk used.
  tail -n +"$((lines_before + 1))" "$T/nongsan.log" >"$T/run.$3.log"
  wrk_cpu=$(awk '/^WRKCPU/ { printf "%.1f", $2 + $3 }' <<<"$out")
  awk -v a="$server_before" -v b="$(cpu_ticks "$PID")" -v t="$TICKS" -v w="$wrk_cpu" -v d="$seconds" \
    'BEGIN { printf "  CPU during the run: server %.1f s, wrk %s s (of %d s on %d cores)\n", (b - a) / t, w, d, '"$(nproc)"' }' \
    >"$T/run.$3.cpu"
  echo "$out" >>"$T/wrk.log"
  awk '
    function ms(s,   v, u) { v = s; u = s; gsub(/[0-9.]/, "", u); gsub(/[a-z]/, "", v);
                             return (u == "us") ? v / 1000 : (u == "ms") ? v : (u == "s") ? v * 1000 : v }
    /Requests\/sec:/ { rps = $2 }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    /Non-2xx or 3xx responses:/ { err += $NF }
    /Socket errors:/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) err += $i + 0 }
    /^CACHE / { hit = ($2 + $3 > 0) ? sprintf("%.1f%%", 100 * $2 / ($2 + $3)) : "-" }
    END { printf "%.0f %.2f %.2f %d %s\n", rps, p50, p99, err, hit }' <<<"$out"
}

echo "nongsan $("$NONGSAN" version | awk '{print $2}'), demo database, wrk -t1, ${DURATION}s per run, best p99 of $REPEAT," \
  "$WORKERS worker(s), request logs $LOGS, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "users: ${USERS[*]}; distinct URLs × users: parcels $(wc -l <"$T/parcels.tsv"), reviews $(wc -l <"$T/reviews.tsv")"
printf '%-26s %5s %5s | %9s %9s %9s %7s | %s\n' "test" "cache" "conns" "r/s" "p50 ms" "p99 ms" "hits" "load average before"
for cache in $CACHE; do
  start_server "$([[ $cache == on ]] && echo 64 || echo 0)"
  for name in parcels reviews health; do
    case $name in
      parcels) label="GET parcels, random page" ;;
      reviews) label="GET review, random unit" ;;
      health) label="GET /api/health" ;;
    esac
    urls="$T/$name.tsv"
    # The warm-up: 1 s at 16 connections, from the cache as the previous case left it
    # (empty for the pages: the server was just started). Not counted in the lines
    # below, but with the cache its figures are printed, labelled: they are the
    # coldest second of the case.
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    read -r rps p50 p99 err hit < <(run_wrk "$urls" 16 warmup 1)
    if [[ $cache == on && $name != health ]]; then
      printf '%-26s %5s %5s | %9s %9s %9s %7s | %s\n' "  warm-up (1 s, cold)" "$cache" 16 "$rps" "$p50" "$p99" "$hit" "$load"
      if [[ $PHASES == on ]]; then
        cat "$T/run.warmup.cpu"
        python3 "$REPO/bench/lib/request_log_phases.py" "$T/run.warmup.log" 0.25
      fi
    fi
    for c in $CONNS; do
      best_p99="" errs=0
      for ((r = 0; r < REPEAT; r++)); do
        load=$(cut -d' ' -f1-3 /proc/loadavg)
        read -r rps p50 p99 err hit < <(run_wrk "$urls" "$c" "$r")
        errs=$((errs + err))
        if [[ -z $best_p99 ]] || awk -v a="$p99" -v b="$best_p99" 'BEGIN { exit !(a < b) }'; then
          best_p99=$p99 best=("$rps" "$p50" "$p99" "$hit" "$load" "$r")
        fi
      done
      printf '%-26s %5s %5s | %9s %9s %9s %7s | %s\n' "$label" "$cache" "$c" "${best[0]}" "${best[1]}" "${best[2]}" \
        "${best[3]}" "${best[4]}"
      if ((errs > 0)); then echo "  warning: $errs socket errors or non-2xx answers"; fi
      # Where the time of the shown run went: the CPU, and per second the server's own
      # view of its answers (PHASES=off leaves it out; the request log must be on).
      if [[ $PHASES == on ]]; then
        cat "$T/run.${best[5]}.cpu"
        [[ $name != health ]] && python3 "$REPO/bench/lib/request_log_phases.py" "$T/run.${best[5]}.log"
      fi
    done
  done
  stop_server
done
