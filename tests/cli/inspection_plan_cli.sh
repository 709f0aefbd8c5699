# Inspection planning from the command line, on a database that holds nothing but the
# registry and the support imports (`nongsan migrate`, no administrative units, no
# inspectors): `inspection plan` covers the share asked (rounded up) of the year's
# applicants, takes the highest risks first, is byte-identical for the same seed and
# draws another random part for another seed; the GeoPackage opens with ogrinfo; --save
# stores the plan with one inspection per entry (none assigned: no inspectors); risk
# weights and quality measurements are imported all or nothing with line and column;
# the registry-quality sample and its summary (docs/inspection.md).
#
# usage: bash tests/cli/inspection_plan_cli.sh <nongsan-binary> <repo-root>   (SEED=… for another world)
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
need_tools sqlite3 jq ogrinfo
LIB="$(dirname "${BASH_SOURCE[0]}")/lib"
PY=/usr/bin/python3  # Debian's python3, with the GDAL/OGR bindings
"$PY" -c 'from osgeo import ogr' 2>/dev/null || abort "Debian's python3-gdal is installed (apt-get install python3-gdal)"

W="$WORK/world"
DB="$WORK/inspection.gpkg"
mkdir -p "$W"
q() { sqlite3 -separator , "$DB" "$1" 2>&1; }

log "a random world (seed ${SEED:=20261206}), imported into a migrated database"
"$PY" "$LIB/support_world.py" registry "$W" "$SEED" >/dev/null || abort "the registry files are written"
out=$("$NONGSAN" migrate --db "$DB" 2>&1) || abort "nongsan migrate" "$out"
for step in "producers $W/producers.csv" "parcels --as-of 2020-01-01 $W/parcels_a.gpkg" \
  "parcels --as-of 2020-01-01 $W/parcels_b.gpkg"; do
  # shellcheck disable=SC2086
  out=$("$NONGSAN" import $step --db "$DB" 2>&1) || abort "import $step" "$out"
done
{ echo "external_id,valid_to,area_m2"; q "SELECT external_id, '', area_m2 FROM parcel"; } >"$WORK/areas.csv"
"$PY" "$LIB/support_world.py" claims "$W" "$SEED" "$WORK/areas.csv" >/dev/null || abort "the applications are written"
out=$("$NONGSAN" import policies --db "$DB" "$W/policies.json" 2>&1) || abort "import policies" "$out"
out=$("$NONGSAN" import applications --db "$DB" "$W/applications.csv" 2>&1) || abort "import applications" "$out"
expect_eq "no administrative units, no users" "0,0" "$(q 'SELECT (SELECT count(*) FROM admin_unit), (SELECT count(*) FROM app_user)')"

YEAR=2025
APPLICANTS=$(q "SELECT count(DISTINCT applicant_id) FROM support_application WHERE status <> 'rejected' AND filed >= '$YEAR-01-01' AND filed <= '$YEAR-12-31'")
log "$APPLICANTS applicants in $YEAR"

log "the plan: share rounded up, highest risks first, reproducible"
"$NONGSAN" inspection plan --db "$DB" --year $YEAR --share 7 --risk-share 0.4 --seed 11 >"$WORK/a.csv" 2>"$WORK/a.err"
expect_eq "plan exits 0" "0" "$?"
"$NONGSAN" inspection plan --db "$DB" --year $YEAR --share 7 --risk-share 0.4 --seed 11 --format csv >"$WORK/b.csv" 2>/dev/null
"$NONGSAN" inspection plan --db "$DB" --year $YEAR --share 7 --risk-share 0.4 --seed 12 --out "$WORK/c.csv" 2>/dev/null
expect_eq "header" "applicant,reason,score,parts,commune,inspector" "$(head -1 "$WORK/a.csv")"
check "the same seed gives a byte-identical plan" cmp -s "$WORK/a.csv" "$WORK/b.csv"
N=$(($(wc -l <"$WORK/a.csv") - 1))
WANT=$(( (APPLICANTS * 7 + 99) / 100 ))
expect_eq "ceil(7 % of $APPLICANTS) entries" "$WANT" "$N"
BYRISK=$("$PY" -c "import sys; print(int($N * 0.4 + 0.5))")
expect_eq "round(0.4 × $N) by risk" "$BYRISK" "$(grep -c ',risk,' "$WORK/a.csv")"
# Everyone's score: the plan of the whole population by risk.
"$NONGSAN" inspection plan --db "$DB" --year $YEAR --share 100 --risk-share 1 --seed 1 >"$WORK/all.csv" 2>/dev/null
expect_eq "the whole population listed once" "$APPLICANTS" "$(tail -n +2 "$WORK/all.csv" | cut -d, -f1 | sort -u | wc -l)"
expect_eq "the risk entries are the highest scores (ties by id)" \
  "$(tail -n +2 "$WORK/all.csv" | head -n "$BYRISK" | cut -d, -f1,3)" \
  "$(grep ',risk,' "$WORK/a.csv" | cut -d, -f1,3)"
expect_no_match "another seed, another random part" "^$(grep ',random,' "$WORK/a.csv" | cut -d, -f1 | tr '\n' ' ')\$" \
  "$(grep ',random,' "$WORK/c.csv" | cut -d, -f1 | tr '\n' ' ')"
expect_eq "another seed, the same risk part" "$(grep ',risk,' "$WORK/a.csv")" "$(grep ',risk,' "$WORK/c.csv")"
first=$(sed -n 2p "$WORK/a.csv")
expect_match "every part shown with its weight" '"?claim_risk:1\*[0-9.]+=[0-9.]+;over_declared_history:10\*' "$first"
expect_eq "no inspectors: nobody assigned" "" "$(tail -n +2 "$WORK/a.csv" | cut -d, -f1-3,5- | grep -v ',$' | head -1 || true)"

log "GeoPackage of the claimed parcels"
out=$("$NONGSAN" inspection plan --db "$DB" --year $YEAR --share 7 --risk-share 0.4 --seed 11 --format gpkg 2>&1)
expect_fails "gpkg without --out is refused" "$?" "$out"
expect_match "naming --out" "--out" "$out"
"$NONGSAN" inspection plan --db "$DB" --year $YEAR --share 7 --risk-share 0.4 --seed 11 --format gpkg --out "$WORK/plan.gpkg" 2>/dev/null
info=$(ogrinfo -so -al "$WORK/plan.gpkg" 2>&1)
expect_match "ogrinfo opens the layer" "Layer name: inspection_plan_parcels" "$info"
expect_match "with polygons" "Geometry: (Multi Polygon|Polygon)" "$info"
WANTP=$(for a in $(tail -n +2 "$WORK/a.csv" | cut -d, -f1); do
  q "SELECT count(DISTINCT i.parcel_id) FROM support_application s JOIN producer p ON p.id = s.applicant_id JOIN support_application_item i ON i.application_id = s.id WHERE p.external_id = '$a' AND s.status <> 'rejected' AND s.filed LIKE '$YEAR-%' AND i.parcel_id IS NOT NULL"
done | paste -sd+ | bc)
expect_match "one feature per claimed parcel of the sampled applicants ($WANTP)" "Feature Count: $WANTP\b" "$info"

log "--save: the plan, its entries and one inspection each"
out=$("$NONGSAN" inspection plan --db "$DB" --year $YEAR --share 7 --risk-share 0.4 --seed 11 --save 2>&1 >"$WORK/saved.csv")
expect_match "saved" "saved as plan KH-$YEAR-001" "$out"
check "--save prints the same plan" cmp -s "$WORK/a.csv" "$WORK/saved.csv"
expect_eq "entries and inspections stored, status assigned, nobody assigned" "$N,$N,$N,0" \
  "$(q "SELECT (SELECT count(*) FROM inspection_plan_entry), (SELECT count(*) FROM inspection), (SELECT count(*) FROM inspection WHERE status = 'assigned'), (SELECT count(*) FROM inspection WHERE inspector_user_id IS NOT NULL)")"
expect_eq "audited" "1" "$(q "SELECT count(*) FROM audit_log WHERE action = 'create' AND entity = 'inspection_plan'")"

log "risk weights: all or nothing, line and column"
printf 'subject_kind,part,weight\napplicant,claim_risk,2\nparcel,ocop_finding,3\napplicant,code_finding,-1\n' >"$WORK/bad_w.csv"
out=$("$NONGSAN" import inspection-weights --db "$DB" "$WORK/bad_w.csv" 2>&1)
expect_fails "a bad weight file is refused" "$?" "$out"
expect_match "line 3, column part" "line 3, column part" "$out"
expect_match "line 4, column weight" "line 4, column weight" "$out"
expect_eq "nothing stored" "0" "$(q 'SELECT count(*) FROM inspection_weight')"
out=$("$NONGSAN" import inspection-weights --db "$DB" "$REPO/data/inspection/weights.csv" 2>&1)
expect_match "the shipped weights import" "inspection-weights: 20 rows" "$out"
printf 'subject_kind,part,weight\napplicant,claim_risk,2\n' >"$WORK/w2.csv"
"$NONGSAN" import inspection-weights --db "$DB" "$WORK/w2.csv" >/dev/null 2>&1
"$NONGSAN" inspection plan --db "$DB" --year $YEAR --share 7 --risk-share 0.4 --seed 11 >"$WORK/d.csv" 2>/dev/null
expect_match "a changed weight shows in the parts" '"?claim_risk:2\*' "$(sed -n 2p "$WORK/d.csv")"

log "registry quality"
out=$("$NONGSAN" inspection quality-sample --db "$DB" --year $YEAR --size 20 --seed 5 2>&1)
expect_match "sample drawn" "sampled 20 of [0-9]+ parcels" "$out"
out=$("$NONGSAN" inspection quality-sample --db "$DB" --year $YEAR --size 20 --seed 6 2>&1)
expect_fails "one sample per year" "$?" "$out"
{ echo "parcel,measured_on,measured_area_m2"
  q "SELECT p.external_id, '$YEAR-08-01', s.registered_area_m2 * (CASE WHEN s.seq % 2 = 0 THEN 1.01 ELSE 0.97 END) FROM registry_quality_sample s JOIN parcel p ON p.id = s.parcel_id ORDER BY s.seq LIMIT 10"
} >"$WORK/m.csv"
printf 'parcel,measured_on,measured_area_m2\nNOPE,2025-08-01,100\n' >"$WORK/bad_m.csv"
out=$("$NONGSAN" import quality-measurements --db "$DB" "$WORK/bad_m.csv" 2>&1)
expect_fails "a parcel outside the sample is refused" "$?" "$out"
expect_match "naming line 2" "line 2, column parcel" "$out"
expect_eq "nothing measured yet" "0" "$(q 'SELECT count(*) FROM registry_quality_sample WHERE measured_area_m2 IS NOT NULL')"
out=$("$NONGSAN" import quality-measurements --db "$DB" "$WORK/m.csv" 2>&1)
expect_match "measurements imported" "quality-measurements: 10 rows" "$out"
json=$("$NONGSAN" inspection quality --db "$DB" --year $YEAR --format json 2>/dev/null)
expect_eq "sampled, measured" "20,10" "$(jq -r '"\(.sampled),\(.measured)"' <<<"$json")"
# The summary recomputed from the parcels it lists (docs/inspection.md "Registry quality").
ref=$(jq -r '[.parcels[] | select(.measured_area_m2 != null) | .measured_area_m2 - .registered_area_m2] as $d
  | ($d | add / length) as $m
  | [.parcels[] | select(.measured_area_m2 != null) | select(((.measured_area_m2 - .registered_area_m2) | fabs) <= .tolerance_m2)] | length as $w
  | "\($w) \($m | . * 1000 | round)"' <<<"$json")
expect_eq "within and mean bias recomputed" "$ref" "$(jq -r '"\(.within) \(.mean_bias_m2 * 1000 | round)"' <<<"$json")"
expect_match "a confidence interval around the bias" "true" \
  "$(jq -r '(.ci_low_m2 < .mean_bias_m2 and .mean_bias_m2 < .ci_high_m2)' <<<"$json")"
csv=$("$NONGSAN" inspection quality --db "$DB" --year $YEAR 2>/dev/null)
expect_match "CSV summary" "^year,sampled,measured,within,share_within,mean_bias_m2,bias_pct,ci_low_m2,ci_high_m2
$YEAR,20,10," "$csv"

finish
