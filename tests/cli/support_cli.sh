# Support: the cross-checks and amounts of docs/support.md, checked the way the province
# will check them — a year of applications nobody wrote the code against, imported with
# the CLI on a database that holds nothing else (`nongsan migrate`, no administrative
# units), and `check claims` / `support evaluate` compared row for row with an
# independent computation of the rules (lib/support_reference.py, written from
# docs/support.md; GDAL/OGR for the geometry).
#
# The world (lib/support_world.py, seeded): parcels in VN-2000 from two central meridians
# (EPSG:9205 and EPSG:9208), some redrawn on 2025-06-01; producers sharing a citizen ID,
# a phone or a bank account, some with none; owners, sales, leases and contributions;
# zones with periods (two of one crop over each other); plantings that change crop;
# suitability rasters and profiles; policies with amendments, exclusive pairs, one-time
# policies, caps, conditions and counted items; applications of 2023–2025 in every
# status; payments before acceptance, without it and above the approved amount. The
# boundary cases sit on the registry's computed areas: the tolerance ± 10⁻⁷ ha,
# intersections of 0.95 / 1.05 m² and 49.9 / 50.1 m², zone shares of 49.9 % / 50.1 %,
# acceptance on the first and last day of a planting, filing on the day a lease starts or
# ends, conditions met exactly by a sum of items. The reference counts the cases it met,
# and each must have happened.
#
# Also: bad files are refused with their line and column (or JSON path and position) and
# store nothing; re-imports change nothing; `check claims` exits 0 whatever it finds.
# Then the same files go into PostgreSQL/PostGIS (the project's throw-away cluster,
# scripts/pg-test-cluster.sh, when PostgreSQL 15 is installed): the same areas, the same
# findings and amounts.
#
# usage: bash tests/cli/support_cli.sh <nongsan-binary> <repo-root>   (SEED=… for another world)
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
need_tools sqlite3 jq ogr2ogr
LIB="$(dirname "${BASH_SOURCE[0]}")/lib"
PY=/usr/bin/python3  # Debian's python3, with the GDAL/OGR bindings
"$PY" -c 'from osgeo import ogr' 2>/dev/null || abort "Debian's python3-gdal is installed (apt-get install python3-gdal)"

W="$WORK/world"
DB="$WORK/support.gpkg"
mkdir -p "$W"
# Raster layers are registered only from the raster folder (setting raster_dir):
# the world's rasters are written there.
export NONGSAN_RASTER_DIR="$W"

# q TARGET SQL: a query on the SQLite file or the PostgreSQL URL; rows as a,b,c.
q() {
  if [[ $1 == postgresql://* ]]; then psql -X -q -tA -F, "$1" -c "$2" 2>&1; else sqlite3 -separator , "$1" "$2" 2>&1; fi
}
# dump_areas TARGET OUT: the registry's computed areas (external_id, valid_to, area_m2),
# the current boundary with an empty valid_to, each area in its shortest exact text.
dump_areas() {
  local sql="SELECT external_id, '' AS valid_to, area_m2 FROM parcel UNION ALL SELECT p.external_id,
    CAST(h.valid_to AS TEXT), h.area_m2 FROM parcel_geometry_history h JOIN parcel p ON p.id = h.parcel_id ORDER BY 1, 2"
  if [[ $1 == postgresql://* ]]; then
    { echo "external_id,valid_to,area_m2"; psql -X -q -tA -F, "$1" -c "$sql"; } >"$2"
  else
    "$PY" -c 'import csv, sqlite3, sys
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["external_id", "valid_to", "area_m2"])
# The shortest form that reads back, as PostgreSQL prints a double (15600, not 15600.0).
def shortest(a): r = repr(a); return r[:-2] if r.endswith(".0") else r
for e, t, a in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): w.writerow([e, t, shortest(a)])' "$1" "$sql" >"$2"
  fi
}

# run_ok DESCRIPTION REGEX COMMAND...: the command exits 0 and prints REGEX.
run_ok() {
  local desc=$1 re=$2 out rc
  shift 2
  out=$("$@" 2>&1)
  rc=$?
  if [[ $rc == 0 && $out =~ $re ]]; then pass "$desc"; else fail "$desc" "exit $rc" "${out:0:600}"; fi
}

# load_registry TARGET TAG: the registry files into a migrated database with nothing else.
load_registry() {
  local t=$1 tag=$2 out l
  out=$("$NONGSAN" migrate --db "$t" 2>&1) || abort "$tag: nongsan migrate" "$out"
  expect_eq "$tag: no administrative units" "0" "$(q "$t" 'SELECT count(*) FROM admin_unit')"
  run_ok "$tag: import producers" "created $(($(wc -l <"$W/producers.csv") - 1))," \
    "$NONGSAN" import producers --db "$t" "$W/producers.csv"
  run_ok "$tag: import parcels in EPSG:9205 (TM-3 103-00)" "EPSG:9205" \
    "$NONGSAN" import parcels --db "$t" --as-of 2020-01-01 "$W/parcels_a.gpkg"
  run_ok "$tag: import parcels in EPSG:9208 (TM-3 104-45)" "EPSG:9208" \
    "$NONGSAN" import parcels --db "$t" --as-of 2020-01-01 "$W/parcels_b.gpkg"
  run_ok "$tag: import the boundaries redrawn on 2025-06-01" "boundaries changed [1-9]" \
    "$NONGSAN" import parcels --db "$t" --as-of 2025-06-01 "$W/parcels_2025.gpkg"
  run_ok "$tag: import zones" "zones: created 8," "$NONGSAN" import zones --db "$t" "$W/zones.gpkg"
  run_ok "$tag: import rights" "rights: created" "$NONGSAN" import rights --db "$t" "$W/rights.csv"
  run_ok "$tag: import plantings" "plantings: created" "$NONGSAN" import plantings --db "$t" "$W/plantings.csv"
  run_ok "$tag: import suitability profiles" "mac_highland version 1" "$NONGSAN" import profiles --db "$t" "$W/profiles.json"
  for l in tclass mclass; do
    run_ok "$tag: register raster layer $l" "registered" \
      "$NONGSAN" suitability layer-add --db "$t" "$l" "$W/$l.tif" --kind categorical
  done
  run_ok "$tag: evaluate the parcels' suitability" "tea: [0-9]+ parcels" "$NONGSAN" suitability parcels --db "$t" --all-crops
  expect_eq "$tag: every parcel without a commune (the province's)" "0" \
    "$(q "$t" 'SELECT count(*) FROM parcel WHERE unit_id IS NOT NULL')"
  # No import takes a producer's bank account yet (import producers has no such
  # column): written directly, so that duplicate_person by bank account is checked too.
  while IFS=, read -r producer account; do
    q "$t" "UPDATE producer SET bank_account = '$account' WHERE external_id = '$producer'" >/dev/null
  done < <(tail -n +2 "$W/bank_accounts.csv")
}

# load_claims TARGET TAG: policies, applications and payments, with bad files first.
load_claims() {
  local t=$1 tag=$2 out where
  jq '.[1].conditions = "claimed_ha >= 0.3 and applicant_kinds == \"a\""' "$W/policies.json" >"$WORK/bad_policies.json"
  out=$("$NONGSAN" import policies --db "$t" "$WORK/bad_policies.json" 2>&1)
  expect_fails "$tag: a policy with an unknown fact is refused" $?
  expect_match "$tag: ... naming its JSON path and position" '\[1\]\.conditions: position 23: unknown fact' "$out"
  printf '[{"code": "P-X",\n  "version": 2024-01-01}]\n' >"$WORK/notjson.json"
  out=$("$NONGSAN" import policies --db "$t" "$WORK/notjson.json" 2>&1)
  expect_fails "$tag: a policies file that is not JSON is refused" $?
  expect_match "$tag: ... with its line and column" 'line 2, column [0-9]+' "$out"
  expect_eq "$tag: no policy was stored" "0" "$(q "$t" 'SELECT count(*) FROM support_policy')"
  run_ok "$tag: import policies" "created $NPOL, unchanged 0" "$NONGSAN" import policies --db "$t" "$W/policies.json"
  run_ok "$tag: import policies again: unchanged" "created 0, unchanged $NPOL" "$NONGSAN" import policies --db "$t" "$W/policies.json"

  awk -F, 'BEGIN { OFS = "," }
    NR == 5 { $4 = "2025-02-30" } NR == 9 { $7 = "NO-SUCH-PARCEL" } NR == 12 { $8 = "-1" } NR == 14 { $2 = "P-NONE" }
    { print }' "$W/applications.csv" >"$WORK/bad_applications.csv"
  out=$("$NONGSAN" import applications --db "$t" "$WORK/bad_applications.csv" 2>&1)
  expect_fails "$tag: applications with four bad cells are refused" $?
  for where in "line 5, column filed" "line 9, column parcel" "line 12, column quantity" "line 14, column policy"; do
    expect_match "$tag: ... naming $where" "$where" "$out"
  done
  expect_eq "$tag: no application was stored" "0" "$(q "$t" 'SELECT count(*) FROM support_application')"
  run_ok "$tag: import applications" "created $NAPP, updated 0, unchanged 0" \
    "$NONGSAN" import applications --db "$t" "$W/applications.csv"
  run_ok "$tag: the same applications from XLSX: unchanged" "created 0, updated 0, unchanged $NAPP" \
    "$NONGSAN" import applications --db "$t" "$WORK/applications.xlsx"

  awk -F, 'BEGIN { OFS = "," } NR == 3 { $4 = "refund" } NR == 6 { $1 = "NO-SUCH-APP" } { print }' \
    "$W/payments.csv" >"$WORK/bad_payments.csv"
  out=$("$NONGSAN" import payments --db "$t" "$WORK/bad_payments.csv" 2>&1)
  expect_fails "$tag: payments with two bad cells are refused" $?
  expect_match "$tag: ... naming line 3, column kind" "line 3, column kind" "$out"
  expect_match "$tag: ... naming line 6, column application" "line 6, column application" "$out"
  expect_eq "$tag: no payment was stored" "0" "$(q "$t" 'SELECT count(*) FROM support_payment')"
  run_ok "$tag: import payments" "created $NPAY, updated 0, unchanged 0" "$NONGSAN" import payments --db "$t" "$W/payments.csv"
  run_ok "$tag: import payments again: unchanged" "created 0, updated 0, unchanged $NPAY" \
    "$NONGSAN" import payments --db "$t" "$W/payments.csv"
  run_ok "$tag: import applications again: unchanged" "created 0, updated 0, unchanged $NAPP" \
    "$NONGSAN" import applications --db "$t" "$W/applications.csv"
}

# same DESCRIPTION EXPECTED-FILE ACTUAL-FILE: equal files, else the first differences.
same() {
  if cmp -s "$2" "$3"; then
    pass "$1 ($(($(wc -l <"$2") - 1)) rows)"
  else
    mapfile -t d < <(diff "$3" "$2" | grep '^[<>]' | head -n 12)
    fail "$1" "< nongsan, > reference:" "${d[@]}"
  fi
}

# compare_year TARGET TAG YEAR [--min-overlap-m2 N]: check claims (and support evaluate)
# against the reference, row for row.
compare_year() {
  local t=$1 tag=$2 y=$3 rc
  shift 3
  local f="$WORK/$tag-$y${1:+-$2}"
  "$NONGSAN" check claims --db "$t" --year "$y" "$@" --format csv --out "$f-claims.csv" 2>"$f-claims.err"
  rc=$?
  expect_eq "$tag: check claims --year $y $* exits 0 with findings" "0" "$rc"
  cut -d, -f1-4 "$f-claims.csv" >"$f-got-findings.csv"
  "$PY" "$LIB/support_reference.py" "$W" "$WORK/areas-$tag.csv" "$y" "$f-ref-findings.csv" "$f-ref-amounts.csv" \
    "${REFARGS[@]}" "$@" --coverage "$f-coverage.json" || { fail "$tag: the reference runs for $y"; return; }
  same "$tag: findings of $y $* equal the reference's, row for row" "$f-ref-findings.csv" "$f-got-findings.csv"
  [[ $# -gt 0 ]] && return
  "$NONGSAN" support evaluate --db "$t" --year "$y" --format csv --out "$f-evaluate.csv" 2>/dev/null
  # application,amount, and conditions_hold where the conditions were evaluated (not rejected)
  awk -F, 'NR == 1 { print "application,amount,conditions_hold"; next }
    { print $1 "," $2 "," ($4 == "rejected" ? "" : $8) }' "$f-evaluate.csv" >"$f-got-amounts.csv"
  same "$tag: amounts of $y (and whether the conditions held) equal the reference's" "$f-ref-amounts.csv" "$f-got-amounts.csv"
  "$NONGSAN" check claims --db "$t" --year "$y" --format json --out "$f-claims.json" 2>/dev/null
  expect_eq "$tag: check claims --format json holds the same findings as CSV" \
    "$(tail -n +2 "$f-claims.csv" | cut -d, -f1-4 | md5sum)" \
    "$(jq -r '.findings[] | [.finding, .application, .other_application, .parcel] | join(",")' "$f-claims.json" | md5sum)"
}

REFARGS=(--parcels "$W/parcels_a.gpkg@2020-01-01" --parcels "$W/parcels_b.gpkg@2020-01-01"
  --parcels "$W/parcels_2025.gpkg@2025-06-01" --raster "tclass=$W/tclass.tif" --raster "mclass=$W/mclass.tif")

log "a random world (seed ${SEED:=20261206})"
"$PY" "$LIB/support_world.py" registry "$W" "$SEED" || abort "the registry files are written"

log "SQLite: the registry"
load_registry "$DB" sqlite
dump_areas "$DB" "$WORK/areas-sqlite.csv"
log "policies, applications and payments on the registry's areas"
"$PY" "$LIB/support_world.py" claims "$W" "$SEED" "$WORK/areas-sqlite.csv" || abort "the applications are written"
NPOL=$(jq length "$W/policies.json")
NAPP=$(tail -n +2 "$W/applications.csv" | cut -d, -f1 | sort -u | wc -l)
NPAY=$(($(wc -l <"$W/payments.csv") - 1))
ogr2ogr -f XLSX "$WORK/applications.xlsx" "$W/applications.csv" -nln applications 2>/dev/null
log "SQLite: the imports"
load_claims "$DB" sqlite
log "SQLite: check claims and support evaluate, against the reference"
compare_year "$DB" sqlite 2024
compare_year "$DB" sqlite 2025
compare_year "$DB" sqlite 2025 --min-overlap-m2 50

log "every rule and boundary case was exercised"
jq -s 'reduce .[] as $c ({}; reduce ($c | to_entries[]) as $e (.; .[$e.key] += $e.value))' \
  "$WORK"/sqlite-*-coverage.json >"$WORK/coverage.json"
for k in "finding overlap" "finding exclusive_policies" "finding over_declared" "finding not_controlled" \
  "finding outside_zone" "finding wrong_crop" "finding unsuitable" "finding duplicate_person" "finding cap_exceeded" \
  "finding paid_without_acceptance" "finding paid_over_approved" \
  "intersections just below min_overlap_m2" "intersections just above min_overlap_m2" \
  "pairs with an application of an earlier year" "pairs filed on the same day (the later side by code)" \
  "the same parcel claimed in two of its boundaries" "claims on a boundary replaced since" \
  "claims within 1e-6 ha of the tolerance, over" "claims within 1e-6 ha of the tolerance, within" \
  "over-declared beyond the 2 ha tolerance" "penalties on items that count 0" \
  "penalties leaving nothing to pay" "penalties leaving something to pay" \
  "zone shares within 1 % of half" "parcels under half in zones that overlap each other" \
  "filed on the first or last day of a lease or contribution" "accepted on the first or last day of a planting" \
  "unsuitable: not evaluated" "conditions holding" "conditions not holding" "amounts rounded down" \
  "cap cuts" "cap cuts to 0" "cap cuts in a group across versions" \
  "duplicate_person by citizen_id" "duplicate_person by phone" "duplicate_person by bank_account" \
  "applicants with no identifier recorded" "paid on the acceptance date" "paid exactly the approved amount"; do
  n=$(jq -r --arg k "$k" '.[$k] // 0' "$WORK/coverage.json")
  if [[ $n -gt 0 ]]; then pass "$k ($n)"; else fail "$k: happened in the data" "0 times (seed $SEED)"; fi
done

# --- the same on PostgreSQL/PostGIS ------------------------------------------------------
PG_SCRIPT="$REPO/scripts/pg-test-cluster.sh"
if [[ -x /usr/lib/postgresql/15/bin/initdb ]] && command -v psql >/dev/null; then
  PG_PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  trap '"$PG_SCRIPT" stop "$PG_PORT" >/dev/null 2>&1; cleanup' EXIT
  log "PostgreSQL: a throw-away cluster on port $PG_PORT"
  if out=$("$PG_SCRIPT" start "$PG_PORT" 2>&1); then
    URL="postgresql://nongsan@127.0.0.1:$PG_PORT/nongsan_test"
    load_registry "$URL" pg
    dump_areas "$URL" "$WORK/areas-pg.csv"
    same "pg: the registry's computed areas are those of SQLite" "$WORK/areas-sqlite.csv" "$WORK/areas-pg.csv"
    load_claims "$URL" pg
    compare_year "$URL" pg 2024
    compare_year "$URL" pg 2025
    compare_year "$URL" pg 2025 --min-overlap-m2 50
  else
    fail "the PostgreSQL test cluster starts" "${out:0:600}"
  fi
else
  pass "PostgreSQL part skipped: PostgreSQL 15 is not installed"
fi

finish
