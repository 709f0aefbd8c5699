#!/usr/bin/env bash
# Backup and restore as an operator uses them.
#
#  - `nongsan backup` while the server runs and writers are posting gives a
#    consistent copy: integrity_check ok, readable by GDAL, and holding every figure
#    acknowledged before the backup started;
#  - `restore` without --yes refuses and changes nothing;
#  - `restore --yes` (server stopped) saves the current state first (pre-restore-*),
#    brings the backup back: a figure added after the backup is gone, the earlier
#    ones are there;
#  - `migrate` on an up-to-date database takes no backup.
#
# usage: bash tests/cli/backup_restore.sh <nongsan-binary> <repo-root>
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
need_tools curl jq sqlite3 ogrinfo sha256sum

DB="$WORK/data/nongsan.gpkg"
BACKUPS="$WORK/data/backups"  # the default backup folder: backups/ beside the .gpkg
B="$WORK/copy.gpkg"
mkdir -p "$WORK/data"
log "building the demo database"
make_demo_db "$DB"

start_server "$DB"
TOKEN=$(bearer_token admin admin-demo-2025)
[[ -n $TOKEN ]] || abort "admin gets a bearer token"
mapfile -t UNIT_IDS < <(commune_ids "$TOKEN")
((${#UNIT_IDS[@]} >= 30)) || abort "the demo lists its communes" "got ${#UNIT_IDS[@]} ids"

# --- backup while writers are active ------------------------------------------
log "2 writers posting figures; backup taken mid-stream"
prefix="$WORK/acked"
# The writers keep going until the backup has finished (a bigger database takes
# longer to copy), then are told to stop.
export WRITERS_STOP_FILE="$WORK/writers.stop"
start_writers 2 3000 60 0 "$prefix"
for ((i = 0; i < 150 && $(acked_count "$prefix") < 40; i++)); do sleep 0.1; done
acked_lines "$prefix" >"$WORK/acked_before_backup"
n_before=$(wc -l <"$WORK/acked_before_backup")
out=$("$NONGSAN" backup --db "$DB" --out "$B" 2>&1)
rc=$?
writers_running=0
for pid in "${WRITER_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && writers_running=$((writers_running + 1)); done
expect_eq "backup exits 0 while the server runs" "0" "$rc"
expect_match "backup prints the file it wrote" "copy\.gpkg \([0-9]+ bytes\)" "$out"
if ((writers_running > 0)); then
  pass "the writers were still writing when the backup finished ($writers_running of 2)"
else
  fail "the writers were still writing when the backup finished" "they had stopped: the backup did not overlap writes"
fi
touch "$WRITERS_STOP_FILE"
wait_writers
n_all=$(acked_count "$prefix")
log "$n_before figures acknowledged before the backup, $n_all in all"

expect_eq "integrity_check of the backup" "ok" "$(integrity "$B")"
layers=$(ogrinfo -q -ro "$B" 2>&1)
expect_match "ogrinfo lists admin_unit in the backup" "admin_unit \(Multi Polygon\)" "$layers"
units=$(sqlite3 "$B" 'SELECT count(*) FROM admin_unit' 2>&1)
expect_eq "the backup holds the 153 demo units" "153" "$units"
missing=()
while read -r id value; do
  got=$(sqlite3 "$B" "SELECT value FROM unit_figure WHERE id = $id")
  [[ -n $got ]] && awk -v a="$got" -v b="$value" 'BEGIN { exit !(a == b) }' || missing+=("figure $id ($value): '$got'")
done <"$WORK/acked_before_backup"
if ((${#missing[@]} == 0)); then
  pass "the backup holds all $n_before figures acknowledged before it started"
else
  fail "the backup holds every figure acknowledged before it started" "${missing[@]:0:5}"
fi

# --- a figure added after the backup ------------------------------------------
resp=$(curl -s --max-time 10 -w $'\n%{http_code}' -X POST -H "$JSON_CT" -H "Authorization: Bearer $TOKEN" \
  -d "{\"series\":\"tea_area_ha\",\"unit_id\":${UNIT_IDS[0]},\"year\":2200,\"value\":4242.5,\"note\":\"after backup\"}" \
  "$BASE/api/v1/figures")
expect_eq "a figure is added after the backup (HTTP 201)" "201" "${resp##*$'\n'}"
AFTER_ID=$(jq -r '.id // empty' <<<"${resp%$'\n'*}")
[[ -n $AFTER_ID ]] || abort "the new figure has an id" "${resp%$'\n'*}"
stop_server

# --- restore without --yes ------------------------------------------------------
sum_before=$(sha256sum "$DB" | cut -d' ' -f1)
ls_before=$(ls "$BACKUPS" 2>/dev/null)
out=$("$NONGSAN" restore --db "$DB" "$B" 2>&1)
rc=$?
expect_fails "restore without --yes refuses" "$rc" "$out"
expect_match "restore without --yes says how to confirm" "--yes" "$out"
expect_eq "restore without --yes leaves the database file as it was" "$sum_before" "$(sha256sum "$DB" | cut -d' ' -f1)"
expect_eq "restore without --yes writes no backup file" "$ls_before" "$(ls "$BACKUPS" 2>/dev/null)"
expect_eq "restore without --yes keeps the figure added after the backup" "1" \
  "$(sqlite3 "$DB" "SELECT count(*) FROM unit_figure WHERE id = $AFTER_ID")"

# --- restore --yes --------------------------------------------------------------
out=$("$NONGSAN" restore --db "$DB" "$B" --yes 2>&1)
rc=$?
expect_eq "restore --yes exits 0" "0" "$rc"
pre=$(ls "$BACKUPS"/pre-restore-*.gpkg 2>/dev/null | head -n 1)
if [[ -n $pre ]]; then
  pass "restore saved the previous state first ($(basename "$pre"))"
  expect_match "restore names the file it saved the previous state to" "$(basename "$pre")" "$out"
  expect_eq "integrity_check of the pre-restore file" "ok" "$(integrity "$pre")"
  expect_eq "the pre-restore file holds the figure added after the backup" "4242.5" \
    "$(sqlite3 "$pre" "SELECT value FROM unit_figure WHERE id = $AFTER_ID")"
else
  fail "restore saved the previous state to $BACKUPS/pre-restore-*.gpkg" "folder: $(ls "$BACKUPS" 2>&1)" "$out"
fi
expect_eq "integrity_check after restore" "ok" "$(integrity "$DB")"
expect_eq "after restore the figure added after the backup is gone (database)" "0" \
  "$(sqlite3 "$DB" "SELECT count(*) FROM unit_figure WHERE id = $AFTER_ID")"

start_server "$DB"
TOKEN=$(bearer_token admin admin-demo-2025)
[[ -n $TOKEN ]] || abort "admin gets a bearer token after the restore"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/figures/$AFTER_ID")
expect_eq "after restore GET /api/v1/figures/$AFTER_ID (added after the backup) is 404" "404" "$code"
bad=()
while read -r id value; do
  v=$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/figures/$id" | jq -r '.value // "missing"')
  awk -v a="$v" -v b="$value" 'BEGIN { exit !(a == b) }' || bad+=("figure $id: $v, expected $value")
done <"$WORK/acked_before_backup"
if ((${#bad[@]} == 0)); then
  pass "after restore the $n_before figures from before the backup are served with their values"
else
  fail "after restore the figures from before the backup are served" "${bad[@]:0:5}"
fi
# The restore is audited, and the audit row itself survived the restore.
audit=$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/audit?action=restore" | jq -r '.total // 0')
expect_eq "the restore is in the audit trail" "1" "$audit"
stop_server

# --- migrate on an up-to-date database ------------------------------------------
ls_before=$(ls "$BACKUPS")
out=$("$NONGSAN" migrate --db "$DB" 2>&1)
rc=$?
expect_eq "migrate on an up-to-date database exits 0" "0" "$rc"
expect_match "migrate reports no change of schema version" "schema version ([0-9]+) -> \1" "$out"
expect_no_match "migrate on an up-to-date database mentions no backup" "backup" "$out"
expect_eq "migrate on an up-to-date database writes no backup file" "$ls_before" "$(ls "$BACKUPS")"

finish
