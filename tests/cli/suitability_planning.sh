# Land suitability, planning side, from the command line as a new user would:
#  - profiles: a file with a broken profile is refused with its JSON path and
#    nothing is stored; a good one is imported, edited (a new version) and exported;
#    the shipped profiles import on a fresh database;
#  - raster layers on mixed CRSs: elevation in EPSG:4326 (0.01° cells), soil codes
#    warped to VN-2000 / TM-3 (EPSG:9205); a broken file is refused;
#  - `suitability parcels` stores areas by class that add up to each parcel's area
#    and agree with a hand count of the cells; zones and units summaries;
#  - `report zone-suitability` and `report candidate-land` as CSV and GeoPackage,
#    opened with ogrinfo.
#
# usage: bash tests/cli/suitability_planning.sh <nongsan-binary> <repo-root>
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
need_tools gdal_translate gdalwarp ogrinfo sqlite3 jq

box() { echo "[[$1,$2],[$3,$2],[$3,$4],[$1,$4],[$1,$2]]"; }
poly() { echo "{\"type\":\"Polygon\",\"coordinates\":[$(box "$@")]}"; }

# --- units, parcels, a zone -----------------------------------------------------------
cat >"$WORK/units.geojson" <<EOF
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"90","name":"Tỉnh Thử","level":"province","kind":"Tỉnh","valid_from":"2025-07-01"},"geometry":$(poly 103.0 22.0 103.1 22.1)},
{"type":"Feature","properties":{"code":"09001","name":"Xã Một","level":"commune","kind":"Xã","valid_from":"2025-07-01","parent_code":"90"},"geometry":$(poly 103.0 22.0 103.1 22.1)}]}
EOF
# Elevation = 100 m × column (0.01° columns from 103.0), so: columns 0–4 below 500 m.
# P-LOW: columns 1–2 (x 103.01–103.03), idle: S1. P-HIGH: columns 7–8, inefficient rice.
# P-HALF: x 103.045–103.055: half in column 4 (400 m, S1), half in column 5 (500 m, S2).
cat >"$WORK/parcels.geojson" <<EOF
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"P-LOW","land_use_code":"BHK","state":"idle"},"geometry":$(poly 103.012 22.052 103.028 22.058)},
{"type":"Feature","properties":{"id":"P-HIGH","land_use_code":"LUK","state":"inefficient_rice"},"geometry":$(poly 103.072 22.052 103.088 22.058)},
{"type":"Feature","properties":{"id":"P-HALF","land_use_code":"LUC","state":"in_use"},"geometry":$(poly 103.045 22.052 103.055 22.058)}]}
EOF
cat >"$WORK/zones.geojson" <<EOF
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"VSX-HIGH","name":"Vùng cao","commodity":"testcrop","unit_code":"09001"},"geometry":$(poly 103.06 22.01 103.1 22.09)}]}
EOF
DB="$WORK/s.gpkg"
out=$("$NONGSAN" import units --db "$DB" "$WORK/units.geojson" 2>&1) || abort "import units" "$out"
out=$("$NONGSAN" import parcels --db "$DB" "$WORK/parcels.geojson" 2>&1) || abort "import parcels" "$out"
out=$("$NONGSAN" import zones --db "$DB" "$WORK/zones.geojson" 2>&1) || abort "import zones" "$out"

# --- rasters ----------------------------------------------------------------------------
{
  echo "ncols 10"; echo "nrows 10"; echo "xllcorner 103.0"; echo "yllcorner 22.0"; echo "cellsize 0.01"; echo "NODATA_value -9999"
  for r in $(seq 0 9); do echo "0 100 200 300 400 500 600 700 800 900"; done
} >"$WORK/elev.asc"
{
  echo "ncols 10"; echo "nrows 10"; echo "xllcorner 103.0"; echo "yllcorner 22.0"; echo "cellsize 0.01"; echo "NODATA_value 0"
  for r in $(seq 0 9); do echo "1 1 1 1 1 1 1 1 1 1"; done
} >"$WORK/soil.asc"
mkdir -p "$WORK/rasters"
gdal_translate -q -a_srs EPSG:4326 -ot Float32 "$WORK/elev.asc" "$WORK/rasters/elev.tif"
gdal_translate -q -a_srs EPSG:4326 -ot Byte "$WORK/soil.asc" "$WORK/soil4326.tif"
gdalwarp -q -t_srs EPSG:9205 -tr 250 250 -r near "$WORK/soil4326.tif" "$WORK/rasters/soil_vn2000.tif"
echo "not a raster" >"$WORK/rasters/broken.tif"

# --- profiles ----------------------------------------------------------------------------
GOOD='{"crop":"testcrop","name_vi":"Cây thử","method":"limiting","factors":[
 {"layer":"elevation","type":"continuous","S1":[[0,500]],"S2":[[500,700]],"S3":[[700,800]],"source":"test"},
 {"layer":"soil","type":"categorical","S1":[1],"S2":[],"S3":[2],"legend":{"1":"loam","2":"clay"},"source":"test"}]}'
BROKEN='{"crop":"other","method":"limiting","factors":[{"layer":"elevation","type":"continuous","S1":[[500,0]]}]}'
echo "[$GOOD,$BROKEN]" >"$WORK/mixed.json"
out=$("$NONGSAN" import profiles --db "$DB" "$WORK/mixed.json" 2>&1)
expect_eq "a file with a broken profile is refused" "1" "$([[ $? -ne 0 ]] && echo 1 || echo 0)"
expect_match "the error names the JSON path" '\[1\]\.factors\[0\]\.S1' "$out"
expect_eq "nothing is stored" "0" "$(sqlite3 "$DB" 'SELECT count(*) FROM crop_profile')"
echo '{"crop":"x","method":' >"$WORK/notjson.json"
out=$("$NONGSAN" import profiles --db "$DB" "$WORK/notjson.json" 2>&1)
expect_match "a file that is not JSON says so, with the place" 'not valid JSON at line [0-9]+, column [0-9]+' "$out"
# A number beyond double's range and a document nested 100,000 deep: refused as input
# (exit 65) with what is wrong, never read as infinity nor a crash (exit 139).
echo '[{"crop":"x","method":"limiting","factors":[{"layer":"elevation","type":"continuous","S1":[[0,1e400]]}]}]' >"$WORK/huge.json"
out=$("$NONGSAN" import profiles --db "$DB" "$WORK/huge.json" 2>&1)
expect_eq "a profile with 1e400 is refused as bad input" "65" "$?"
expect_match "the refusal says the number is too large" 'too large' "$out"
python3 -c "n = 100000; print('[{\"crop\":\"x\",\"method\":\"limiting\",\"factors\":[{\"layer\":\"elevation\",' \
  '\"type\":\"continuous\",\"S1\":[[0,1]]}],\"notes\":' + '[' * n + ']' * n + '}]')" >"$WORK/deep.json"
out=$("$NONGSAN" import profiles --db "$DB" "$WORK/deep.json" 2>&1)
expect_eq "a profile file nested 100,000 deep is refused as bad input, not a crash" "65" "$?"
expect_match "the refusal says where it nests too deep" 'nests .* deep \(line 1' "$out"
echo '[{"crop":"x","method":"limiting","factors":[{"layer":"elevation","type":"continuous","S1":[[0,"5"]]}],"class_thresholds":[75,null,25]}]' >"$WORK/types.json"
out=$("$NONGSAN" import profiles --db "$DB" "$WORK/types.json" 2>&1)
expect_match "a text where a number belongs is named by its path" '\[0\]\.factors\[0\]\.S1\[0\]\[1\]: must be a finite number, not a text' "$out"
expect_match "so is a null threshold" 'class_thresholds\[1\]: must be a finite number, not null' "$out"
echo "$GOOD" >"$WORK/good.json"
out=$("$NONGSAN" import profiles --db "$DB" "$WORK/good.json" 2>&1)
expect_match "one profile imports" 'testcrop version 1' "$out"
out=$("$NONGSAN" import profiles --db "$DB" --note "again" "$WORK/good.json" 2>&1)
expect_match "importing again makes version 2" 'testcrop version 2' "$out"
expect_eq "history keeps both versions" "2" "$(sqlite3 "$DB" "SELECT count(*) FROM crop_profile_version WHERE crop = 'testcrop'")"
"$NONGSAN" export profiles --db "$DB" --out "$WORK/export.json" 2>/dev/null
expect_eq "export gives the profile back" "testcrop" "$(jq -r '.[0].crop' "$WORK/export.json")"
SHIP="$WORK/ship.gpkg"
"$NONGSAN" suitability profiles >"$WORK/shipped.json" 2>/dev/null || cp "$REPO/data/crop-profiles.json" "$WORK/shipped.json"
out=$("$NONGSAN" import profiles --db "$SHIP" "$WORK/shipped.json" 2>&1)
expect_eq "the 12 shipped profiles import on a fresh database" "12" "$(echo "$out" | grep -c ' version 1')"

# --- layers ------------------------------------------------------------------------------
export NONGSAN_RASTER_DIR="$WORK/rasters"
out=$("$NONGSAN" suitability layer-add --db "$DB" elevation broken.tif --kind continuous 2>&1)
expect_match "a broken raster is refused, naming the file" 'broken.tif' "$out"
# Layers are files inside the raster folder: anything else gets one answer, whether or
# not a file is there (the server's files are not probed through layer-add).
cp "$WORK/rasters/elev.tif" "$WORK/elev-outside.tif"
ln -sf /etc/passwd "$WORK/rasters/passwd.tif"
first=$("$NONGSAN" suitability layer-add --db "$DB" elevation /etc/passwd --kind continuous 2>&1)
expect_eq "a path outside the raster folder is refused as bad input" "65" "$?"
expect_match "the refusal says where layers belong" 'inside the raster folder' "$first"
for p in /etc/no-such-file.tif "$WORK/elev-outside.tif" ../elev-outside.tif passwd.tif /nonexistent/dem.tif; do
  out=$("$NONGSAN" suitability layer-add --db "$DB" elevation "$p" --kind continuous 2>&1)
  expect_eq "outside the folder ($p): the same answer as for /etc/passwd" "$first" "$out"
done
expect_eq "nothing was registered from outside" "0" "$(sqlite3 "$DB" 'SELECT count(*) FROM raster_layer')"
out=$("$NONGSAN" suitability layer-add --db "$DB" soil soil_vn2000.tif --kind categorical --codes '{"1":"loam"}' 2>&1)
check "the soil layer in EPSG:9205 registers" test $? -eq 0
out=$("$NONGSAN" suitability parcels --db "$DB" --crop testcrop 2>&1)
expect_match "a run without the elevation layer names the factor" 'factors\[0\]\.layer' "$out"
"$NONGSAN" suitability layer-add --db "$DB" elevation elev.tif --kind continuous --illustrative >/dev/null 2>&1
out=$("$NONGSAN" suitability layers --db "$DB" 2>&1)
expect_match "layers lists both, readable" 'soil.*categorical.*soil_vn2000.tif' "$out"

# --- parcels ----------------------------------------------------------------------------
out=$("$NONGSAN" suitability parcels --db "$DB" --crop testcrop --format csv --out "$WORK/parcels.csv" 2>&1)
check "suitability parcels runs" test $? -eq 0
row() { grep "^$1," "$WORK/parcels.csv"; }
expect_match "P-LOW is S1 (no limiting factor)" '^S1,$' "$(row P-LOW | tr -d '\r' | cut -d, -f11-12)"
expect_match "P-HIGH is S3 by elevation" 'S3,elevation' "$(row P-HIGH | tr -d '\r' | cut -d, -f11-12)"
# P-HALF: half S1 (column 4), half S2 (column 5): the stored areas say so.
s1=$(sqlite3 "$DB" "SELECT s1_m2 FROM parcel_suitability s JOIN parcel p ON p.id = s.parcel_id WHERE p.external_id = 'P-HALF'")
s2=$(sqlite3 "$DB" "SELECT s2_m2 FROM parcel_suitability s JOIN parcel p ON p.id = s.parcel_id WHERE p.external_id = 'P-HALF'")
tot=$(sqlite3 "$DB" "SELECT s1_m2 + s2_m2 + s3_m2 + n_m2 + nodata_m2 - area_m2 FROM parcel_suitability s JOIN parcel p ON p.id = s.parcel_id WHERE p.external_id = 'P-HALF'")
expect_eq "P-HALF: S1 and S2 share its area half and half" "1" "$(awk -v a="$s1" -v b="$s2" 'BEGIN { print (a > 0 && (a - b) / a < 0.01 && (b - a) / a < 0.01) ? 1 : 0 }')"
expect_eq "P-HALF: the areas add up to the parcel's area" "1" "$(awk -v d="$tot" 'BEGIN { print (d < 0.01 && d > -0.01) ? 1 : 0 }')"
out=$("$NONGSAN" suitability zones --db "$DB" --crop testcrop --format json 2>&1)
expect_eq "the zone's S1 hectares (columns 6–9 are 600 m and up: no S1)" "0.00" "$(echo "$out" | jq -r '.[0].S1_ha')"
out=$("$NONGSAN" suitability units --db "$DB" --crop testcrop 2>&1)
expect_match "units: the commune and the province" '09001.*90,' "$(echo "$out" | tr '\n' ' ')"

# --- reports ----------------------------------------------------------------------------
"$NONGSAN" report zone-suitability --db "$DB" --crop testcrop --min-share 0.3 --format csv --out "$WORK/zones.csv" 2>/dev/null
expect_match "zone-suitability CSV lists the high zone with its limiting factor" 'VSX-HIGH.*elevation' "$(cat "$WORK/zones.csv")"
"$NONGSAN" report zone-suitability --db "$DB" --crop testcrop --min-share 0.3 --format gpkg --out "$WORK/zones.gpkg" 2>/dev/null
expect_match "zone-suitability GeoPackage opens in ogrinfo with the zone" 'zone \(String\) = VSX-HIGH' "$(ogrinfo -q -al "$WORK/zones.gpkg" 2>&1)"
"$NONGSAN" report candidate-land --db "$DB" --format csv --out "$WORK/cand.csv" 2>/dev/null
expect_match "candidate land: the idle S1 parcel" 'P-LOW,09001' "$(cat "$WORK/cand.csv")"
expect_eq "candidate land: not the S3 rice land" "0" "$(grep -c 'P-HIGH' "$WORK/cand.csv")"
expect_match "totals per commune and crop" '09001,Xã Một,testcrop' "$(cat "$WORK/cand-totals.csv")"
"$NONGSAN" report candidate-land --db "$DB" --classes S1,S2,S3 --format gpkg --out "$WORK/cand.gpkg" 2>/dev/null
expect_eq "candidate-land GeoPackage: with S3, both idle and inefficient parcels" "2" \
  "$(ogrinfo -q -al "$WORK/cand.gpkg" 2>/dev/null | grep -c 'parcel (String)')"
out=$("$NONGSAN" report candidate-land --db "$DB" --classes S9 2>&1)
expect_match "a bad class is named" 'S9' "$out"

finish
