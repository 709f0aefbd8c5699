# Shared helpers for the CLI acceptance tests in tests/cli/*.sh.
#
# Each test is run by ctest as `bash tests/cli/<name>.sh <nongsan-binary> <repo-root>`
# and sources this file first. It gives the test:
#   - NONGSAN (absolute path of the binary), REPO, and WORK: a private temporary
#     folder removed on exit, together with every server and background job that
#     was started through these helpers;
#   - check/expect_* helpers that count results, and `finish`, which prints the
#     final line "N passed, M failed" and sets the exit status;
#   - start_server/stop_server/kill9_server: `nongsan serve` on 127.0.0.1 with
#     --port 0, so the kernel picks a free loopback port (no race between picking a
#     port and binding it); the bound port is read back from the server's banner.
# It lives in tests/cli/lib/ so that ctest's tests/cli/*.sh glob does not run it.

set -u
set -o pipefail

if [[ $# -lt 1 || ! -x $1 ]]; then
  echo "usage: bash $0 <path-to-nongsan-binary> [repo-root]" >&2
  echo "FAIL - no executable nongsan binary given" >&2
  echo "0 passed, 1 failed"
  exit 2
fi
export REPO  # for tests that need files from the source tree
REPO=$(realpath "${2:-$(dirname "${BASH_SOURCE[0]}")/../../..}")
TEST_NAME=$(basename "$0" .sh)

# The tests must not pick up a developer's configuration.
for v in $(compgen -e | grep '^NONGSAN_' || true); do unset "$v"; done
# Messages in English, whatever the machine's locale (Vietnamese is the default); a
# test of the Vietnamese messages sets NONGSAN_LANG=vi or --lang vi itself.
export NONGSAN_LANG=en

WORK=$(mktemp -d "${TMPDIR:-/tmp}/nongsan-cli-$TEST_NAME.XXXXXX")
# Run a private copy of the binary, so a rebuild of the build tree while the test runs
# (the linker rewrites the file) cannot make later steps fail with "Permission denied".
NONGSAN="$WORK/bin/nongsan"
mkdir -p "$WORK/bin"
if ! cp "$1" "$NONGSAN" || ! "$NONGSAN" version >/dev/null 2>&1; then
  echo "FAIL - $1 can be copied and runs (is it being rebuilt right now?)"
  echo "0 passed, 1 failed"
  rm -rf "$WORK"
  exit 1
fi
PASSED=0
FAILED=0
SERVER_PID=""
SERVER_LOG=""
BASE=""
JSON_CT='Content-Type: application/json'

cleanup() {
  local pid
  stop_server
  # Only jobs of this shell that are still running (never a recycled pid).
  for pid in $(jobs -p); do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  if [[ -n ${KEEP_WORK:-} ]]; then echo "work folder kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'echo "interrupted"; exit 130' INT TERM

log() { echo "# [$(date +%T)] $*"; }

pass() {
  PASSED=$((PASSED + 1))
  echo "ok   - $1"
}

# fail DESCRIPTION [DETAIL...]
fail() {
  FAILED=$((FAILED + 1))
  echo "FAIL - $1"
  shift
  local line
  for line in "$@"; do echo "       $line"; done
}

# check DESCRIPTION COMMAND...: passes when COMMAND succeeds.
check() {
  local desc=$1
  shift
  if "$@"; then pass "$desc"; else fail "$desc" "command failed: $*"; fi
}

# expect_eq DESCRIPTION EXPECTED ACTUAL
expect_eq() {
  if [[ $2 == "$3" ]]; then pass "$1"; else fail "$1" "expected: $2" "got:      $3"; fi
}

# expect_fails DESCRIPTION EXIT-STATUS [DETAIL...]: passes when EXIT-STATUS is not 0.
expect_fails() {
  local desc=$1 rc=$2
  shift 2
  if [[ $rc != 0 ]]; then pass "$desc (exit $rc)"; else fail "$desc" "exit 0" "$@"; fi
}

# expect_match DESCRIPTION REGEX ACTUAL
expect_match() {
  if [[ $3 =~ $2 ]]; then pass "$1"; else fail "$1" "expected to match: $2" "got: ${3:0:400}"; fi
}

# expect_no_match DESCRIPTION REGEX ACTUAL
expect_no_match() {
  if [[ ! $3 =~ $2 ]]; then pass "$1"; else fail "$1" "expected not to match: $2" "got: ${3:0:400}"; fi
}

# Ends the test: prints "N passed, M failed"; exit status 0 only if nothing failed.
finish() {
  echo "$PASSED passed, $FAILED failed"
  [[ $FAILED -eq 0 && $PASSED -gt 0 ]] && exit 0
  exit 1
}

# Stops the test at once (a precondition failed, later checks would be noise).
abort() {
  fail "$@"
  [[ -n $SERVER_LOG && -f $SERVER_LOG ]] && { echo "--- last lines of the server log:"; tail -n 20 "$SERVER_LOG"; }
  finish
}

need_tools() {
  local t missing=()
  for t in "$@"; do command -v "$t" >/dev/null 2>&1 || missing+=("$t"); done
  if ((${#missing[@]})); then
    fail "required tools are installed" "missing: ${missing[*]} (Debian: apt-get install ${missing[*]})"
    finish
  fi
}

# make_demo_db FILE: a fresh Lai Châu demo database (takes a few seconds).
make_demo_db() {
  local out
  if ! out=$("$NONGSAN" demo --db "$1" 2>&1); then
    abort "nongsan demo --db $1 succeeds" "$out"
  fi
}

# start_server DB [more serve options]: starts `nongsan serve` in the background on a
# free loopback port; sets SERVER_PID, SERVER_LOG and BASE (http://127.0.0.1:PORT).
start_server() {
  local db=$1
  shift
  SERVER_LOG="$WORK/server.$(date +%s%N).log"
  "$NONGSAN" serve --db "$db" --host 127.0.0.1 --port 0 "$@" >"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  local i port=""
  for ((i = 0; i < 200; i++)); do  # up to 20 s
    port=$(sed -n 's#.* on http://127\.0\.0\.1:\([0-9]*\)/.*#\1#p' "$SERVER_LOG" 2>/dev/null | head -n 1)
    [[ -n $port ]] && break
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      SERVER_PID=""
      abort "nongsan serve starts" "the server exited early"
    fi
    sleep 0.1
  done
  [[ -n $port ]] || abort "nongsan serve starts within 20 s"
  BASE="http://127.0.0.1:$port"
  for ((i = 0; i < 100; i++)); do
    curl -s -o /dev/null --max-time 2 "$BASE/api/health" && return 0
    sleep 0.1
  done
  abort "nongsan serve answers /api/health within 10 s"
}

# stop_server: SIGTERM and wait (the server shuts down cleanly on a signal).
stop_server() {
  [[ -n $SERVER_PID ]] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null
  local i
  for ((i = 0; i < 100; i++)); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$SERVER_PID" 2>/dev/null
  wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=""
}

# kill9_server: SIGKILL, no chance to flush or close anything.
kill9_server() {
  [[ -n $SERVER_PID ]] || return 0
  kill -KILL "$SERVER_PID" 2>/dev/null
  wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=""
}

# bearer_token USER PASSWORD: prints an access token (empty on failure). A login hashes
# the password with Argon2id, which is memory- and CPU-hard by design: on a machine at
# load 19 one took longer than 10 s and a 100-round durability run stopped on a harness
# timeout, not on a server fault. Three tries of up to 30 s each; a refusal (4xx) is
# not retried, so a wrong password still fails at once.
bearer_token() {
  local try out code
  for try in 1 2 3; do
    out=$(curl -s --max-time 30 -w '\n%{http_code}' -X POST -H "$JSON_CT" \
      -d "{\"username\":\"$1\",\"password\":\"$2\"}" "$BASE/api/v1/auth/tokens") || out=$'\n000'
    code=${out##*$'\n'}
    if [[ $code == 2* || $code == 4* ]]; then
      printf '%s' "${out%$'\n'*}" | jq -r '.access_token // empty'
      return 0
    fi
  done
}

# commune_ids TOKEN: the ids of the communes valid on 2025-07-01, one per line.
commune_ids() {
  curl -s --max-time 10 -H "Authorization: Bearer $1" \
    "$BASE/api/v1/units?as_of=2025-07-01&level=commune&page_size=500" | jq -r '.items[].id'
}

# figure_writer WRITER NWRITERS COUNT SECONDS OFFSET OUT: posts up to COUNT figures for
# at most SECONDS, stopping after 3 refused connections in a row (server gone). Each
# request gets a distinct (unit, year) from the global number g = OFFSET + k*NWRITERS +
# WRITER, over the communes in UNIT_IDS and the years 2100..2200 (the figures service
# takes years up to 2200; the demo's are far below 2100); the value is "g.25". That is
# 101 x (number of communes) distinct figures: a run that needs more must free them
# (durability.sh deletes the test years between rounds). Running out is an error in
# OUT.err, not a quiet stop. Every figure acknowledged with 201 is appended to OUT as
# "id value"; other answers go to OUT.err. Needs BASE, TOKEN and UNIT_IDS.
figure_writer() {
  local w=$1 nw=$2 count=$3 seconds=$4 offset=$5 out=$6
  local deadline=$((EPOCHSECONDS + seconds)) k g unit year value resp code body id refused=0
  local nunits=${#UNIT_IDS[@]}
  # WRITERS_STOP_FILE, when set: the writers stop as soon as that file exists, so a
  # test can keep them writing for as long as the operation it overlaps takes.
  for ((k = 0; k < count && EPOCHSECONDS < deadline; k++)); do
    [[ -n ${WRITERS_STOP_FILE:-} && -e $WRITERS_STOP_FILE ]] && break
    g=$((offset + k * nw + w))
    unit=${UNIT_IDS[g % nunits]}
    year=$((2100 + g / nunits))
    if ((year > 2200)); then
      echo "writer $w g=$g: no (unit, year) left in 2100..2200" >>"$out.err"
      break
    fi
    value="$g.25"
    resp=$(curl -s --max-time 10 -w $'\n%{http_code}' -X POST -H "$JSON_CT" -H "Authorization: Bearer $TOKEN" \
      -d "{\"series\":\"farming_households\",\"unit_id\":$unit,\"year\":$year,\"value\":$value,\"note\":\"writer $w\"}" \
      "$BASE/api/v1/figures")
    code=${resp##*$'\n'}
    body=${resp%$'\n'*}
    if [[ $code == 201 ]]; then
      id=$(jq -r '.id' <<<"$body")
      echo "$id $value" >>"$out"
      refused=0
    elif [[ $code == 000 ]]; then
      ((++refused >= 3)) && break
      sleep 0.05
    else
      echo "writer $w g=$g: HTTP $code $body" >>"$out.err"
    fi
  done
}

# start_writers NWRITERS COUNT SECONDS OFFSET PREFIX: starts NWRITERS figure_writers in the
# background; their acknowledgements go to PREFIX.<w>. Sets WRITER_PIDS.
start_writers() {
  local nw=$1 count=$2 seconds=$3 offset=$4 prefix=$5 w
  WRITER_PIDS=()
  for ((w = 0; w < nw; w++)); do
    : >"$prefix.$w"
    figure_writer "$w" "$nw" "$count" "$seconds" "$offset" "$prefix.$w" &
    WRITER_PIDS+=($!)
  done
}

wait_writers() {
  local pid
  for pid in "${WRITER_PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  WRITER_PIDS=()
}

# acked_lines PREFIX: the "id value" lines of all writers of a run (PREFIX.<w> only,
# not their .err and .tried files).
acked_lines() {
  local f
  for f in "$1".*; do [[ $f =~ \.[0-9]+$ ]] && cat "$f"; done
  return 0
}
acked_count() { acked_lines "$1" | wc -l; }

# integrity FILE: prints SQLite's integrity_check answer ("ok" when sound).
integrity() { sqlite3 "$1" 'PRAGMA integrity_check' 2>&1 | tr '\n' ' ' | sed 's/ $//'; }
