# Inspections from the command line and the device sync over HTTP, on a database that
# holds nothing but imports (`nongsan migrate`, no administrative units: the records are
# the province's): a parcel of 100 m × 100 m in VN-2000, an inspection created by hand,
# a device's sync (the boundary walked 120 m × 100 m, a finding, a photo, a bad photo),
# the list as CSV and JSON, the area recomputed (12,000 m²) with the device's figure
# noted, a conflict, and the boundary finding decided from the command line (the parcel
# corrected to the measured boundary). Then a decision a role may not take is refused.
#
# usage: bash tests/cli/inspection_cli.sh <nongsan-binary> <repo-root>
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
need_tools sqlite3 jq curl python3
DB="$WORK/inspection.gpkg"
cd "$WORK"

cat >producers.csv <<'CSV'
id,kind,name,tax_code
HTX1,cooperative,HTX Chè Thử,6200000001
CSV
cat >parcels.csv <<'CSV'
id,wkt
P1,"POLYGON((520000 2470000,520100 2470000,520100 2470100,520000 2470100,520000 2470000))"
CSV

out=$("$NONGSAN" migrate --db "$DB" 2>&1) || abort "migrate" "$out"
expect_eq "no administrative units" 0 "$(sqlite3 "$DB" 'SELECT count(*) FROM admin_unit')"
check "import producers" "$NONGSAN" import producers --db "$DB" producers.csv
check "import parcels (EPSG:9205)" "$NONGSAN" import parcels --db "$DB" --crs 9205 parcels.csv
check "an inspector account" "$NONGSAN" user add --db "$DB" insp1 --name "Thanh tra 1" --role inspector --password "insp-password-1"
check "an officer without money decisions" "$NONGSAN" user add --db "$DB" off1 --name "Cán bộ" --role province_officer --password "officer-password-1"

code=$("$NONGSAN" --db "$DB" inspection create --subject-kind parcel --subject P1 --checklist registry --inspector insp1 2>&1)
expect_match "inspection create prints the code" '^INS-[0-9]{4}-0001$' "$code"
"$NONGSAN" --db "$DB" inspection create --subject-kind parcel --subject NOPE --checklist registry >/dev/null 2>err.txt
expect_fails "an unknown subject is refused" $? "$(cat err.txt)"
expect_match "naming the field" "subject_ref" "$(cat err.txt)"

csv=$("$NONGSAN" --db "$DB" inspection list --format csv)
expect_match "list as CSV: the header" "code,subject_kind,subject_ref,checklist_kind,status" "$csv"
expect_match "list as CSV: the inspection, assigned" "$code,parcel,P1,registry,assigned,insp1,P1" "$csv"

# The walked boundary: the parcel's corners in WGS 84, 20 m wider to the east.
read -r walked < <(/usr/bin/python3 - <<'PY'
from osgeo import osr
s = osr.SpatialReference(); s.ImportFromEPSG(9205)
t = osr.SpatialReference(); t.ImportFromEPSG(4326)
t.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER); s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
ct = osr.CoordinateTransformation(s, t)
ring = [(520000, 2470000), (520120, 2470000), (520120, 2470100), (520000, 2470100), (520000, 2470000)]
pts = [list(ct.TransformPoint(x, y)[:2]) for x, y in ring]
import json; print(json.dumps({"type": "Polygon", "coordinates": [[[round(a, 9), round(b, 9)] for a, b in pts]]}))
PY
) || abort "the walked boundary (python3-gdal)"

start_server "$DB"
tok=$(bearer_token insp1 insp-password-1)
[[ -n $tok ]] || abort "the inspector logs in"
png=$(printf '\x89PNG\r\n\x1a\nrest' | base64 -w0)
jpeg=$(printf '\xff\xd8\xff\xe0rest' | base64 -w0)
body=$(jq -n --arg code "$code" --argjson g "$walked" --arg png "$png" --arg jpeg "$jpeg" '{device_id: "cli-phone", items: [
  {kind: "inspection", code: $code, base_version: 1, device_time: "2026-03-01T08:00:00+07:00",
   fields: {status: "closed", measured_geojson: $g, measured_area_m2: 11000, measure_method: "walked",
            answers: {boundary_matches: false}}},
  {kind: "finding", inspection: $code, client_id: "cli-f1", device_time: "2026-03-01T08:05:00+07:00",
   fields: {kind: "boundary_wrong", subject_kind: "parcel", subject_ref: "P1", severity: "serious", recorded_at: "2026-03-01T08:04:00+07:00"}},
  {kind: "photo", inspection: $code, client_id: "cli-p1", device_time: "2026-03-01T08:06:00+07:00", taken_at: "2026-03-01T08:06:00+07:00",
   lon: 103.2, lat: 22.3, mime: "image/png", data_base64: $png},
  {kind: "photo", inspection: $code, client_id: "cli-p2", device_time: "2026-03-01T08:06:00+07:00", taken_at: "2026-03-01T08:06:00+07:00",
   mime: "image/png", data_base64: $jpeg}]}')
ans=$(curl -s --max-time 20 -X POST -H "$JSON_CT" -H "Authorization: Bearer $tok" -H "Accept-Language: en" -d "$body" "$BASE/api/field/sync")
expect_eq "sync outcomes, one per item" "applied applied applied error" "$(jq -r '[.items[].outcome] | join(" ")' <<<"$ans")"
expect_eq "the bad photo names its field" "data_base64" "$(jq -r '.items[3].field' <<<"$ans")"
expect_eq "the area recomputed in VN-2000" "12000" "$(jq -r '.items[0].measured_area_m2 | round' <<<"$ans")"
expect_eq "the device's 11,000 m² noted as a mismatch" "true" "$(jq -r '.items[0].area_mismatch' <<<"$ans")"
again=$(curl -s --max-time 20 -X POST -H "$JSON_CT" -H "Authorization: Bearer $tok" -d "$body" "$BASE/api/field/sync")
expect_eq "the same sync again: a conflict, then duplicates" "conflict duplicate duplicate error" "$(jq -r '[.items[].outcome] | join(" ")' <<<"$again")"
# A 3 MiB photo passes the sync's own body limit; the same body elsewhere is refused (413).
python3 - "$code" >big.json <<'PY'
import base64, json, sys
data = b"\x89PNG\r\n\x1a\n" + bytes(3 * 1024 * 1024)
print(json.dumps({"device_id": "cli-phone", "items": [{"kind": "photo", "inspection": sys.argv[1], "client_id": "cli-big",
  "device_time": "2026-03-01T08:07:00Z", "taken_at": "2026-03-01T08:07:00Z", "mime": "image/png",
  "data_base64": base64.b64encode(data).decode()}]}))
PY
big=$(curl -s --max-time 60 -X POST -H "$JSON_CT" -H "Authorization: Bearer $tok" --data-binary @big.json "$BASE/api/field/sync")
expect_eq "a 3 MiB photo is synced" "applied" "$(jq -r '.items[0].outcome' <<<"$big")"
status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 60 -X POST -H "$JSON_CT" -H "Authorization: Bearer $tok" --data-binary @big.json "$BASE/api/v1/inspections")
expect_eq "the same body to another route is too large" "413" "$status"
expect_eq "the photo's bytes come back" "$png" "$(curl -s -H "Authorization: Bearer $tok" "$BASE/api/field/photos/cli-p1" | base64 -w0)"
stop_server

expect_eq "every item in the sync log" 9 "$(sqlite3 "$DB" 'SELECT count(*) FROM inspection_sync')"
json=$("$NONGSAN" --db "$DB" inspection list --status closed --format json)
expect_eq "list --status closed as JSON" "$code 1 12000" "$(jq -r '.[0] | "\(.code) \(.open_findings) \(.measured_area_m2 | round)"' <<<"$json")"
expect_eq "no open inspection" "[]" "$("$NONGSAN" --db "$DB" inspection list --status open --format json | jq -c .)"

finding=$(sqlite3 "$DB" "SELECT id FROM inspection_finding WHERE client_id = 'cli-f1'")
out=$("$NONGSAN" --db "$DB" inspection decide "$finding" --action correct_boundary --reason "Đo lại" --decision-no "1/QĐ" --date 2026-03-10 2>&1)
expect_match "the boundary corrected from the command line" "^correct_boundary	parcel:P1	$code" "$out"
area=$(sqlite3 "$DB" "SELECT round(area_m2) FROM parcel WHERE external_id = 'P1' AND valid_to IS NULL")
expect_eq "the parcel's area is the measured one" "12000.0" "$area"
"$NONGSAN" --db "$DB" inspection decide "$finding" --action dismiss --reason "again" >/dev/null 2>err.txt
expect_fails "a decided finding takes no second decision" $? "$(cat err.txt)"
finish
