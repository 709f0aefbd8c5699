# Parcels travel in from the files officials hold and the overlap check agrees with
# an independent computation.
#
#  - two communes are imported (09001 = [103.0, 103.1] × [22.0, 22.1], 09003 the
#    square east of it), then 14 parcels drawn below in lon/lat, as GeoJSON;
#  - ogr2ogr turns the same parcels into a Shapefile in EPSG:9205 with its .prj, the
#    same Shapefile with a loosely named VN-2000 .prj, a GeoPackage, KML and a
#    MicroStation DGN v7 sheet (shapes with their ids as text elements), and each is
#    imported into a fresh database: counts, communes and areas agree;
#  - re-import changes nothing, a dry run stores nothing, a broken file stores nothing;
#  - `check parcels --what overlaps --format csv` prints exactly the pairs that
#    SpatiaLite (ogrinfo -dialect sqlite, ST_Area(ST_Intersection(...)) in EPSG:9205)
#    finds with more than 1 m² in common, and stores them for the map;
#  - `export parcels` writes what was imported, with the same filters as the UI.
#
# usage: bash tests/cli/registry_cli.sh <nongsan-binary> <repo-root>
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
need_tools ogr2ogr ogrinfo sqlite3 jq awk

# --- the data ------------------------------------------------------------------------
# box X0 Y0 X1 Y1: a GeoJSON ring (counter-clockwise) of the rectangle.
box() { echo "[[$1,$2],[$3,$2],[$3,$4],[$1,$4],[$1,$2]]"; }
poly() { echo "{\"type\":\"Polygon\",\"coordinates\":[$(box "$@")]}"; }
feature() {  # feature ID GEOMETRY [EXTRA-PROPERTIES]
  echo "{\"type\":\"Feature\",\"properties\":{\"id\":\"$1\"${3:+,$3}},\"geometry\":$2}"
}
collection() { local IFS=,; echo "{\"type\":\"FeatureCollection\",\"features\":[$*]}"; }

# The parcels (about 103 m × 111 m for 0.001°):
#   A-1, A-10 overlap by half; A-2 touches A-1 along an edge (no overlap);
#   B-1 and B-2 are the same parcel under two ids;
#   C-1 and C-2 share a corner of 0.000005° × 0.000005° (≈ 0.3 m², below 1 m²);
#   C-3 overlaps both C-1 and C-2;
#   M-1 is a two-part MultiPolygon, one part overlapping A-10;
#   H-1 has a hole; H-2 fills the hole exactly (touching H-1, no overlap); H-3
#   lies partly over H-2 (in the hole) and partly over H-1;
#   D-1 lies in 09003 near its boundary with 09001 at 103.1;
#   E-1 lies in no commune.
H1="{\"type\":\"Polygon\",\"coordinates\":[$(box 103.060 22.060 103.063 22.063),[[103.061,22.061],[103.061,22.062],[103.062,22.062],[103.062,22.061],[103.061,22.061]]]}"
M1="{\"type\":\"MultiPolygon\",\"coordinates\":[[$(box 103.0212 22.0205 103.0222 22.0215)],[$(box 103.050 22.050 103.051 22.051)]]}"
PARCELS=(
  "$(feature A-1 "$(poly 103.020 22.020 103.021 22.021)" '"so_to":"12","so_thua":"1","loai_dat":"LUC","dien_tich":"11430,5"')"
  "$(feature A-10 "$(poly 103.0205 22.020 103.0215 22.021)" '"so_to":"12","so_thua":"10","loai_dat":"LUC"')"
  "$(feature A-2 "$(poly 103.019 22.020 103.020 22.021)" '"so_to":"12","so_thua":"2","loai_dat":"CLN"')"
  "$(feature B-1 "$(poly 103.030 22.030 103.031 22.031)")"
  "$(feature B-2 "$(poly 103.030 22.030 103.031 22.031)")"
  "$(feature C-1 "$(poly 103.040 22.040 103.041 22.041)")"
  "$(feature C-2 "$(poly 103.040995 22.040995 103.042 22.042)")"
  "$(feature C-3 "$(poly 103.0405 22.0405 103.0415 22.0415)")"
  "$(feature M-1 "$M1")"
  "$(feature H-1 "$H1")"
  "$(feature H-2 "$(poly 103.061 22.061 103.062 22.062)")"
  "$(feature H-3 "$(poly 103.0615 22.0615 103.0625 22.0625)")"
  "$(feature D-1 "$(poly 103.1004 22.050 103.1014 22.051)")"
  "$(feature E-1 "$(poly 104.500 22.500 104.501 22.501)")"
)
N=${#PARCELS[@]}
collection "${PARCELS[@]}" >"$WORK/parcels.geojson"

UNITS=(
  "{\"type\":\"Feature\",\"properties\":{\"code\":\"90\",\"name\":\"Tỉnh Thử\",\"level\":\"province\",\"kind\":\"Tỉnh\",\"valid_from\":\"2025-07-01\"},\"geometry\":$(poly 103.0 22.0 103.2 22.1)}"
  "{\"type\":\"Feature\",\"properties\":{\"code\":\"09001\",\"name\":\"Xã Một\",\"level\":\"commune\",\"kind\":\"Xã\",\"valid_from\":\"2025-07-01\",\"parent_code\":\"90\"},\"geometry\":$(poly 103.0 22.0 103.1 22.1)}"
  "{\"type\":\"Feature\",\"properties\":{\"code\":\"09003\",\"name\":\"Xã Ba\",\"level\":\"commune\",\"kind\":\"Xã\",\"valid_from\":\"2025-07-01\",\"parent_code\":\"90\"},\"geometry\":$(poly 103.1 22.0 103.2 22.1)}"
)
collection "${UNITS[@]}" >"$WORK/units.geojson"

# fresh_db NAME: a migrated database with the two communes; prints its path.
fresh_db() {
  local db="$WORK/$1.gpkg" out
  out=$("$NONGSAN" import units --db "$db" "$WORK/units.geojson" 2>&1) || abort "import units into $1 succeeds" "$out"
  echo "$db"
}
q() { sqlite3 "$1" "$2" 2>&1; }
commune_of() { q "$1" "SELECT coalesce(u.code, '-') FROM parcel p LEFT JOIN admin_unit u ON u.id = p.unit_id WHERE p.external_id = '$2'"; }
area_of() { q "$1" "SELECT printf('%.1f', area_m2) FROM parcel WHERE external_id = '$2'"; }

# --- GeoJSON -----------------------------------------------------------------------------
log "GeoJSON"
DB=$(fresh_db geojson)
out=$("$NONGSAN" import parcels --db "$DB" "$WORK/parcels.geojson" 2>"$WORK/geojson.err")
expect_eq "import parcels parcels.geojson exits 0" "0" "$?"
err=$(cat "$WORK/geojson.err")
expect_match "it reports $N created" "created $N, updated 0, unchanged 0, skipped 0" "$out"
expect_match "it reports one parcel without commune" "without commune 1" "$out"
expect_match "the parcel in no commune is named on stderr" "feature 14 \(parcel E-1\) lies in no commune" "$err"
expect_no_match "warnings stay off stdout" "warning" "$out"
expect_eq "sqlite3: $N parcels stored" "$N" "$(q "$DB" 'SELECT count(*) FROM parcel')"
expect_eq "sqlite3: every geometry is a MultiPolygon in 4326 (GeoPackage header srs 4326)" "$N" \
  "$(q "$DB" "SELECT count(*) FROM parcel WHERE hex(substr(geom, 5, 4)) = 'E6100000'")"
expect_eq "A-1 lies in commune 09001" "09001" "$(commune_of "$DB" A-1)"
expect_eq "D-1 lies in 09003" "09003" "$(commune_of "$DB" D-1)"
expect_eq "E-1 is stored without a commune" "-" "$(commune_of "$DB" E-1)"
expect_eq "A-1 keeps its sheet, number, land use and official area (decimal comma)" "12|1|LUC|11430.5" \
  "$(q "$DB" "SELECT sheet_no, parcel_no, land_use_code, official_area_m2 FROM parcel WHERE external_id = 'A-1'")"
REF_AREA_A1=$(area_of "$DB" A-1)
expect_eq "one audit row for the import" "1" \
  "$(q "$DB" "SELECT count(*) FROM audit_log WHERE action = 'import' AND entity = 'parcel'")"

out=$("$NONGSAN" import parcels --db "$DB" "$WORK/parcels.geojson" 2>/dev/null)
expect_match "re-importing the same file changes nothing" "created 0, updated 0, unchanged $N" "$out"
expect_eq "no boundary history after a re-import" "0" "$(q "$DB" 'SELECT count(*) FROM parcel_geometry_history')"

# A boundary correction: A-2 grows; the old boundary goes to the history.
collection "$(feature A-2 "$(poly 103.0185 22.020 103.020 22.021)" '"so_to":"12","so_thua":"2","loai_dat":"CLN"')" \
  >"$WORK/a2.geojson"
out=$("$NONGSAN" import parcels --db "$DB" "$WORK/a2.geojson" --dry-run 2>/dev/null)
expect_match "a dry run reports the change" "dry run.*updated 1.*boundaries changed 1" "$out"
expect_eq "a dry run stores nothing" "0" "$(q "$DB" 'SELECT count(*) FROM parcel_geometry_history')"
out=$("$NONGSAN" import parcels --db "$DB" "$WORK/a2.geojson" 2>/dev/null)
expect_match "a changed boundary is an update" "updated 1, unchanged 0.*boundaries changed 1" "$out"
expect_eq "the old boundary is kept in the history" "1" \
  "$(q "$DB" "SELECT count(*) FROM parcel_geometry_history h JOIN parcel p ON p.id = h.parcel_id WHERE p.external_id = 'A-2'")"

# --- a broken file stores nothing ---------------------------------------------------------
BAD=$(fresh_db bad)
collection "$(feature OK-1 "$(poly 103.02 22.02 103.021 22.021)")" \
  "$(feature "" "$(poly 103.03 22.02 103.031 22.021)")" \
  "$(feature BOW "{\"type\":\"Polygon\",\"coordinates\":[[[103.04,22.02],[103.041,22.021],[103.041,22.02],[103.04,22.021],[103.04,22.02]]]}")" \
  "$(feature LINE "{\"type\":\"LineString\",\"coordinates\":[[103.05,22.02],[103.051,22.021]]}")" \
  "$(feature OK-1 "$(poly 103.06 22.02 103.061 22.021)")" >"$WORK/bad.geojson"
msg=$("$NONGSAN" import parcels --db "$BAD" "$WORK/bad.geojson" 2>&1)
expect_fails "a file with bad features is refused" "$?" "$msg"
expect_match "the empty id is named" "feature 2, id: is empty" "$msg"
expect_match "the self-intersection is named" "feature 3, geometry: is not valid: the boundary crosses itself" "$msg"
expect_match "the line is named" "feature 4, geometry: must be a polygon" "$msg"
expect_match "the duplicate id is named" "feature 5, id: id 'OK-1' is used again by feature\(s\) 1" "$msg"
expect_eq "nothing was stored" "0" "$(q "$BAD" 'SELECT count(*) FROM parcel')"
out=$("$NONGSAN" import parcels --db "$BAD" "$WORK/bad.geojson" --skip-invalid 2>/dev/null)
expect_match "--skip-invalid stores none of them (all five are bad: OK-1 twice)" "created 0, .* skipped 5" "$out"
printf '{"type":"FeatureCollection","features":[{"type":"Feature",' >"$WORK/truncated.geojson"
msg=$("$NONGSAN" import parcels --db "$BAD" "$WORK/truncated.geojson" 2>&1)
expect_fails "a truncated file is refused" "$?" "$msg"
expect_match "the refusal names the file" "truncated\.geojson" "$msg"

# --- Shapefile in EPSG:9205, with its own .prj and with a loose one ---------------------------
log "Shapefile, GeoPackage, KML"
mkdir -p "$WORK/shp" "$WORK/loose"
ogr2ogr -f "ESRI Shapefile" -t_srs EPSG:9205 "$WORK/shp/parcels.shp" "$WORK/parcels.geojson" >"$WORK/ogr.log" 2>&1 ||
  abort "ogr2ogr writes a Shapefile in EPSG:9205" "$(cat "$WORK/ogr.log")"
SHP=$(fresh_db shp)
out=$("$NONGSAN" import parcels --db "$SHP" "$WORK/shp/parcels.shp" 2>"$WORK/shp.err")
expect_eq "import of the EPSG:9205 Shapefile exits 0" "0" "$?"
expect_match "it was read in EPSG:9205" "EPSG:9205" "$(cat "$WORK/shp.err")"
expect_match "Shapefile: $N created" "created $N," "$out"
expect_eq "Shapefile: D-1 in 09003" "09003" "$(commune_of "$SHP" D-1)"
expect_eq "Shapefile: A-1 has the GeoJSON's area" "$REF_AREA_A1" "$(area_of "$SHP" A-1)"

for ext in shp shx dbf; do cp "$WORK/shp/parcels.$ext" "$WORK/loose/to12.$ext"; done
cat >"$WORK/loose/to12.prj" <<'EOF'
PROJCS["VN2000 mui 3 KTT 103",GEOGCS["VN2000",DATUM["unknown",SPHEROID["WGS84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",103],PARAMETER["scale_factor",0.9999],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1]]
EOF
LOOSE=$(fresh_db loose)
out=$("$NONGSAN" import parcels --db "$LOOSE" "$WORK/loose/to12.shp" 2>"$WORK/loose.err")
expect_eq "import of the Shapefile with a loose VN-2000 .prj exits 0" "0" "$?"
expect_match "it says the .prj was read as EPSG:9205" "names VN-2000.*read as EPSG:9205" "$(cat "$WORK/loose.err")"
expect_eq "loose .prj: A-1 has the GeoJSON's area" "$REF_AREA_A1" "$(area_of "$LOOSE" A-1)"
corner=$(ogrinfo -ro -q -dialect sqlite -sql "SELECT abs(ST_MinX(geom) - 103.020) < 1e-7 AND abs(ST_MinY(geom) - 22.020) < 1e-7 AS near FROM parcel WHERE external_id = 'A-1'" "$LOOSE" 2>&1 | sed -n 's/.*near (Integer) = //p')
expect_eq "loose .prj: A-1 is where the GeoJSON put it (datum shift applied, within 1 cm)" "1" "$corner"
rm "$WORK/loose/to12.prj"
msg=$("$NONGSAN" import parcels --db "$LOOSE" "$WORK/loose/to12.shp" 2>&1)
expect_fails "a Shapefile in metres without .prj is refused" "$?" "$msg"
expect_match "the refusal names the file and --crs 9205" "to12\.shp has no coordinate reference system.*--crs 9205" "$msg"
out=$("$NONGSAN" import parcels --db "$LOOSE" "$WORK/loose/to12.shp" --crs 9205 2>/dev/null)
expect_match "with --crs 9205 it is the same data: unchanged" "created 0, updated 0, unchanged $N" "$out"

# --- GeoPackage and KML ------------------------------------------------------------------------
ogr2ogr -f GPKG "$WORK/parcels.gpkg" "$WORK/parcels.geojson" -nln thua_dat >"$WORK/ogr.log" 2>&1 ||
  abort "ogr2ogr writes a GeoPackage" "$(cat "$WORK/ogr.log")"
ogr2ogr -f KML "$WORK/parcels.kml" "$WORK/parcels.geojson" >"$WORK/ogr.log" 2>&1 ||
  abort "ogr2ogr writes KML" "$(cat "$WORK/ogr.log")"
for f in parcels.gpkg parcels.kml; do
  db=$(fresh_db "${f/./-}")
  out=$("$NONGSAN" import parcels --db "$db" "$WORK/$f" 2>&1 >"$WORK/out.txt")
  rc=$?
  out="$(cat "$WORK/out.txt")"
  expect_eq "import of $f exits 0" "0" "$rc"
  expect_match "$f: $N created" "created $N," "$out"
  expect_eq "$f: $N parcels stored" "$N" "$(q "$db" 'SELECT count(*) FROM parcel')"
  expect_eq "$f: D-1 in 09003, E-1 in none" "09003 -" "$(commune_of "$db" D-1) $(commune_of "$db" E-1)"
  expect_eq "$f: A-1 has the GeoJSON's area" "$REF_AREA_A1" "$(area_of "$db" A-1)"
done

# --- MicroStation DGN v7: shapes, with each parcel's id as a text element inside it ------------
log "DGN"
# DGN v7 shapes have no holes and no parts (ogr2ogr writes a hole as a shape of its
# own), so the sheet holds the simple parcels, a road line and a stray sheet label.
DGN_IDS=(A-1 A-2 C-1 D-1 E-1)
label() {  # label ID X Y
  echo "{\"type\":\"Feature\",\"properties\":{\"OGR_STYLE\":\"LABEL(f:\\\"Arial\\\",t:\\\"$1\\\",s:2g)\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[$2,$3]}}"
}
shape() { echo "{\"type\":\"Feature\",\"properties\":{},\"geometry\":$1}"; }
collection \
  "$(shape "$(poly 103.020 22.020 103.021 22.021)")" "$(label A-1 103.0203 22.0205)" \
  "$(shape "$(poly 103.019 22.020 103.020 22.021)")" "$(label A-2 103.0195 22.0205)" \
  "$(shape "$(poly 103.040 22.040 103.041 22.041)")" "$(label C-1 103.0405 22.0405)" \
  "$(shape "$(poly 103.1004 22.050 103.1014 22.051)")" "$(label D-1 103.1009 22.0505)" \
  "$(shape "$(poly 104.500 22.500 104.501 22.501)")" "$(label E-1 104.5005 22.5005)" \
  "$(label "TỜ 12" 103.09 22.09)" \
  "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[103.01,22.01],[103.09,22.01]]}}" \
  >"$WORK/sheet.geojson"
if ogr2ogr -f DGN -t_srs EPSG:9205 "$WORK/to12.dgn" "$WORK/sheet.geojson" >"$WORK/ogr.log" 2>&1 &&
  [[ $(ogrinfo -ro -al -so "$WORK/to12.dgn" 2>/dev/null | sed -n 's/^Feature Count: //p') -ge 12 ]]; then
  pass "ogr2ogr writes a DGN v7 sheet"
  DGN=$(fresh_db dgn)
  msg=$("$NONGSAN" import parcels --db "$DGN" "$WORK/to12.dgn" 2>&1)
  expect_fails "a DGN sheet (no CRS, metres) without --crs is refused" "$?" "$msg"
  expect_match "the refusal names the sheet and --crs 9205" "to12\.dgn has no coordinate reference system.*--crs 9205" "$msg"
  out=$("$NONGSAN" import parcels --db "$DGN" "$WORK/to12.dgn" --crs 9205 2>"$WORK/dgn.err")
  expect_eq "import of the DGN sheet with --crs 9205 exits 0" "0" "$?"
  err=$(cat "$WORK/dgn.err")
  expect_match "DGN: ${#DGN_IDS[@]} created" "created ${#DGN_IDS[@]}," "$out"
  expect_match "DGN: ids came from the text elements" "text element inside it" "$err"
  expect_match "DGN: the line was left aside" "1 element\(s\) that are neither shapes nor text" "$err"
  expect_match "DGN: the sheet label outside every shape was left aside" "1 text element\(s\) lie outside every shape" "$err"
  expect_eq "DGN: the parcels and their ids" "${DGN_IDS[*]}" "$(q "$DGN" 'SELECT external_id FROM parcel ORDER BY external_id' | tr '\n' ' ' | sed 's/ $//')"
  expect_eq "DGN: D-1 in 09003, E-1 in none" "09003 -" "$(commune_of "$DGN" D-1) $(commune_of "$DGN" E-1)"
  # DGN stores centimetres: the area is the GeoJSON's within a few square metres.
  expect_eq "DGN: A-1's area within 5 m² of the GeoJSON's" "1" \
    "$(awk -v a="$(area_of "$DGN" A-1)" -v b="$REF_AREA_A1" 'BEGIN { d = a - b; print (d < 5 && d > -5) ? 1 : 0 }')"
else
  fail "ogr2ogr writes a DGN v7 sheet" "$(head -n 5 "$WORK/ogr.log")"
fi

# --- CSV with WKT and a decimal comma ---------------------------------------------------------
{
  echo 'id;so_thua;dien_tich;wkt'
  echo "CSV-1;7;\"980,25\";POLYGON ((103.08 22.08,103.081 22.08,103.081 22.081,103.08 22.081,103.08 22.08))"
  echo "CSV-2;8;1200;POLYGON ((103.15 22.08,103.151 22.08,103.151 22.081,103.15 22.081,103.15 22.08))"
} >"$WORK/parcels.csv"
CSVDB=$(fresh_db csv)
out=$("$NONGSAN" import parcels --db "$CSVDB" "$WORK/parcels.csv" 2>"$WORK/csv.err")
expect_eq "import of a CSV with WKT exits 0" "0" "$?"
expect_match "the CSV's lon/lat is assumed with a note" "longitude/latitude" "$(cat "$WORK/csv.err")"
expect_eq "CSV: areas with a decimal comma, communes by location" "980.25|09001 1200.0|09003" \
  "$(q "$CSVDB" "SELECT p.official_area_m2 || '|' || u.code FROM parcel p JOIN admin_unit u ON u.id = p.unit_id ORDER BY p.external_id" | tr '\n' ' ' | sed 's/ $//')"

# --- check parcels: overlaps against SpatiaLite ------------------------------------------------
log "check parcels"
ogr2ogr -f GPKG -t_srs EPSG:9205 "$WORK/ref.gpkg" "$WORK/parcels.geojson" -nln p >"$WORK/ogr.log" 2>&1 ||
  abort "ogr2ogr writes the reference GeoPackage in EPSG:9205" "$(cat "$WORK/ogr.log")"
# The database now holds A-2's corrected boundary; so does the reference.
ogr2ogr -f GPKG -t_srs EPSG:9205 -update -nln a2 "$WORK/ref.gpkg" "$WORK/a2.geojson" >/dev/null 2>&1
sql="SELECT a.id AS parcel_a, b.id AS parcel_b, ST_Area(ST_Intersection(a.geom, b.geom)) AS overlap_m2
     FROM (SELECT id, geom FROM p WHERE id <> 'A-2' UNION ALL SELECT id, geom FROM a2) a,
          (SELECT id, geom FROM p WHERE id <> 'A-2' UNION ALL SELECT id, geom FROM a2) b
     WHERE a.id < b.id AND ST_Intersects(a.geom, b.geom) ORDER BY a.id, b.id"
ogr2ogr -f CSV /vsistdout/ "$WORK/ref.gpkg" -dialect sqlite -sql "$sql" 2>"$WORK/ref.err" |
  tr -d '\r' | awk -F, 'NR == 1 { print "parcel_a,parcel_b,overlap_m2"; next } $3 > 1 { printf "%s,%s,%.3f\n", $1, $2, $3 }' \
    >"$WORK/expected.csv"
expect_eq "the reference finds 7 overlapping pairs" "8" "$(wc -l <"$WORK/expected.csv")"
"$NONGSAN" check parcels --db "$DB" --what overlaps --format csv >"$WORK/overlaps.csv" 2>"$WORK/check.err"
expect_eq "check parcels --what overlaps --format csv exits 0" "0" "$?"
if cmp -s "$WORK/expected.csv" "$WORK/overlaps.csv"; then
  pass "check parcels prints exactly the pairs and areas SpatiaLite computes ($(($(wc -l <"$WORK/expected.csv") - 1)) pairs)"
else
  mapfile -t lines < <(diff "$WORK/expected.csv" "$WORK/overlaps.csv")
  fail "check parcels prints exactly the pairs and areas SpatiaLite computes" "${lines[@]}"
fi
echo "# expected (SpatiaLite):"; sed 's/^/#   /' "$WORK/expected.csv"
echo "# nongsan check parcels:"; sed 's/^/#   /' "$WORK/overlaps.csv"
expect_eq "the overlap findings are stored for the map" "7" \
  "$(q "$DB" "SELECT count(*) FROM topology_finding WHERE kind = 'overlap' AND geom IS NOT NULL")"

expect_eq "ogrinfo sees topology_finding as a polygon layer" "Multi Polygon" \
  "$(ogrinfo -ro -so "$DB" topology_finding 2>/dev/null | sed -n 's/^Geometry: //p')"
"$NONGSAN" check parcels --db "$DB" --what overlaps --format csv --min-overlap-m2 6000 >"$WORK/big.csv" 2>/dev/null
expect_eq "--min-overlap-m2 6000 keeps the pairs above it" \
  "$(awk -F, 'NR == 1 || $3 > 6000' "$WORK/expected.csv")" "$(cat "$WORK/big.csv")"
json=$("$NONGSAN" check parcels --db "$DB" --what all --format json 2>/dev/null)
expect_eq "check --what all --format json: 7 overlaps" "7" "$(jq '.overlaps | length' <<<"$json")"
expect_eq "check --what all --format json: E-1 lies outside every commune" '["E-1"]' \
  "$(jq -c '[.outside[].parcel]' <<<"$json")"
expect_eq "check --what all --format json: no invalid parcels" "0" "$(jq '.invalid | length' <<<"$json")"
"$NONGSAN" check parcels --db "$DB" --what invalid --format csv --no-store >/dev/null 2>&1
expect_eq "--no-store leaves the stored findings alone" "7" \
  "$(q "$DB" "SELECT count(*) FROM topology_finding WHERE kind = 'overlap'")"

# --- a parcel lies in the commune it is registered in (docs/rules.md §5) ---------------------------
log "commune boundaries"
ACROSS=$(fresh_db across)
collection "$(feature X-1 "$(poly 103.0996 22.050 103.1006 22.051)")" \
  "$(feature X-2 "$(poly 103.09901 22.060 103.10001 22.061)")" >"$WORK/across.geojson"
msg=$("$NONGSAN" import parcels --db "$ACROSS" "$WORK/across.geojson" 2>&1)
expect_fails "a parcel 40 % outside the commune it goes to is refused" "$?" "$msg"
expect_match "the refusal names the feature and the commune" "feature 1, geometry: lies .* m² outside Xã Ba \(09003\)" "$msg"
expect_no_match "a metre across the boundary is digitising noise" "feature 2" "$msg"
expect_eq "nothing was stored" "0" "$(q "$ACROSS" 'SELECT count(*) FROM parcel')"
# A boundary that changes after the parcels were stored: the check finds them.
collection "$(feature D-1 "$(poly 103.1004 22.050 103.1014 22.051)")" >"$WORK/d1.geojson"
"$NONGSAN" import parcels --db "$ACROSS" "$WORK/d1.geojson" >/dev/null 2>&1
expect_eq "D-1 alone is stored in 09003" "09003" "$(commune_of "$ACROSS" D-1)"
collection "{\"type\":\"Feature\",\"properties\":{\"code\":\"09003\",\"valid_from\":\"2025-07-01\"},\"geometry\":$(poly 103.101 22.0 103.2 22.1)}" \
  >"$WORK/moved.geojson"
out=$("$NONGSAN" import units --db "$ACROSS" "$WORK/moved.geojson" 2>&1)
expect_match "09003's boundary moves east" "updated 1" "$out"
json=$("$NONGSAN" check parcels --db "$ACROSS" --what outside --format json 2>/dev/null)
expect_eq "check: D-1 now lies partly outside 09003" '[{"commune_code":"09003","parcel":"D-1"}]' \
  "$(jq -c '[.outside[] | {commune_code, parcel}]' <<<"$json")"
collection "{\"type\":\"Feature\",\"properties\":{\"code\":\"09001\",\"valid_from\":\"2025-07-01\"},\"geometry\":$(poly -180 -90 180 90)}" \
  "{\"type\":\"Feature\",\"properties\":{\"code\":\"09001\",\"valid_from\":\"2025-07-01\"},\"geometry\":null}" \
  >"$WORK/world.geojson"
msg=$("$NONGSAN" import units --db "$ACROSS" "$WORK/world.geojson" 2>&1)
expect_fails "a units file with a whole-world polygon, a null geometry and a code twice is refused" "$?" "$msg"
expect_match "the whole world is named" "feature 1, geometry: reaches outside" "$msg"
expect_match "the null geometry is named" "feature 2, geometry: is missing or unreadable" "$msg"
expect_match "both uses of the code are named" "feature 1, code: '09001' is also on feature 2" "$msg"
expect_no_match "no raw database error" "UNIQUE" "$msg"

# --- text in a legacy encoding is converted; text that is not UTF-8 is never stored ---------------
# Windows-1258 (tones as combining marks), as iconv writes it.
owner="Lò Văn Thắng bản Nà Khum xã Bản Hon"
{ printf 'id,so_thua,wkt\nU-1,'; printf '%s' "$owner" | iconv -f UTF-8 -t CP1258
  printf ',"POLYGON ((103.02 22.02,103.021 22.02,103.021 22.021,103.02 22.021,103.02 22.02))"\n'; } >"$WORK/legacy.csv"
msg=$("$NONGSAN" import parcels --db "$ACROSS" --encoding utf-8 "$WORK/legacy.csv" 2>&1)
expect_fails "a CSV in a legacy encoding is refused with --encoding utf-8" "$?" "$msg"
expect_match "the bad byte is named with its line" "line 2" "$msg"
msg=$("$NONGSAN" import parcels --db "$ACROSS" "$WORK/legacy.csv" 2>&1)
expect_eq "the same CSV is converted without --encoding" "0" "$?"
expect_match "the conversion is said" "Windows-1258" "$msg"
{ printf 'external_id,name,kind\nH1,'; printf '%s' "$owner" | iconv -f UTF-8 -t CP1258; printf ',household\n'; } \
  >"$WORK/legacy-producers.csv"
msg=$("$NONGSAN" import producers --db "$ACROSS" --encoding windows-1258 "$WORK/legacy-producers.csv" 2>&1)
expect_eq "producers in Windows-1258 with --encoding windows-1258" "0" "$?"
"$NONGSAN" check parcels --db "$ACROSS" --format json >"$WORK/after-legacy.json" 2>/dev/null
expect_eq "check parcels --format json still writes JSON" "0" "$?"
expect_eq "its JSON reads" "2" "$(jq '.parcels' "$WORK/after-legacy.json")"
"$NONGSAN" export parcels --db "$ACROSS" --format csv --out "$WORK/legacy-export.csv" 2>/dev/null
expect_match "the owner's name is stored in Vietnamese" "$owner" "$(cat "$WORK/legacy-export.csv")"

# --- export parcels ------------------------------------------------------------------------------
log "export parcels"
"$NONGSAN" export parcels --db "$DB" --format csv --out "$WORK/export.csv" 2>/dev/null
expect_eq "export parcels --format csv exits 0" "0" "$?"
expect_eq "the CSV export has a header and $N rows" "$((N + 1))" "$(wc -l <"$WORK/export.csv")"
expect_match "the CSV export has the fields" "WKT,external_id,sheet_no,parcel_no,commune_code,commune_name,land_use_code,state,official_area_m2,area_m2,crop,holder" \
  "$(head -n 1 "$WORK/export.csv")"
"$NONGSAN" export parcels --db "$DB" --format gpkg --commune 09003 --out "$WORK/export.gpkg" 2>/dev/null
expect_eq "export --commune 09003 holds D-1 only" "D-1" \
  "$(ogrinfo -ro -q "$WORK/export.gpkg" -sql 'SELECT external_id FROM parcel' 2>/dev/null | sed -n 's/.*external_id (String) = //p')"
"$NONGSAN" export parcels --db "$DB" --format geojson --land-use LUC --out "$WORK/luc.geojson" 2>/dev/null
expect_eq "export --land-use LUC: A-1 and A-10" '["A-1","A-10"]' "$(jq -c '[.features[].properties.external_id]' "$WORK/luc.geojson")"
mkdir -p "$WORK/export"
"$NONGSAN" export parcels --db "$DB" --format shp --out "$WORK/export/parcels.shp" 2>/dev/null
expect_eq "export parcels --format shp exits 0" "0" "$?"
out=$("$NONGSAN" import parcels --db "$DB" "$WORK/export/parcels.shp" 2>/dev/null)
expect_match "the Shapefile export imported back changes nothing" "created 0, updated 0, unchanged $N" "$out"

finish
