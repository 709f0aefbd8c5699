#!/usr/bin/env bash
# PostgreSQL lost under a running server: a throw-away cluster on a free loopback port
# is stopped, started and restarted (`pg_ctl restart -m fast`) while `nongsan serve`
# keeps running. Requests during the outage answer 503 with a Vietnamese message;
# the first request after the database is back succeeds (the pool drops the dead
# connections); the server is never restarted and loses no acknowledged login (session).
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
# No demo (it takes minutes on PostgreSQL): one administrator; a login is the write
# (it stores a session), GET /api/v1/auth/me the read.
PASSWORD='restart-test-Pass-2026'
out=$("$NONGSAN" user add boss --name "Restart Test" --role province_admin --password "$PASSWORD" --db "$DB" 2>&1) ||
  abort "nongsan user add creates the administrator" "$out"

start_server "$DB"
PID=$SERVER_PID
# login: prints the HTTP status, then the body.
login() {
  curl -s --max-time 20 -w $'\n%{http_code}' -X POST -H "$JSON_CT" \
    -d "{\"username\":\"boss\",\"password\":\"$PASSWORD\"}" "$BASE/api/v1/auth/tokens"
}
me() { curl -s -o /dev/null --max-time 20 -w '%{http_code}' -H "Authorization: Bearer $1" "$BASE/api/v1/auth/me"; }
tokens=()
for n in 1 2; do
  resp=$(login)
  expect_eq "login $n (a write) succeeds while the database is up" 201 "${resp##*$'\n'}"
  tokens+=("$(jq -r .access_token <<<"${resp%$'\n'*}")")
done
TOKEN=${tokens[0]}
# Several requests at once, so that the pool holds several connections when the
# server goes away.
concurrent_reads() {
  local pids=() i
  for i in 1 2 3 4; do
    me "$TOKEN" >/dev/null &
    pids+=($!)
  done
  wait "${pids[@]}"  # not a bare wait: the server is a background job too
}
concurrent_reads

log "stopping PostgreSQL under the running server"
"$CLUSTER" halt "$PG_PORT" >/dev/null
resp=$(curl -s --max-time 20 -w $'\n%{http_code}' -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/auth/me")
expect_eq "a read during the outage answers 503" 503 "${resp##*$'\n'}"
expect_match "its message says, in Vietnamese, that the database cannot be reached" \
  "không kết nối được cơ sở dữ liệu" "$(jq -r .message <<<"${resp%$'\n'*}")"
resp=$(login)
expect_eq "a write during the outage answers 503" 503 "${resp##*$'\n'}"
expect_eq "its code is storage_error" storage_error "$(jq -r .code <<<"${resp%$'\n'*}")"
check "the server is still running during the outage" kill -0 "$PID"

log "starting PostgreSQL again"
"$CLUSTER" resume "$PG_PORT" >/dev/null
resp=$(login)
expect_eq "the first write after the database is back succeeds" 201 "${resp##*$'\n'}"
tokens+=("$(jq -r .access_token <<<"${resp%$'\n'*}")")

log "pg_ctl restart -m fast under the running server"
concurrent_reads
"$CLUSTER" restart "$PG_PORT" >/dev/null
resp=$(login)
expect_eq "the first write right after a restart succeeds (dead pooled connections are dropped)" 201 "${resp##*$'\n'}"
tokens+=("$(jq -r .access_token <<<"${resp%$'\n'*}")")
ok=0
for t in "${tokens[@]}"; do [[ $(me "$t") == 200 ]] && ok=$((ok + 1)); done
expect_eq "all ${#tokens[@]} sessions acknowledged by a login are stored" "${#tokens[@]}" "$ok"
check "the same server process answered throughout" kill -0 "$PID"
expect_eq "the server was not restarted" "$PID" "$SERVER_PID"
finish
