# Farming diaries and pesticides (docs/diary.md): the imports, `check diaries` with its
# exact CSV, lot status and clearance — on a database that holds nothing but these
# imports (`nongsan migrate`, no administrative units, so every record is in the
# province's scope), on SQLite and then on PostgreSQL/PostGIS when it is installed.
#
# The diary below has one case of every rule and its edges, and the expected findings
# were worked out by hand from docs/diary.md (comments say why each row is there):
#   registration ends inclusive (E01 on the last day: nothing; E02 the day after);
#   a dose equal to the label's maximum is allowed (E01), above it is over_dose (E02);
#   the PHI boundary H − S < phi_days (E04: 7 days after a 7-day product, allowed; E06: 6);
#   an ingredient's status is its latest row on or before the date (emamectin banned on
#   2025-05-10, permitted again from 2025-05-20: E07 banned, E08 not);
#   a spray after the harvest does not reach it (E10 after E09);
#   several ingredients, one banned (MIX: hexaconazole;carbendazim);
#   no label for the crop, a planting that ended, no planting, an unknown product.
#
# usage: bash tests/cli/diary_cli.sh <nongsan-binary> <repo-root>
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
need_tools sqlite3 jq

D="$WORK/data"
mkdir -p "$D"
box() { echo "[[$1,$2],[$3,$2],[$3,$4],[$1,$4],[$1,$2]]"; }
feature() { echo "{\"type\":\"Feature\",\"properties\":{\"id\":\"$1\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[$(box "$2" 22.02 "$3" 22.021)]}}"; }
echo "{\"type\":\"FeatureCollection\",\"features\":[$(feature P-TEA 103.020 103.021),$(feature P-MAC 103.022 103.023),$(feature P-NONE 103.024 103.025)]}" >"$D/parcels.geojson"
cat >"$D/plantings.csv" <<'CSV'
parcel,crop,start_date,end_date,planted_area_m2
P-TEA,tea,2020-01-01,,10000
P-MAC,macadamia,2022-01-01,2025-06-30,10000
CSV
cat >"$D/products.csv" <<'CSV'
product,name,active_ingredients,registered_from,registered_to
ABA,Abamectin,abamectin,2020-01-01,
OLD,Old one,hexaconazole,2018-01-01,2025-03-31
MIX,Mixture,hexaconazole; carbendazim,2015-01-01,
EMA,Emamectin,emamectin,2020-01-01,
CSV
cat >"$D/status.csv" <<'CSV'
active_ingredient,status,from
emamectin,banned,2025-05-10
Emamectin,permitted,2025-05-20
CSV
cat >"$D/labels.csv" <<'CSV'
product,crop,max_dose_per_ha,phi_days
ABA,tea,0.3,7
ABA,macadamia,0.4,14
OLD,tea,1,7
MIX,macadamia,1.5,14
EMA,Tea,0.25,5
CSV
cat >"$D/diary.csv" <<'CSV'
entry,parcel,date,kind,product,dose_per_ha,quantity_kg,lot
E18,P-TEA,2025-02-01,fertiliser,NPK 16-16-8,,200,
E01,P-TEA,2025-03-31,spray,OLD,1,,
E02,P-TEA,2025-04-01,spray,OLD,1.5,,
E03,P-TEA,2025-04-05,spray,ABA,0.3,,
E04,P-TEA,2025-04-12,harvest,,,500,L-1
E05,P-TEA,2025-04-20,spray,ABA,0.2,,
E06,P-TEA,2025-04-26,harvest,,,400,L-2
E17,P-TEA,2025-04-26,observation,,,,
E15,P-NONE,2025-05-01,spray,UNKNOWN,1,,
E16,P-NONE,2025-05-02,harvest,,,10,L-5
E07,P-TEA,2025-05-10,spray,EMA,0.2,,
E08,P-TEA,2025-05-20,spray,ema,0.2,,
E09,P-TEA,2025-05-24,harvest,,,300,L-3
E10,P-TEA,2025-05-25,spray,ABA,0.3,,
E11,P-MAC,2025-06-01,spray,MIX,1.0,,
E12,P-MAC,2025-06-10,spray,EMA,0.1,,
E13a,P-MAC,2025-06-15,spray,ABA,0.5,,
E13,P-MAC,2025-06-20,harvest,,,800,L-4
E14,P-MAC,2025-07-01,spray,ABA,0.3,,
CSV
EXPECTED="finding,entry,parcel,product,lot
unregistered,E02,P-TEA,OLD,
over_dose,E02,P-TEA,OLD,
phi_not_passed,E06,P-TEA,ABA,L-2
unregistered,E15,P-NONE,UNKNOWN,
not_for_crop,E15,P-NONE,UNKNOWN,
banned,E07,P-TEA,EMA,
phi_not_passed,E09,P-TEA,ema,L-3
banned,E11,P-MAC,MIX,
not_for_crop,E12,P-MAC,EMA,
over_dose,E13a,P-MAC,ABA,
phi_not_passed,E13,P-MAC,ABA,L-4
not_for_crop,E14,P-MAC,ABA,"

# run_all TARGET TAG: the whole scenario on one database.
run_all() {
  local db=$1 tag=$2 out rc
  out=$("$NONGSAN" migrate --db "$db" 2>&1)
  expect_eq "$tag: migrate" "0" "$?"
  out=$("$NONGSAN" import parcels --db "$db" --as-of 2020-01-01 "$D/parcels.geojson" 2>&1)
  expect_match "$tag: import parcels" "created 3" "$out"
  out=$("$NONGSAN" import plantings --db "$db" "$D/plantings.csv" 2>&1)
  expect_match "$tag: import plantings" "created 2" "$out"

  # The real bans, shipped as data; again changes nothing.
  out=$("$NONGSAN" import pesticide-status --db "$db" "$REPO/data/pesticides/bans.csv" 2>&1)
  expect_eq "$tag: import pesticide-status data/pesticides/bans.csv" \
    "pesticide-status: created 11, updated 0, unchanged 0" "$out"
  out=$("$NONGSAN" import pesticide-status --db "$db" "$REPO/data/pesticides/bans.csv" 2>&1)
  expect_eq "$tag: the bans again change nothing" "pesticide-status: created 0, updated 0, unchanged 11" "$out"
  for f in products status labels; do
    local kind=pesticide-$f
    [[ $f == products ]] && kind=pesticide-products
    out=$("$NONGSAN" import "$kind" --db "$db" "$D/$f.csv" 2>&1)
    expect_match "$tag: import $kind" "^$kind: created [0-9]+, updated 0, unchanged 0$" "$out"
  done

  # Malformed diary rows: errors by line and column, nothing stored.
  printf 'entry,parcel,date,kind,product,dose_per_ha,quantity_kg,lot\nX1,P-TEA,2025-13-01,spray,ABA,1,,\nX2,P-NOPE,2025-01-01,spray,ABA,1,,\nX3,P-TEA,2025-01-01,sprayed,ABA,1,,\nX4,P-TEA,2025-01-01,spray,ABA,-1,,\n' >"$D/bad.csv"
  out=$("$NONGSAN" import diary --db "$db" "$D/bad.csv" 2>&1)
  rc=$?
  expect_fails "$tag: a malformed diary is refused" "$rc" "$out"
  expect_match "$tag: the message counts the problems" "the file has 4 problem\(s\); nothing was imported" "$out"
  expect_match "$tag: the bad date by line and column" "line 2, column date" "$out"
  expect_match "$tag: the unknown parcel by line and column" "line 3, column parcel" "$out"
  expect_match "$tag: the unknown kind by line and column" "line 4, column kind" "$out"
  expect_match "$tag: the negative dose by line and column" "line 5, column dose_per_ha" "$out"
  expect_eq "$tag: nothing stored" "0" "$(count "$db" diary_entry)"

  out=$("$NONGSAN" import diary --db "$db" "$D/diary.csv" 2>&1)
  expect_eq "$tag: import diary" "diary: created 19, updated 0, unchanged 0" "$out"
  out=$("$NONGSAN" import diary --db "$db" "$D/diary.csv" 2>&1)
  expect_eq "$tag: the same diary again changes nothing" "diary: created 0, updated 0, unchanged 19" "$out"
  # The diary as EPCIS events (docs/epcis.md "Diary events"): 12 sprays and 5 harvests,
  # none for the fertiliser and the observation; the same hashes again, nothing new.
  expect_eq "$tag: the diary's sprays and harvests are events" "17" "$(count "$db" epcis_event)"
  expect_eq "$tag: … the second import's capture all already present" "1" \
    "$(count "$db" epcis_capture "source = 'diary' AND state = 'success' AND captured = 0 AND already_present = 17")"

  out=$("$NONGSAN" check diaries --db "$db" --format csv 2>/dev/null)
  expect_eq "$tag: check diaries exits 0 with findings" "0" "$?"
  expect_eq "$tag: check diaries: exactly the findings worked out by hand" "$EXPECTED" "$out"
  out=$("$NONGSAN" check diaries --db "$db" --from 2025-06-01 --to 2025-06-30 --format csv 2>/dev/null)
  expect_eq "$tag: --from/--to select the entries of June (earlier sprays still count)" \
    "finding,entry,parcel,product,lot
banned,E11,P-MAC,MIX,
not_for_crop,E12,P-MAC,EMA,
over_dose,E13a,P-MAC,ABA,
phi_not_passed,E13,P-MAC,ABA,L-4" "$out"
  out=$("$NONGSAN" check diaries --db "$db" --format json 2>/dev/null)
  expect_eq "$tag: the JSON has the same findings" "12" "$(jq '.findings | length' <<<"$out")"
  expect_eq "$tag: a phi_not_passed names its spray" "E05 2025-04-20 7" \
    "$(jq -r '.findings[] | select(.entry == "E06") | "\(.spray_entry) \(.spray_date) \(.phi_days)"' <<<"$out")"

  # Entries are never edited: the same code with other content is refused …
  sed 's/^E03,P-TEA,2025-04-05,spray,ABA,0.3/E03,P-TEA,2025-04-05,spray,ABA,0.9/' "$D/diary.csv" >"$D/edited.csv"
  out=$("$NONGSAN" import diary --db "$db" "$D/edited.csv" 2>&1)
  expect_fails "$tag: an edited entry is refused" "$?" "$out"
  expect_match "$tag: … naming its line and asking for an amendment" "line 5, column entry.*amend" "$out"
  # … an amendment replaces it in the checks.
  printf 'entry,parcel,date,kind,product,dose_per_ha,quantity_kg,lot,amends\nE02b,P-TEA,2025-04-01,spray,OLD,1,,,E02\n' >"$D/amend.csv"
  out=$("$NONGSAN" import diary --db "$db" "$D/amend.csv" 2>&1)
  expect_eq "$tag: import an amendment" "diary: created 1, updated 0, unchanged 0" "$out"
  expect_eq "$tag: the amendment's event; the amended one declared in error in place" "18" "$(count "$db" epcis_event)"
  out=$("$NONGSAN" epcis query --db "$db" --format jsonld --out "$D/q.jsonld" 2>&1)
  expect_eq "$tag: E02's event declared in error, corrected by E02b's" "urn:nongsan:diary:E02 urn:nongsan:diary:E02b" \
    "$(jq -r '.epcisBody.queryResults.resultsBody.eventList[] | select(.errorDeclaration) | "\(.eventID) \(.errorDeclaration.correctiveEventIDs[0])"' "$D/q.jsonld")"
  out=$("$NONGSAN" check diaries --db "$db" --to 2025-04-30 --format csv 2>/dev/null)
  expect_eq "$tag: the amended entry no longer counts; its amendment does" "finding,entry,parcel,product,lot
unregistered,E02b,P-TEA,OLD,
phi_not_passed,E06,P-TEA,ABA,L-2" "$out"

  # A changed reference row replaces the stored one: OLD registered one month longer.
  sed 's/2018-01-01,2025-03-31/2018-01-01,2025-04-30/' "$D/products.csv" >"$D/products2.csv"
  out=$("$NONGSAN" import pesticide-products --db "$db" "$D/products2.csv" 2>&1)
  expect_eq "$tag: a changed product row is updated" "pesticide-products: created 0, updated 1, unchanged 3" "$out"
  out=$("$NONGSAN" check diaries --db "$db" --to 2025-04-30 --format csv 2>/dev/null)
  expect_eq "$tag: … and the checks read the new registration" "finding,entry,parcel,product,lot
phi_not_passed,E06,P-TEA,ABA,L-2" "$out"
  expect_eq "$tag: the change is audited with before and after" "1" \
    "$(count "$db" audit_log "action = 'update' AND entity = 'pesticide_product'")"

  # Lot holds.
  # A held lot gets no shipping event (docs/rules.md §14): refused, nothing stored.
  cat >"$D/ship.jsonld" <<'JSON'
{"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"], "type": "EPCISDocument",
 "schemaVersion": "2.0", "creationDate": "2025-05-01T00:00:00Z", "epcisBody": {"eventList": [
  {"type": "ObjectEvent", "eventTime": "2025-05-01T08:00:00+07:00", "eventTimeZoneOffset": "+07:00",
   "action": "OBSERVE", "bizStep": "shipping", "epcList": [],
   "quantityList": [{"epcClass": "https://id.gs1.org/01/08939999000017/10/L-2", "quantity": 400, "uom": "KGM"}]}]}}
JSON
  local events_before
  events_before=$(count "$db" epcis_event)
  out=$("$NONGSAN" epcis capture --db "$db" "$D/ship.jsonld" 2>&1)
  expect_fails "$tag: shipping the held lot L-2 is refused" "$?" "$out"
  expect_match "$tag: … naming the lot" "lot L-2 is held" "$out"
  expect_eq "$tag: … and nothing is stored" "$events_before" "$(count "$db" epcis_event)"
  out=$("$NONGSAN" lot status --db "$db" L-2 2>&1)
  expect_match "$tag: L-2 is held" "lot L-2: held" "$out"
  out=$("$NONGSAN" lot status --db "$db" L-1 2>&1)
  expect_match "$tag: L-1 (harvested on the 7th day) is not held" "lot L-1: not held" "$out"
  out=$("$NONGSAN" lot status --db "$db" NO-SUCH 2>&1)
  expect_fails "$tag: an unknown lot is an error" "$?" "$out"
  out=$("$NONGSAN" lot clear --db "$db" L-2 --reason "residue test below the limits" 2>&1)
  expect_match "$tag: an officer clears L-2 with a reason" "lot L-2: not held.*cleared by cli:" "$out"
  out=$("$NONGSAN" lot status --db "$db" L-2 --format json 2>&1)
  expect_eq "$tag: L-2 stays cleared, its finding kept" "false 1 true" \
    "$(jq -r '"\(.held) \(.holds | length) \(.holds[0].cleared)"' <<<"$out")"
  out=$("$NONGSAN" epcis capture --db "$db" "$D/ship.jsonld" 2>&1)
  expect_match "$tag: once cleared, L-2 ships" "captured 1" "$out"
  out=$("$NONGSAN" lot clear --db "$db" L-2 --reason "again" 2>&1)
  expect_fails "$tag: nothing left to clear is an error" "$?" "$out"
  expect_eq "$tag: the clearance is audited" "1" "$(count "$db" audit_log "action = 'clear_hold'")"
  out=$("$NONGSAN" check diaries --db "$db" --format csv 2>/dev/null)
  expect_match "$tag: the finding stays in the checks after the clearance" "phi_not_passed,E06,P-TEA,ABA,L-2" "$out"
}

count() {  # count DB TABLE [WHERE]
  local sql="SELECT count(*) FROM $2${3:+ WHERE $3}"
  if [[ $1 == postgresql://* ]]; then psql -X -q -tA "$1" -c "$sql" 2>&1; else sqlite3 "$1" "$sql" 2>&1; fi
}

log "SQLite"
run_all "$WORK/diary.gpkg" sqlite

PG_SCRIPT="$REPO/scripts/pg-test-cluster.sh"
if [[ -x /usr/lib/postgresql/15/bin/initdb ]] && command -v psql >/dev/null; then
  PG_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  trap '"$PG_SCRIPT" stop "$PG_PORT" >/dev/null 2>&1; cleanup' EXIT
  log "PostgreSQL: a throw-away cluster on port $PG_PORT"
  if out=$("$PG_SCRIPT" start "$PG_PORT" 2>&1); then
    run_all "postgresql://nongsan@127.0.0.1:$PG_PORT/nongsan_test" pg
  else
    fail "the PostgreSQL test cluster starts" "${out:0:600}"
  fi
else
  pass "PostgreSQL part skipped: PostgreSQL 15 is not installed"
fi

finish
