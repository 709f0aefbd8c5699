#!/usr/bin/env bash
# Durability: a figure the server acknowledged (HTTP 201) survives `kill -9`.
#
# Four concurrent writers post distinct figures over loopback; the server is killed
# with SIGKILL while they write, restarted on the same file, and every acknowledged
# figure must be readable with its value, and the file must pass integrity_check.
# Two rounds, so the second crash happens on a file that was recovered once.
# Bounded: at most WRITERS x COUNT requests and SECONDS per round.
#
# usage: bash tests/cli/durability.sh <nongsan-binary> <repo-root>
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
need_tools curl jq sqlite3

WRITERS=4
COUNT=400        # requests per writer and round, at most
SECONDS_MAX=30   # per round, at most
KILL_AFTER=120   # acknowledged figures before the kill (or 15 s, whichever first)
ROUNDS=2

DB="$WORK/durability.gpkg"
log "building the demo database"
make_demo_db "$DB"

for ((round = 1; round <= ROUNDS; round++)); do
  log "round $round: start the server, $WRITERS writers, kill -9 after $KILL_AFTER acknowledgements"
  start_server "$DB"
  TOKEN=$(bearer_token admin admin-demo-2025)
  [[ -n $TOKEN ]] || abort "round $round: admin gets a bearer token"
  mapfile -t UNIT_IDS < <(commune_ids "$TOKEN")
  ((${#UNIT_IDS[@]} >= 30)) || abort "round $round: the demo lists its communes" "got ${#UNIT_IDS[@]} ids"

  prefix="$WORK/acked.r$round"
  start_writers "$WRITERS" "$COUNT" "$SECONDS_MAX" $(((round - 1) * WRITERS * COUNT)) "$prefix"
  for ((i = 0; i < 150 && $(acked_count "$prefix") < KILL_AFTER; i++)); do sleep 0.1; done
  before_kill=$(acked_count "$prefix")
  kill9_server
  wait_writers
  acked=$(acked_count "$prefix")
  log "round $round: $before_kill acknowledged when killed, $acked in all"
  errs=$(cat "$prefix".*.err 2>/dev/null | head -n 3)
  ((acked >= 20)) || abort "round $round: the writers got figures acknowledged before the kill" "only $acked" "$errs"
  expect_eq "round $round: writers got only 201 or no answer (no 4xx/5xx under concurrency)" "" "$errs"
  dup=$(cat "$prefix".[0-9]* | cut -d' ' -f1 | sort | uniq -d | head -n 3 | tr '\n' ' ')
  expect_eq "round $round: every acknowledged figure has its own id" "" "$dup"

  # The file as the crash left it (SQLite replays its write-ahead log on open).
  expect_eq "round $round: integrity_check after kill -9" "ok" "$(integrity "$DB")"

  start_server "$DB"
  TOKEN=$(bearer_token admin admin-demo-2025)
  [[ -n $TOKEN ]] || abort "round $round: admin gets a bearer token after the restart"
  missing=0
  wrong=0
  details=()
  while read -r id value; do
    resp=$(curl -s --max-time 10 -w $'\n%{http_code}' -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/figures/$id")
    code=${resp##*$'\n'}
    body=${resp%$'\n'*}
    if [[ $code != 200 ]]; then
      missing=$((missing + 1))
      ((${#details[@]} < 5)) && details+=("GET /api/v1/figures/$id: HTTP $code (acknowledged with value $value)")
    elif ! jq -e --argjson v "$value" '.value == $v' <<<"$body" >/dev/null; then
      wrong=$((wrong + 1))
      ((${#details[@]} < 5)) && details+=("figure $id: value $(jq -c .value <<<"$body"), acknowledged $value")
    fi
  done < <(cat "$prefix".[0-9]*)
  if ((missing == 0 && wrong == 0)); then
    pass "round $round: all $acked acknowledged figures are there with their values after restart"
  else
    fail "round $round: acknowledged figures survive kill -9 ($missing missing, $wrong wrong of $acked)" "${details[@]}"
  fi
  health=$(curl -s --max-time 5 "$BASE/api/health" | jq -r .status)
  expect_eq "round $round: the restarted server is healthy" "ok" "$health"
  stop_server
  expect_eq "round $round: integrity_check after restart and clean stop" "ok" "$(integrity "$DB")"
done

finish
