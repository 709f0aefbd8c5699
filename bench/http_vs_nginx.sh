#!/usr/bin/env bash
# nongsan's HTTP server against nginx on the same bytes, measured with wrk.
#
#   (a) GET /api/health: nongsan's handler (SELECT 1 at most once a second)
#       against nginx serving a static file holding the very same JSON body;
#   (b) a static asset: the UI's main JavaScript bundle as embedded in the binary
#       (/assets/index-*.js; from web-ui/dist, or a generated 80 KB file, when the
#       binary has no UI), served by `nongsan serve --web-root DIR` and by nginx
#       from the same DIR;
#   (c) the same asset from the copy embedded in the binary (how production serves
#       the UI: no --web-root) against nginx.
#
# Fairness: both get WORKERS workers (default: the number of cores) — nongsan
# `--threads WORKERS` (its I/O threads, which answer all three cases; its pool of
# database threads stays idle), nginx `worker_processes WORKERS` (nginx's own default
# is a single worker). Beside requests a second, the CPU time each server spent per
# answer (from /proc, nginx's workers included) is printed: on a shared machine it
# moves less than throughput does. Both log every request to a file (nongsan's default info log,
# nginx's access_log); LOGS=off turns both off (nongsan --log-level warn, nginx
# access_log off). nginx has sendfile on and gzip off; wrk sends no Accept-Encoding,
# so neither compresses. wrk itself runs on the same machine (1 thread).
#
# Everything runs on 127.0.0.1, in a temporary folder, as children of this script:
# nginx in the foreground (daemon off) with its own config, prefix, pid, logs and
# temp paths — the system nginx is never touched. Everything is stopped on exit.
#
# usage: bench/http_vs_nginx.sh [path/to/nongsan]
# env:   DURATION=10 (seconds per run)  CONNS="16 64"  WORKERS=$(nproc)  LOGS=on|off
#        REPEAT=1: runs per server and case, alternating; the best of each is shown
#        (on a shared machine, the best run is the least disturbed one)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NONGSAN=$(realpath "${1:-$REPO/build/nongsan}")
DURATION=${DURATION:-10}
CONNS=${CONNS:-"16 64"}
WORKERS=${WORKERS:-$(nproc)}
REPEAT=${REPEAT:-1}
LOGS=${LOGS:-on}

for tool in wrk nginx curl python3 cmp; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed" >&2; exit 2; }
done
[[ -x $NONGSAN ]] || { echo "error: no nongsan binary at $NONGSAN (build first)" >&2; exit 2; }

T=$(mktemp -d "${TMPDIR:-/tmp}/nongsan-bench-http.XXXXXX")
chmod 755 "$T"  # nginx workers run as nobody when this script runs as root
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A private copy of the binary: a rebuild of the build tree during the run (new UI
# bundle names, a relinked file) must not change what is measured.
cp "$NONGSAN" "$T/nongsan"
NONGSAN="$T/nongsan"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_http() {  # wait_http URL: up to 10 s
  local i
  for ((i = 0; i < 100; i++)); do
    curl -s -o /dev/null --max-time 1 "$1" && return 0
    sleep 0.1
  done
  echo "error: nothing answers $1" >&2
  return 1
}

"$NONGSAN" migrate --db "$T/bench.gpkg" >/dev/null 2>&1

# --- the content both serve -------------------------------------------------------
# The asset is the main bundle of the UI embedded in the binary, so that all three
# servers can serve the very same file; the UI's dist folder (or a generated file)
# stands in when the binary has no UI.
WWW="$T/www"
mkdir -p "$WWW/assets" "$WWW/api"

# A nongsan serving the UI embedded in the binary, for (c); it idles (stopped) while
# the others are measured.
NE_PORT=$(free_port)
ne_args=(serve --db "$T/bench.gpkg" --host 127.0.0.1 --port "$NE_PORT" --threads "$WORKERS")
[[ $LOGS == off ]] && ne_args+=(--log-level warn)
start_embedded() {
  "$NONGSAN" "${ne_args[@]}" >>"$T/nongsan-embedded.log" 2>&1 &
  NE_PID=$!
  PIDS+=("$NE_PID")
  wait_http "http://127.0.0.1:$NE_PORT/api/health"
}
stop_embedded() {
  kill -TERM "$NE_PID"
  wait "$NE_PID" 2>/dev/null || true
  local p keep=()
  for p in "${PIDS[@]}"; do [[ $p == "$NE_PID" ]] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}
start_embedded
EMBEDDED=no
ASSET=$(curl -s "http://127.0.0.1:$NE_PORT/" | grep -o '/assets/index-[A-Za-z0-9_-]*\.js' | head -n 1 || true)
if [[ -n $ASSET ]] && curl -sf -o "$WWW$ASSET" "http://127.0.0.1:$NE_PORT$ASSET"; then
  EMBEDDED=yes
  curl -s -o "$WWW/index.html" "http://127.0.0.1:$NE_PORT/"
else
  echo "note: the binary embeds no UI; the embedded row (c) is left out"
  bundle=$(ls -S "$REPO"/web-ui/dist/assets/index-*.js 2>/dev/null | head -n 1 || true)
  if [[ -n $bundle ]]; then
    ASSET="/assets/$(basename "$bundle")"
    cp "$bundle" "$WWW$ASSET"
  else
    ASSET="/assets/index-bench0000.js"
    head -c 81920 /dev/urandom | base64 -w 100 | head -c 81920 >"$WWW$ASSET"
  fi
  echo '<!doctype html><title>bench</title>' >"$WWW/index.html"
fi
stop_embedded

# --- nongsan --web-root -------------------------------------------------------------
NS_PORT=$(free_port)
ns_args=(serve --db "$T/bench.gpkg" --host 127.0.0.1 --port "$NS_PORT" --web-root "$WWW" --threads "$WORKERS")
[[ $LOGS == off ]] && ns_args+=(--log-level warn)
"$NONGSAN" "${ns_args[@]}" >"$T/nongsan.log" 2>&1 &
NS_PID=$!
PIDS+=("$NS_PID")
wait_http "http://127.0.0.1:$NS_PORT/api/health"
curl -s "http://127.0.0.1:$NS_PORT/api/health" >"$WWW/api/health"  # the same body, for nginx

# --- nginx --------------------------------------------------------------------------
NX="$T/nginx"
mkdir -p "$NX/tmp" "$NX/logs"
NX_PORT=$(free_port)
user_line=""
[[ $EUID -eq 0 ]] && user_line="user nobody nogroup;"
access_log="access_log $NX/logs/access.log;"
[[ $LOGS == off ]] && access_log="access_log off;"
cat >"$NX/nginx.conf" <<EOF
# Temporary config for bench/http_vs_nginx.sh; nothing here refers to the system nginx.
$user_line
worker_processes $WORKERS;
daemon off;
pid $NX/nginx.pid;
error_log $NX/logs/error.log warn;
events { worker_connections 4096; }
http {
  types { text/html html; application/javascript js; text/css css; application/json json; }
  default_type application/octet-stream;
  $access_log
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  client_body_temp_path $NX/tmp/body;
  proxy_temp_path $NX/tmp/proxy;
  fastcgi_temp_path $NX/tmp/fastcgi;
  uwsgi_temp_path $NX/tmp/uwsgi;
  scgi_temp_path $NX/tmp/scgi;
  server {
    listen 127.0.0.1:$NX_PORT;
    root $WWW;
    location = /api/health { default_type application/json; add_header Cache-Control no-store; }
  }
}
EOF
nginx -p "$NX/" -c "$NX/nginx.conf" -e "$NX/logs/error.log" &
NX_PID=$!
PIDS+=("$NX_PID")
wait_http "http://127.0.0.1:$NX_PORT/api/health"

for path in /api/health "$ASSET"; do
  if ! cmp -s <(curl -s "http://127.0.0.1:$NS_PORT$path") <(curl -s "http://127.0.0.1:$NX_PORT$path"); then
    echo "error: nongsan and nginx serve different bytes for $path" >&2
    exit 1
  fi
done

# --- measure ------------------------------------------------------------------------
# cpu_ticks PID: CPU time (user + system, clock ticks) of PID and its children now
# running (nginx's workers), from /proc.
cpu_ticks() {
  local total=0 p
  for p in "$1" $(ps -o pid= --ppid "$1" 2>/dev/null); do
    [[ -r /proc/$p/stat ]] || continue
    total=$((total + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat")))
  done
  echo "$total"
}
TICK=$(getconf CLK_TCK)
# run_wrk URL CONNS PID: prints "req_per_s p99_ms errors cpu_us_per_request", the last
# the CPU time the server PID (with its children) spent per answer during the run: on
# a shared machine it moves far less than requests a second do.
run_wrk() {
  local out before after
  before=$(cpu_ticks "$3")
  out=$(wrk -t1 -c"$2" -d"${DURATION}s" --timeout 5s --latency "$1" 2>&1)
  after=$(cpu_ticks "$3")
  echo "$out" >>"$T/wrk.log"
  awk -v ticks=$((after - before)) -v hz="$TICK" '
    /requests in/ { n = $1 }
    /Requests\/sec:/ { rps = $2 }
    /^ +99%/ { v = $2; u = v; gsub(/[0-9.]/, "", u); gsub(/[a-z]/, "", v);
               p99 = (u == "us") ? v / 1000 : (u == "ms") ? v : (u == "s") ? v * 1000 : v }
    /Non-2xx or 3xx responses:/ { err += $NF }
    /Socket errors:/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) err += $i + 0 }
    END { printf "%.0f %.2f %d %.1f\n", rps, p99, err, (n > 0 ? ticks / hz * 1e6 / n : 0) }' <<<"$out"
}

echo "nongsan $("$NONGSAN" version | awk '{print $2}') vs $(nginx -v 2>&1 | sed 's/.*: //'), wrk -t1, ${DURATION}s per run, best of $REPEAT," \
  "$WORKERS worker(s) each, request logs $LOGS, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "asset: $ASSET ($(stat -c %s "$WWW$ASSET") bytes); health body $(stat -c %s "$WWW/api/health") bytes"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); autogroup nice of this session: $(awk '{print $NF}' /proc/self/autogroup 2>/dev/null || echo '?')"
printf '%-22s %5s | %12s %9s %7s | %12s %9s %7s | %9s %9s %9s\n' "test" "conns" "nongsan r/s" "p99 ms" "CPU µs" \
  "nginx r/s" "p99 ms" "CPU µs" "r/s ratio" "p99 ratio" "CPU ratio"
names="health asset"
[[ $EMBEDDED == yes ]] && names+=" embedded"
for name in $names; do
  path=/api/health
  ns_port=$NS_PORT
  label="GET /api/health"
  case $name in
    asset) path=$ASSET label="GET asset, --web-root" ;;
    embedded) path=$ASSET label="GET asset, embedded" ns_port=$NE_PORT
      start_embedded ;;
  esac
  # Warm both up (page cache, SQLite connection, worker start).
  wrk -t1 -c16 -d1s "http://127.0.0.1:$ns_port$path" >/dev/null 2>&1 || true
  wrk -t1 -c16 -d1s "http://127.0.0.1:$NX_PORT$path" >/dev/null 2>&1 || true
  for c in $CONNS; do
    ns_rps=0 nx_rps=0 ns_err=0 nx_err=0 ns_cpu=0 nx_cpu=0
    ns_pid=$NS_PID
    [[ $name == embedded ]] && ns_pid=$NE_PID
    for ((r = 0; r < REPEAT; r++)); do  # alternate the two; keep each one's best run
      read -r rps p99 err cpu < <(run_wrk "http://127.0.0.1:$ns_port$path" "$c" "$ns_pid")
      ns_err=$((ns_err + err))
      if ((rps > ns_rps)); then ns_rps=$rps ns_p99=$p99 ns_cpu=$cpu; fi
      read -r rps p99 err cpu < <(run_wrk "http://127.0.0.1:$NX_PORT$path" "$c" "$NX_PID")
      nx_err=$((nx_err + err))
      if ((rps > nx_rps)); then nx_rps=$rps nx_p99=$p99 nx_cpu=$cpu; fi
    done
    ratio_rps=$(awk -v a="$ns_rps" -v b="$nx_rps" 'BEGIN { printf (b > 0 ? "%.2f" : "-"), a / b }')
    ratio_p99=$(awk -v a="$ns_p99" -v b="$nx_p99" 'BEGIN { printf (b > 0 ? "%.2f" : "-"), a / b }')
    ratio_cpu=$(awk -v a="$ns_cpu" -v b="$nx_cpu" 'BEGIN { printf (a > 0 ? "%.2f" : "-"), b / a }')
    if ((ns_err + nx_err > 0)); then ratio_rps=invalid ratio_p99=invalid ratio_cpu=invalid; fi
    printf '%-22s %5s | %12s %9s %7s | %12s %9s %7s | %9s %9s %9s\n' "$label" "$c" "$ns_rps" "$ns_p99" "$ns_cpu" \
      "$nx_rps" "$nx_p99" "$nx_cpu" "$ratio_rps" "$ratio_p99" "$ratio_cpu"
    if ((ns_err + nx_err > 0)); then echo "  warning: socket errors or non-2xx answers: nongsan $ns_err, nginx $nx_err"; fi
  done
done
echo "(r/s and p99 ratios are nongsan / nginx: r/s above 1 means nongsan is faster, p99 above 1 slower;"
echo " CPU µs is the server's CPU time per answer during its best run, and the CPU ratio nginx's / nongsan's:"
echo " above 1 means nongsan spends less CPU per answer)"
