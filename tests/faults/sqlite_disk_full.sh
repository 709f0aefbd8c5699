#!/usr/bin/env bash
# A full disk under SQLite: the GeoPackage lies on a small tmpfs; the rest of the space
# is taken by a filler file, so that a write finds no room (SQLITE_FULL, ENOSPC on the
# write-ahead log or the file). The write answers 507 with a Vietnamese message, the
# figure is not half there, reads keep working, and once the filler is removed the same
# server process accepts the write again. The file passes integrity_check afterwards.
#
# The tmpfs is mounted in a private mount namespace (`unshare -m`, or `unshare -rm` as a
# user who may create user namespaces), so it cannot outlive the test.
#
# usage: bash tests/faults/sqlite_disk_full.sh <nongsan-binary> <repo-root>
if [[ -z ${SQLITE_DISK_FULL_IN_NAMESPACE:-} ]]; then
  export SQLITE_DISK_FULL_IN_NAMESPACE=1
  if [[ $(id -u) -eq 0 ]] && unshare -m true 2>/dev/null; then
    exec unshare -m bash "$0" "$@"
  elif unshare -rm true 2>/dev/null; then
    exec unshare -rm bash "$0" "$@"
  fi
  echo "PASS - skipped: no private mount namespace can be made here (unshare -m / -rm), so no tmpfs to fill"
  echo "1 passed, 0 failed"
  exit 0
fi
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib/common.bash" "$@"
need_tools curl jq sqlite3
unset NONGSAN_LANG  # the API's default language, Vietnamese, is what is checked

log "building the demo database"
make_demo_db "$WORK/demo.gpkg"
SMALL="$WORK/small"
mkdir -p "$SMALL"
size_kb=$(($(du -k "$WORK/demo.gpkg" | cut -f1) + 8192))
mount -t tmpfs -o size=${size_kb}k nongsan-disk-full "$SMALL" || abort "a ${size_kb} KiB tmpfs is mounted on $SMALL"
# Unmounted before the work folder is removed (the server, stopped first, held it open).
trap 'stop_server; umount "$SMALL" 2>/dev/null; cleanup' EXIT
DB="$SMALL/demo.gpkg"
cp "$WORK/demo.gpkg" "$DB"

start_server "$DB"
PID=$SERVER_PID
TOKEN=$(bearer_token admin admin-demo-2025)
[[ -n $TOKEN ]] || abort "admin gets a bearer token"
mapfile -t UNIT_IDS < <(commune_ids "$TOKEN")
((${#UNIT_IDS[@]} >= 2)) || abort "the demo lists its communes"

# post_figure N: posts the figure of commune N % communes in year 2100 + N / communes;
# prints the HTTP status, then the body.
post_figure() {
  local n=$1 unit year
  unit=${UNIT_IDS[n % ${#UNIT_IDS[@]}]}
  year=$((2100 + n / ${#UNIT_IDS[@]}))
  curl -s --max-time 20 -w $'\n%{http_code}' -X POST -H "$JSON_CT" -H "Authorization: Bearer $TOKEN" \
    -d "{\"series\":\"farming_households\",\"unit_id\":$unit,\"year\":$year,\"value\":$n.5,\"note\":\"disk full test\"}" \
    "$BASE/api/v1/figures"
}
# stored_count N: how many figures are stored for the (unit, year) of N (0 or 1).
stored_count() {
  local n=$1
  curl -s --max-time 20 -H "Authorization: Bearer $TOKEN" \
    "$BASE/api/v1/figures?series=farming_households&unit_id=${UNIT_IDS[n % ${#UNIT_IDS[@]}]}&year=$((2100 + n / ${#UNIT_IDS[@]}))" |
    jq '.items | length'
}

resp=$(post_figure 0)
expect_eq "a write succeeds while there is room" 201 "${resp##*$'\n'}"

log "filling the disk"
dd if=/dev/zero of="$SMALL/filler" bs=64k 2>/dev/null
check "the tmpfs is full" test "$(df --output=avail -k "$SMALL" | tail -n 1 | tr -d ' ')" -eq 0

# Writes until one finds no room: the write-ahead log first reuses the space it has.
acked=(0)
failed=""
for ((n = 1; n <= 400; n++)); do
  resp=$(post_figure "$n")
  code=${resp##*$'\n'}
  body=${resp%$'\n'*}
  if [[ $code == 201 ]]; then
    acked+=("$n")
  else
    failed=$n
    break
  fi
done
[[ -n $failed ]] || abort "a write fails once the disk is full (400 writes went through)"
expect_eq "the write on a full disk answers 507 Insufficient Storage" 507 "$code"
expect_eq "its code is storage_full" storage_full "$(jq -r .code <<<"$body")"
expect_match "its message says, in Vietnamese, that the disk is full and nothing was saved" \
  "ổ đĩa của cơ sở dữ liệu đã đầy; chưa có gì được lưu" "$(jq -r .message <<<"$body")"
expect_eq "the refused figure is not stored, not even in part" 0 "$(stored_count "$failed")"
health=$(curl -s --max-time 5 "$BASE/api/health" | jq -r .status)
expect_eq "reads keep working on the full disk" ok "$health"
check "the server process is still running" kill -0 "$PID"

log "freeing the space"
rm -f "$SMALL/filler"
resp=$(post_figure "$failed")
expect_eq "the same write succeeds once space is freed, same process" 201 "${resp##*$'\n'}"
expect_eq "the server was not restarted" "$PID" "$SERVER_PID"
missing=0
for n in "${acked[@]}" "$failed"; do
  [[ $(stored_count "$n") == 1 ]] || missing=$((missing + 1))
done
expect_eq "every acknowledged figure is stored (${#acked[@]} before the full disk, 1 after)" 0 "$missing"
stop_server
expect_eq "integrity_check after the full disk" ok "$(integrity "$DB")"
finish
