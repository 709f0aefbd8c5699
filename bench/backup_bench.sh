#!/usr/bin/env bash
# Backup and restore of a registry of N parcels (1,000,000 by default), timed on both
# backends beside the tools they are built on, and the restored databases checked.
#
#   bench/backup_bench.sh [BUILD/nongsan] [--parcels N] [--db sqlite|pg|both]
#
# The cadastre is generated (bench/backup_parcels.py, illustrative) and imported with
# `nongsan import parcels` (timed too: it is the import of a province's cadastre). Then,
# on each backend:
#   - `nongsan backup` beside the peer on the same database: SQLite's own online backup
#     (`sqlite3 DB ".backup F"`), or `pg_dump --format=custom`;
#   - `nongsan restore --yes` into an empty database beside the peer: `sqlite3 F
#     ".restore B"`, or `pg_restore --single-transaction` (nongsan also restores in one
#     transaction, and first saves the target's current state);
#   - the restored database is checked: the same tables with the same row counts (but
#     the audit log, which gains the backup's and the restore's own entries), the
#     parcels row for row (a hash of every column and the geometry), and on SQLite
#     `PRAGMA integrity_check`; `nongsan migrate` finds nothing to do.
# Prints one line per step: seconds, bytes, and nongsan's time over the peer's.
# Work files live in a temporary folder removed on exit (about 1.5 GB at 1M parcels).
#
# Environment: BUILD (build folder, default build), TIMEOUT (seconds per step, default 3600).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib/free_port.sh
source "$root/bench/lib/free_port.sh"
build=${BUILD:-$root/build}
if [[ $# -gt 0 && $1 != -* && -x $1 ]]; then
  build=$(cd "$(dirname "$1")" && pwd)
  shift
fi
parcels=1000000
which_db=both
while [[ $# -gt 0 ]]; do
  case $1 in
    --parcels) parcels=$2; shift 2 ;;
    --db) which_db=$2; shift 2 ;;
    *) echo "backup_bench.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
timeout_s=${TIMEOUT:-3600}

cmake --build "$build" --target nongsan >/dev/null
work=$(mktemp -d "${TMPDIR:-/tmp}/backup-bench.XXXXXX")
chmod 755 "$work"  # the PostgreSQL server (user postgres) reads the dump for nothing, but pg tools run as root
bin="$work/nongsan"
cp "$build/nongsan" "$bin"
port=
cleanup() {
  if [[ -n $port ]]; then "$root/scripts/pg-test-cluster.sh" stop "$port" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
# timed VAR CMD…: runs CMD (output to the log), stores its wall seconds in VAR.
timed() {
  local var=$1
  shift
  local t0
  t0=$(now)
  if ! timeout "$timeout_s" "$@" >>"$work/log" 2>&1; then
    echo "backup_bench: failed: $*" >&2
    tail -n 20 "$work/log" >&2
    exit 1
  fi
  printf -v "$var" '%s' "$(secs "$t0" "$(now)")"
}
size() { stat -c %s "$1"; }
line() { printf '%-50s %9s s  %14s bytes   %s\n' "$1" "$2" "$3" "$4"; }
fail() { echo "backup_bench: CHECK FAILED: $*" >&2; exit 1; }

echo "backup_bench: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), load average $(cut -d' ' -f1-3 /proc/loadavg), $parcels parcels, commit $(git -C "$root" rev-parse --short HEAD)"
python3 "$root/bench/backup_parcels.py" "$parcels" "$work/parcels.csv"

# ---- SQLite (GeoPackage) ---------------------------------------------------------------
sqlite_tables() {
  sqlite3 "$1" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'audit_log' ORDER BY name" |
    while read -r t; do echo "$t $(sqlite3 "$1" "SELECT COUNT(*) FROM \"$t\"")"; done
}
sqlite_parcels_hash() {
  sqlite3 "$1" "SELECT id, external_id, unit_id, area_m2, valid_from, valid_to, hex(geom) FROM parcel ORDER BY id" |
    sha256sum | cut -c1-16
}
sqlite_check() {  # ORIGINAL RESTORED WHAT
  [[ $(sqlite3 "$2" "PRAGMA integrity_check") == ok ]] || fail "$3: integrity_check"
  [[ $(sqlite_tables "$1") == "$(sqlite_tables "$2")" ]] || fail "$3: tables or row counts differ"
  [[ $(sqlite_parcels_hash "$1") == "$(sqlite_parcels_hash "$2")" ]] || fail "$3: parcels differ"
}

if [[ $which_db == sqlite || $which_db == both ]]; then
  db="$work/registry.gpkg"
  "$bin" migrate --db "$db" >>"$work/log" 2>&1
  timed t_import "$bin" import parcels --db "$db" --crs 9205 --as-of 2025-01-01 "$work/parcels.csv"
  count=$(sqlite3 "$db" "SELECT COUNT(*) FROM parcel")
  [[ $count == "$parcels" ]] || fail "sqlite: $count parcels imported, expected $parcels"
  sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
  line "sqlite: import parcels" "$t_import" "$(size "$db")" "($parcels parcels, $(awk -v n="$parcels" -v s="$t_import" 'BEGIN { printf "%.0f", n / s }') parcels/s)"

  timed t_ours "$bin" backup --db "$db" --out "$work/ours.gpkg"
  timed t_peer sqlite3 "$db" ".backup '$work/peer.gpkg'"
  line "sqlite: nongsan backup" "$t_ours" "$(size "$work/ours.gpkg")" ""
  line "sqlite: sqlite3 .backup (peer)" "$t_peer" "$(size "$work/peer.gpkg")" "nongsan/peer $(ratio "$t_ours" "$t_peer")"
  sqlite_check "$db" "$work/ours.gpkg" "sqlite backup"

  # Restore into a database that holds something else (a fresh migrate), as an operator would.
  "$bin" migrate --db "$work/restored.gpkg" >>"$work/log" 2>&1
  timed t_ours "$bin" restore --db "$work/restored.gpkg" --yes "$work/ours.gpkg"
  timed t_peer sqlite3 "$work/peer-restored.gpkg" ".restore '$work/peer.gpkg'"
  line "sqlite: nongsan restore (saves the target first)" "$t_ours" "$(size "$work/restored.gpkg")" ""
  line "sqlite: sqlite3 .restore (peer)" "$t_peer" "$(size "$work/peer-restored.gpkg")" "nongsan/peer $(ratio "$t_ours" "$t_peer")"
  sqlite_check "$db" "$work/restored.gpkg" "sqlite restore"
  "$bin" migrate --db "$work/restored.gpkg" 2>&1 | grep -Eq "schema version ([0-9]+) -> \1\b" ||
    fail "sqlite restore: migrate has work to do"
  echo "sqlite: restored database checked: integrity_check ok, $(sqlite_tables "$db" | wc -l) tables with equal row counts, parcels identical"
  rm -f "$work"/*.gpkg "$work"/*.gpkg-*
fi

# ---- PostgreSQL + PostGIS --------------------------------------------------------------
if [[ $which_db == pg || $which_db == both ]]; then
  port=$(free_port) || { echo "backup_bench.sh: no free port found" >&2; exit 1; }
  "$root/scripts/pg-test-cluster.sh" start "$port" >/dev/null
  base="postgresql://nongsan@127.0.0.1:$port"
  sql() { psql -X -q -t -A "$base/$1" -c "$2"; }
  for d in restored peer_restored; do
    sql nongsan_test "CREATE DATABASE $d" >/dev/null
    sql "$d" "CREATE EXTENSION postgis" >/dev/null
  done
  pg_tables() {
    sql "$1" "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('spatial_ref_sys', 'audit_log') ORDER BY 1" |
      while read -r t; do echo "$t $(sql "$1" "SELECT COUNT(*) FROM \"$t\"")"; done
  }
  pg_parcels_hash() {
    sql "$1" "SELECT md5(string_agg(concat_ws(',', id, external_id, unit_id, area_m2, valid_from, valid_to, encode(ST_AsEWKB(geom), 'hex')), '|' ORDER BY id)) FROM parcel"
  }
  pg_check() {  # ORIGINAL RESTORED WHAT
    [[ $(pg_tables "$1") == "$(pg_tables "$2")" ]] || fail "$3: tables or row counts differ"
    [[ $(pg_parcels_hash "$1") == "$(pg_parcels_hash "$2")" ]] || fail "$3: parcels differ"
  }

  "$bin" migrate --db "$base/nongsan_test" >>"$work/log" 2>&1
  timed t_import "$bin" import parcels --db "$base/nongsan_test" --crs 9205 --as-of 2025-01-01 "$work/parcels.csv"
  count=$(sql nongsan_test "SELECT COUNT(*) FROM parcel")
  [[ $count == "$parcels" ]] || fail "pg: $count parcels imported, expected $parcels"
  line "pg: import parcels" "$t_import" "$(sql nongsan_test "SELECT pg_database_size('nongsan_test')")" "($parcels parcels, $(awk -v n="$parcels" -v s="$t_import" 'BEGIN { printf "%.0f", n / s }') parcels/s)"

  timed t_ours "$bin" backup --db "$base/nongsan_test" --out "$work/ours.dump"
  timed t_peer pg_dump --format=custom --no-password --file="$work/peer.dump" --dbname="$base/nongsan_test"
  line "pg: nongsan backup" "$t_ours" "$(size "$work/ours.dump")" ""
  line "pg: pg_dump --format=custom (peer)" "$t_peer" "$(size "$work/peer.dump")" "nongsan/peer $(ratio "$t_ours" "$t_peer")"

  "$bin" migrate --db "$base/restored" >>"$work/log" 2>&1
  timed t_ours "$bin" restore --db "$base/restored" --yes "$work/ours.dump"
  timed t_peer pg_restore --no-owner --single-transaction --dbname="$base/peer_restored" "$work/peer.dump"
  line "pg: nongsan restore (saves the target first)" "$t_ours" "$(sql nongsan_test "SELECT pg_database_size('restored')")" ""
  line "pg: pg_restore --single-transaction (peer)" "$t_peer" "$(sql nongsan_test "SELECT pg_database_size('peer_restored')")" "nongsan/peer $(ratio "$t_ours" "$t_peer")"
  pg_check nongsan_test restored "pg restore"
  pg_check nongsan_test peer_restored "pg peer restore"
  "$bin" migrate --db "$base/restored" 2>&1 | grep -Eq "schema version ([0-9]+) -> \1\b" ||
    fail "pg restore: migrate has work to do"
  echo "pg: restored database checked: $(pg_tables nongsan_test | wc -l) tables with equal row counts, parcels identical"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
