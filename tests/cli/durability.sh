#!/usr/bin/env bash
# Durability: a figure the server acknowledged (HTTP 201) survives `kill -9`.
#
# Four concurrent writers post distinct figures over loopback; the server is killed
# with SIGKILL while they write, restarted on the same database, and every acknowledged
# figure must be readable with its value; a SQLite file must pass integrity_check.
# From the second round on, the crash happens on a database that was recovered before.
# Bounded: at most WRITERS x COUNT requests and SECONDS_MAX per round.
#
# usage: bash tests/cli/durability.sh <nongsan-binary> <repo-root> [--rounds N] [--backend sqlite|postgres]
#   --rounds N      rounds of write / kill -9 / restart / check (default 2)
#   --backend B     sqlite (a GeoPackage file, default) or postgres: a throw-away
#                   PostgreSQL cluster on a free loopback port, started and removed here
#                   by scripts/pg-test-cluster.sh, with synchronous_commit on (the
#                   server's default; the test cluster turns it off for speed).
#
# The writers take their (unit, year) pairs from 2100..2200 (see figure_writer), which
# holds 101 x communes figures: 4 writers x 400 requests per round used them up in the
# third round when every round took the next 1,600. After a round has been checked, the
# server is stopped and the figures of those years are deleted from the database, so
# every round starts on the same empty range and any number of rounds can run; a
# request in flight at the kill that was committed without an answer is deleted with
# them, so it cannot collide with the next round.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$1" "${2:-}"
shift 2 || shift $#
ROUNDS=2
BACKEND=sqlite
while (($#)); do
  case $1 in
    --rounds) ROUNDS=${2:-}; shift 2 || break ;;
    --backend) BACKEND=${2:-}; shift 2 || break ;;
    *) abort "durability.sh: unknown option $1 (usage: --rounds N --backend sqlite|postgres)" ;;
  esac
done
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || abort "--rounds is a whole number of at least 1" "got '$ROUNDS'"
[[ $BACKEND == sqlite || $BACKEND == postgres ]] || abort "--backend is sqlite or postgres" "got '$BACKEND'"
need_tools curl jq
[[ $BACKEND == sqlite ]] && need_tools sqlite3
[[ $BACKEND == postgres ]] && need_tools psql python3

WRITERS=4
COUNT=400        # requests per writer and round, at most
SECONDS_MAX=30   # per round, at most
KILL_AFTER=120   # acknowledged figures before the kill (or 15 s, whichever first)
STARTED=$EPOCHSECONDS
TOTAL_ACKED=0
TOTAL_LOST=0

if [[ $BACKEND == postgres ]]; then
  PG_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  CLUSTER="$REPO/scripts/pg-test-cluster.sh"
  trap '"$CLUSTER" stop "$PG_PORT" >/dev/null 2>&1; cleanup' EXIT
  "$CLUSTER" start "$PG_PORT" >"$WORK/cluster.log" 2>&1 || abort "the PostgreSQL cluster starts" "$(cat "$WORK/cluster.log")"
  DB="postgresql://nongsan@127.0.0.1:$PG_PORT/nongsan_test"
  # An acknowledged commit must be on disk on the server, as in production.
  psql -X -q "$DB" -c "ALTER SYSTEM SET synchronous_commit = on" -c "SELECT pg_reload_conf()" >/dev/null ||
    abort "synchronous_commit is turned on in the test cluster"
else
  DB="$WORK/durability.gpkg"
fi
# sql STATEMENT: runs one statement on the database (the server stopped or not).
sql() {
  if [[ $BACKEND == postgres ]]; then psql -X -q -tA "$DB" -c "$1"; else sqlite3 "$DB" "$1"; fi
}
log "building the demo database ($BACKEND, $ROUNDS rounds)"
make_demo_db "$DB"
expect_eq "the demo holds no figure in the test years 2100..2200" 0 "$(sql "SELECT count(*) FROM unit_figure WHERE year >= 2100")"

for ((round = 1; round <= ROUNDS; round++)); do
  log "round $round: start the server, $WRITERS writers, kill -9 after $KILL_AFTER acknowledgements"
  start_server "$DB"
  TOKEN=$(bearer_token admin admin-demo-2025)
  [[ -n $TOKEN ]] || abort "round $round: admin gets a bearer token"
  mapfile -t UNIT_IDS < <(commune_ids "$TOKEN")
  ((${#UNIT_IDS[@]} >= 30)) || abort "round $round: the demo lists its communes" "got ${#UNIT_IDS[@]} ids"

  prefix="$WORK/acked.r$round"
  start_writers "$WRITERS" "$COUNT" "$SECONDS_MAX" 0 "$prefix"
  for ((i = 0; i < 150 && $(acked_count "$prefix") < KILL_AFTER; i++)); do sleep 0.1; done
  before_kill=$(acked_count "$prefix")
  kill9_server
  wait_writers
  acked=$(acked_count "$prefix")
  log "round $round: $before_kill acknowledged when killed, $acked in all"
  errs=$(cat "$prefix".*.err 2>/dev/null | head -n 3)
  ((acked >= 20)) || abort "round $round: the writers got figures acknowledged before the kill" "only $acked" "$errs"
  expect_eq "round $round: writers got only 201 or no answer (no 4xx/5xx under concurrency)" "" "$errs"
  dup=$(acked_lines "$prefix" | cut -d' ' -f1 | sort | uniq -d | head -n 3 | tr '\n' ' ')
  expect_eq "round $round: every acknowledged figure has its own id" "" "$dup"

  # The file as the crash left it (SQLite replays its write-ahead log on open).
  [[ $BACKEND == sqlite ]] && expect_eq "round $round: integrity_check after kill -9" "ok" "$(integrity "$DB")"

  start_server "$DB"
  TOKEN=$(bearer_token admin admin-demo-2025)
  [[ -n $TOKEN ]] || abort "round $round: admin gets a bearer token after the restart"
  # What the restarted server holds in the test years, read through the list route
  # a page of 500 at a time (one request per figure made 100 rounds take hours).
  stored="$WORK/stored.r$round"
  : >"$stored"
  for ((page = 1; ; page++)); do
    body=$(curl -s --max-time 30 -H "Authorization: Bearer $TOKEN" \
      "$BASE/api/v1/figures?series=farming_households&page_size=500&page=$page")
    jq -r '.items[] | select(.year >= 2100) | "\(.id) \(.value)"' <<<"$body" >>"$stored" ||
      abort "round $round: the figures can be listed after the restart" "$body"
    (($(jq '.items | length' <<<"$body") < 500)) && break
  done
  # Every acknowledged "id value" must be stored with that value (compared as numbers).
  report=$(awk 'FILENAME == ARGV[1] { have[$1] = $2; next }
    !($1 in have) { missing++; if (shown++ < 5) print "figure " $1 ": not stored (acknowledged with value " $2 ")"; next }
    have[$1] + 0 != $2 + 0 { wrong++; if (shown++ < 5) print "figure " $1 ": value " have[$1] ", acknowledged " $2 }
    END { print "COUNTS " missing + 0 " " wrong + 0 }' "$stored" <(acked_lines "$prefix"))
  read -r _ missing wrong <<<"$(grep '^COUNTS' <<<"$report")"
  mapfile -t details < <(grep -v '^COUNTS' <<<"$report")
  if ((missing == 0 && wrong == 0)); then
    pass "round $round: all $acked acknowledged figures are there with their values after restart"
  else
    fail "round $round: acknowledged figures survive kill -9 ($missing missing, $wrong wrong of $acked)" "${details[@]}"
  fi
  health=$(curl -s --max-time 5 "$BASE/api/health" | jq -r .status)
  expect_eq "round $round: the restarted server is healthy" "ok" "$health"
  stop_server
  [[ $BACKEND == sqlite ]] && expect_eq "round $round: integrity_check after restart and clean stop" "ok" "$(integrity "$DB")"
  TOTAL_ACKED=$((TOTAL_ACKED + acked))
  TOTAL_LOST=$((TOTAL_LOST + missing + wrong))
  # Free the test years for the next round (see the header).
  sql "DELETE FROM unit_figure WHERE year >= 2100" >/dev/null
done
log "summary: backend $BACKEND, $ROUNDS rounds, $TOTAL_ACKED acknowledged writes, $TOTAL_LOST lost or wrong, $((EPOCHSECONDS - STARTED)) s"

finish
