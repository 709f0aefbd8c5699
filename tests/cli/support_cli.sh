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
#
# usage: bash tests/cli/support_cli.sh <nongsan-binary> <repo-root>   (SEED=… for another world)
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
need_tools sqlite3 jq ogr2ogr
LIB="$(dirname "${BASH_SOURCE[0]}")/lib"
PY=/usr/bin/python3  # Debian's python3, with the GDAL/OGR bindings
"$PY" -c 'from osgeo import ogr' 2>/dev/null || abort "Debian's python3-gdal is installed (apt-get install python3-gdal)"

W="$WORK/world"
DB="$WORK/support.gpkg"
q() { sqlite3 "$DB" "$1" 2>&1; }
mkdir -p "$W"

log "a random world (seed ${SEED:=20261206})"
"$PY" "$LIB/support_world.py" registry "$W" "$SEED" || abort "the registry files are written"

log "a database with nothing but the imports"
out=$("$NONGSAN" migrate --db "$DB" 2>&1) || abort "nongsan migrate" "$out"
expect_eq "no administrative units" "0" "$(q 'SELECT count(*) FROM admin_unit')"

# run_ok DESCRIPTION REGEX COMMAND...: the command exits 0 and prints REGEX.
run_ok() {
  local desc=$1 re=$2 out rc
  shift 2
  out=$("$@" 2>&1)
  rc=$?
  if [[ $rc == 0 && $out =~ $re ]]; then pass "$desc"; else fail "$desc" "exit $rc" "${out:0:600}"; fi
}

log "registry imports"
NP=$(($(wc -l <"$W/producers.csv") - 1))
run_ok "import producers" "created $NP," "$NONGSAN" import producers --db "$DB" "$W/producers.csv"
run_ok "import parcels in EPSG:9205 (TM-3 103-00)" "EPSG:9205" "$NONGSAN" import parcels --db "$DB" --as-of 2020-01-01 "$W/parcels_a.gpkg"
run_ok "import parcels in EPSG:9208 (TM-3 104-45)" "EPSG:9208" "$NONGSAN" import parcels --db "$DB" --as-of 2020-01-01 "$W/parcels_b.gpkg"
run_ok "import the boundaries redrawn on 2025-06-01" "boundaries changed [1-9]" \
  "$NONGSAN" import parcels --db "$DB" --as-of 2025-06-01 "$W/parcels_2025.gpkg"
run_ok "import zones" "zones: created 8," "$NONGSAN" import zones --db "$DB" "$W/zones.gpkg"
run_ok "import rights" "rights: created" "$NONGSAN" import rights --db "$DB" "$W/rights.csv"
run_ok "import plantings" "plantings: created" "$NONGSAN" import plantings --db "$DB" "$W/plantings.csv"
run_ok "import suitability profiles" "mac_highland version 1" "$NONGSAN" import profiles --db "$DB" "$W/profiles.json"
for l in tclass mclass; do
  run_ok "register raster layer $l" "registered" "$NONGSAN" suitability layer-add --db "$DB" "$l" "$W/$l.tif" --kind categorical
done
run_ok "evaluate the parcels' suitability" "tea: [0-9]+ parcels" "$NONGSAN" suitability parcels --db "$DB" --all-crops
expect_eq "parcels without a commune (the province's)" "0" "$(q 'SELECT count(*) FROM parcel WHERE unit_id IS NOT NULL')"
# No import takes a producer's bank account yet (import producers has no such column):
# they are written directly, so that duplicate_person by bank account is checked too.
while IFS=, read -r producer account; do
  q "UPDATE producer SET bank_account = '$account' WHERE external_id = '$producer'" >/dev/null
done < <(tail -n +2 "$W/bank_accounts.csv")

log "policies, applications and payments"
"$PY" "$LIB/support_world.py" claims "$W" "$SEED" "$DB" || abort "the applications are written"

# Bad files first: each is refused, names where, and stores nothing.
jq '.[1].conditions = "claimed_ha >= 0.3 and applicant_kinds == \"a\""' "$W/policies.json" >"$WORK/bad_policies.json"
out=$("$NONGSAN" import policies --db "$DB" "$WORK/bad_policies.json" 2>&1)
expect_fails "a policy with an unknown fact is refused" $?
expect_match "... naming its JSON path and position" '\[1\]\.conditions: position 23: unknown fact' "$out"
printf '[{"code": "P-X",\n  "version": 2024-01-01}]\n' >"$WORK/notjson.json"
out=$("$NONGSAN" import policies --db "$DB" "$WORK/notjson.json" 2>&1)
expect_fails "a policies file that is not JSON is refused" $?
expect_match "... with its line and column" 'line 2, column [0-9]+' "$out"
expect_eq "no policy was stored" "0" "$(q 'SELECT count(*) FROM support_policy')"
NPOL=$(jq length "$W/policies.json")
run_ok "import policies" "created $NPOL, unchanged 0" "$NONGSAN" import policies --db "$DB" "$W/policies.json"
run_ok "import policies again: unchanged" "created 0, unchanged $NPOL" "$NONGSAN" import policies --db "$DB" "$W/policies.json"

awk -F, 'BEGIN { OFS = "," }
  NR == 5 { $4 = "2025-02-30" } NR == 9 { $7 = "NO-SUCH-PARCEL" } NR == 12 { $8 = "-1" } NR == 14 { $2 = "P-NONE" }
  { print }' "$W/applications.csv" >"$WORK/bad_applications.csv"
out=$("$NONGSAN" import applications --db "$DB" "$WORK/bad_applications.csv" 2>&1)
expect_fails "applications with four bad cells are refused" $?
for where in "line 5, column filed" "line 9, column parcel" "line 12, column quantity" "line 14, column policy"; do
  expect_match "... naming $where" "$where" "$out"
done
expect_eq "no application was stored" "0" "$(q 'SELECT count(*) FROM support_application')"
NAPP=$(tail -n +2 "$W/applications.csv" | cut -d, -f1 | sort -u | wc -l)
run_ok "import applications" "created $NAPP, updated 0, unchanged 0" "$NONGSAN" import applications --db "$DB" "$W/applications.csv"
ogr2ogr -f XLSX "$WORK/applications.xlsx" "$W/applications.csv" -nln applications 2>/dev/null
run_ok "the same applications from XLSX: unchanged" "created 0, updated 0, unchanged $NAPP" \
  "$NONGSAN" import applications --db "$DB" "$WORK/applications.xlsx"

awk -F, 'BEGIN { OFS = "," } NR == 3 { $4 = "refund" } NR == 6 { $1 = "NO-SUCH-APP" } { print }' "$W/payments.csv" >"$WORK/bad_payments.csv"
out=$("$NONGSAN" import payments --db "$DB" "$WORK/bad_payments.csv" 2>&1)
expect_fails "payments with two bad cells are refused" $?
expect_match "... naming line 3, column kind" "line 3, column kind" "$out"
expect_match "... naming line 6, column application" "line 6, column application" "$out"
expect_eq "no payment was stored" "0" "$(q 'SELECT count(*) FROM support_payment')"
NPAY=$(($(wc -l <"$W/payments.csv") - 1))
run_ok "import payments" "created $NPAY, updated 0, unchanged 0" "$NONGSAN" import payments --db "$DB" "$W/payments.csv"
run_ok "import payments again: unchanged" "created 0, updated 0, unchanged $NPAY" "$NONGSAN" import payments --db "$DB" "$W/payments.csv"
run_ok "import applications again: unchanged" "created 0, updated 0, unchanged $NAPP" \
  "$NONGSAN" import applications --db "$DB" "$W/applications.csv"

# --- the checks against the reference --------------------------------------------------
REFARGS=(--parcels "$W/parcels_a.gpkg@2020-01-01" --parcels "$W/parcels_b.gpkg@2020-01-01"
  --parcels "$W/parcels_2025.gpkg@2025-06-01" --raster "tclass=$W/tclass.tif" --raster "mclass=$W/mclass.tif")

# same DESCRIPTION EXPECTED-FILE ACTUAL-FILE: equal files, else the first differences.
same() {
  if cmp -s "$2" "$3"; then
    pass "$1 ($(($(wc -l <"$2") - 1)) rows)"
  else
    mapfile -t d < <(diff "$3" "$2" | grep '^[<>]' | head -n 12)
    fail "$1" "< nongsan, > reference:" "${d[@]}"
  fi
}

compare_year() {  # compare_year YEAR [--min-overlap-m2 N]
  local y=$1 tag=$1${2:+-$3} rc
  shift
  "$NONGSAN" check claims --db "$DB" --year "$y" "$@" --format csv --out "$WORK/claims-$tag.csv" 2>"$WORK/claims.err"
  rc=$?
  expect_eq "check claims --year $y $* exits 0 with findings" "0" "$rc"
  cut -d, -f1-4 "$WORK/claims-$tag.csv" >"$WORK/got-findings-$tag.csv"
  "$PY" "$LIB/support_reference.py" "$W" "$DB" "$y" "$WORK/ref-findings-$tag.csv" "$WORK/ref-amounts-$tag.csv" \
    "${REFARGS[@]}" "$@" --coverage "$WORK/coverage-$tag.json" || { fail "the reference runs for $y"; return; }
  same "findings of $y $* equal the reference's, row for row" "$WORK/ref-findings-$tag.csv" "$WORK/got-findings-$tag.csv"
  [[ $# -gt 0 ]] && return
  "$NONGSAN" support evaluate --db "$DB" --year "$y" --format csv --out "$WORK/evaluate-$y.csv" 2>/dev/null
  # application,amount, and conditions_hold where the conditions were evaluated (not rejected)
  awk -F, 'NR == 1 { print "application,amount,conditions_hold"; next }
    { print $1 "," $2 "," ($4 == "rejected" ? "" : $8) }' "$WORK/evaluate-$y.csv" >"$WORK/got-amounts-$y.csv"
  same "amounts of $y (and whether the conditions held) equal the reference's" "$WORK/ref-amounts-$y.csv" "$WORK/got-amounts-$y.csv"
  "$NONGSAN" check claims --db "$DB" --year "$y" --format json --out "$WORK/claims-$y.json" 2>/dev/null
  expect_eq "check claims --format json holds the same findings as CSV" \
    "$(tail -n +2 "$WORK/claims-$y.csv" | cut -d, -f1-4 | md5sum)" \
    "$(jq -r '.findings[] | [.finding, .application, .other_application, .parcel] | join(",")' "$WORK/claims-$y.json" | md5sum)"
}

log "check claims and support evaluate, against the reference"
compare_year 2024
compare_year 2025
compare_year 2025 --min-overlap-m2 50

log "every rule and boundary case was exercised"
jq -s 'reduce .[] as $c ({}; reduce ($c | to_entries[]) as $e (.; .[$e.key] += $e.value))' \
  "$WORK"/coverage-*.json >"$WORK/coverage.json"
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

finish
