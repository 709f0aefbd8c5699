#!/usr/bin/env bash
# PostgreSQL lost under a running server: a throw-away cluster on a free loopback port
# is stopped, started and restarted (`pg_ctl restart -m fast`) while `nongsan serve`
# keeps running. Requests during the outage answer 503 with a Vietnamese message;
# the first request after the database is back succeeds (the pool drops the dead
# connections); the server is never restarted and loses no acknowledged figure.
#
# usage: bash tests/faults/pg_restart.sh <nongsan-binary> <repo-root>
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib/common.bash" "$@"
need_tools curl jq psql python3
unset NONGSAN_LANG  # the API's default language, Vietnamese, is what is checked

PG_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
CLUSTER="$REPO/scripts/pg-test-cluster.sh"
trap '"$CLUSTER" stop "$PG_PORT" >/dev/null 2>&1; cleanup' EXIT
"$CLUSTER" start "$PG_PORT" >"$WORK/cluster.log" 2>&1 || abort "the PostgreSQL cluster starts" "$(cat "$WORK/cluster.log")"
DB="postgresql://nongsan@127.0.0.1:$PG_PORT/nongsan_test"
log "building the demo database on PostgreSQL"
make_demo_db "$DB"

start_server "$DB"
PID=$SERVER_PID
TOKEN=$(bearer_token admin admin-demo-2025)
[[ -n $TOKEN ]] || abort "admin gets a bearer token"
mapfile -t UNIT_IDS < <(commune_ids "$TOKEN")
((${#UNIT_IDS[@]} >= 4)) || abort "the demo lists its communes"

# post_figure N: posts a figure for commune N in year 2150; prints status and body.
post_figure() {
  curl -s --max-time 20 -w $'\n%{http_code}' -X POST -H "$JSON_CT" -H "Authorization: Bearer $TOKEN" \
    -d "{\"series\":\"farming_households\",\"unit_id\":${UNIT_IDS[$1]},\"year\":2150,\"value\":$1.5}" \
    "$BASE/api/v1/figures"
}
ids=()
# Several requests at once, so that the pool holds several connections when the
# server goes away.
for n in 0 1; do
  resp=$(post_figure "$n")
  expect_eq "figure $n is stored while the database is up" 201 "${resp##*$'\n'}"
  ids+=("$(jq -r .id <<<"${resp%$'\n'*}")")
done
for i in 1 2 3 4; do curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/figures" & done
wait

log "stopping PostgreSQL under the running server"
"$CLUSTER" halt "$PG_PORT" >/dev/null
resp=$(curl -s --max-time 20 -w $'\n%{http_code}' -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/figures/${ids[0]}")
expect_eq "a read during the outage answers 503" 503 "${resp##*$'\n'}"
expect_match "its message says, in Vietnamese, that the database cannot be reached" \
  "không kết nối được cơ sở dữ liệu" "$(jq -r .message <<<"${resp%$'\n'*}")"
resp=$(post_figure 2)
expect_eq "a write during the outage answers 503" 503 "${resp##*$'\n'}"
expect_eq "its code is storage_error" storage_error "$(jq -r .code <<<"${resp%$'\n'*}")"
check "the server is still running during the outage" kill -0 "$PID"

log "starting PostgreSQL again"
"$CLUSTER" resume "$PG_PORT" >/dev/null
resp=$(post_figure 2)
expect_eq "the first write after the database is back succeeds" 201 "${resp##*$'\n'}"
ids+=("$(jq -r .id <<<"${resp%$'\n'*}")")

log "pg_ctl restart -m fast under the running server"
for i in 1 2 3 4; do curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/figures" & done
wait
"$CLUSTER" restart "$PG_PORT" >/dev/null
resp=$(post_figure 3)
expect_eq "the first write right after a restart succeeds (dead pooled connections are dropped)" 201 "${resp##*$'\n'}"
ids+=("$(jq -r .id <<<"${resp%$'\n'*}")")
ok=0
for id in "${ids[@]}"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/figures/$id")
  [[ $code == 200 ]] && ok=$((ok + 1))
done
expect_eq "all ${#ids[@]} acknowledged figures are there" "${#ids[@]}" "$ok"
check "the same server process answered throughout" kill -0 "$PID"
expect_eq "the server was not restarted" "$PID" "$SERVER_PID"
finish
