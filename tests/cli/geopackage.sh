#!/usr/bin/env bash
# The database is a GeoPackage that GIS tools open, and units travel in and out
# through the files officials use.
#
#  - ogrinfo/ogr2ogr read the demo database's admin_unit layer (Multi Polygon, 153);
#  - `export units` writes gpkg, geojson, shp, csv and xlsx that GDAL reads back;
#  - `import units` of an exported file into a fresh database (`migrate` only)
#    creates the units, and exporting them again gives the same units and parents;
#  - a broken file (invalid JSON, a feature without code, a self-intersecting
#    boundary) exits non-zero, names the feature, and stores nothing.
#
# usage: bash tests/cli/geopackage.sh <nongsan-binary> <repo-root>
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
need_tools ogrinfo ogr2ogr jq sqlite3

DB="$WORK/demo.gpkg"
log "building the demo database"
make_demo_db "$DB"

# --- the database itself is a GeoPackage ----------------------------------------
info=$(ogrinfo -ro -so "$DB" admin_unit 2>&1)
expect_eq "ogrinfo -so demo.gpkg admin_unit exits 0" "0" "$?"
expect_match "ogrinfo: admin_unit is Multi Polygon" "Geometry: Multi Polygon" "$info"
expect_match "ogrinfo: admin_unit has 153 features" "Feature Count: 153" "$info"
expect_match "ogrinfo: admin_unit is in WGS 84" 'ID\["EPSG",4326\]' "$info"

ogr2ogr -f GeoJSON "$WORK/ogr2ogr.geojson" "$DB" admin_unit >"$WORK/ogr2ogr.log" 2>&1
expect_eq "ogr2ogr converts admin_unit to GeoJSON (exit 0)" "0" "$?"
expect_eq "ogr2ogr's GeoJSON has 153 features" "153" "$(jq '.features | length' "$WORK/ogr2ogr.geojson" 2>&1)"
expect_eq "ogr2ogr's GeoJSON features carry code and a (Multi)Polygon" "153" \
  "$(jq '[.features[] | select(.properties.code != null and (.geometry.type | test("Polygon")))] | length' \
    "$WORK/ogr2ogr.geojson" 2>&1)"

# --- export units: every format is readable ----------------------------------------
for fmt in gpkg geojson shp csv; do
  out="$WORK/export/all.$fmt"
  mkdir -p "$WORK/export"
  msg=$("$NONGSAN" export units --db "$DB" --format "$fmt" --out "$out" --all 2>&1)
  expect_eq "export units --format $fmt --all exits 0" "0" "$?"
  expect_match "export units --format $fmt reports 153 units" "wrote 153 units" "$msg"
  info=$(ogrinfo -ro -al -so "$out" 2>&1)
  expect_match "ogrinfo reads the $fmt export: 153 features" "Feature Count: 153" "$info"
  expect_match "ogrinfo reads the $fmt export: a code field" $'\n''code: String' "$info"
done
expect_match "the shp export is polygons in WGS 84" "Geometry: (Multi )?Polygon" \
  "$(ogrinfo -ro -al -so "$WORK/export/all.shp" 2>&1)"
BOM=$'\xEF\xBB\xBF'
expect_match "the csv export has a header with the geometry as WKT and the code" "^($BOM)?WKT,code,name,level" \
  "$(head -n 1 "$WORK/export/all.csv")"
expect_eq "the csv export has a header and 153 rows" "154" "$(wc -l <"$WORK/export/all.csv")"
expect_match "the csv export keeps Vietnamese names in UTF-8" "Mường Tè" "$(cat "$WORK/export/all.csv")"

# xlsx: a cell holds at most 32,767 characters, so boundaries as WKT only fit for the
# communes; a layer with the province boundary is refused with a clear message.
out="$WORK/export/communes.xlsx"
msg=$("$NONGSAN" export units --db "$DB" --format xlsx --level commune --out "$out" 2>&1)
expect_eq "export units --format xlsx --level commune exits 0" "0" "$?"
expect_match "export units --format xlsx reports 38 communes" "wrote 38 units" "$msg"
info=$(ogrinfo -ro -al -so "$out" 2>&1)
expect_match "ogrinfo reads the xlsx export: 38 rows" "Feature Count: 38" "$info"
expect_match "ogrinfo reads the xlsx export: code and WKT columns" "code: String.*WKT: String" "$(tr '\n' ' ' <<<"$info")"
out="$WORK/export/province.xlsx"
msg=$("$NONGSAN" export units --db "$DB" --format xlsx --out "$out" 2>&1)
rc=$?
expect_fails "export units --format xlsx with the province boundary is refused" "$rc"
expect_match "the xlsx refusal names the feature and the reason" "feature [0-9]+, geometry: too detailed for an Excel cell" "$msg"
check "the refused xlsx export leaves no file" test ! -e "$out"
listed=$(grep -c '^  feature ' <<<"$msg")
expect_match "the xlsx refusal counts the problems it lists ($listed)" "cannot write [^:]*: $listed problem\(s\)" "$msg"

# --- import units into a fresh database ---------------------------------------------
# Fields that must survive export -> import -> export (geom_source becomes "imported").
units_of() { jq -c '.features[].properties | [.code, .name, .level, .kind, .valid_from, .valid_to, .parent_code]' "$1" | sort; }

round_trip() {  # round_trip FORMAT
  local fmt=$1 fresh="$WORK/fresh-$1.gpkg" msg rc
  "$NONGSAN" migrate --db "$fresh" >/dev/null 2>&1 || abort "migrate creates a fresh database"
  expect_eq "a fresh database has no units" "0" "$(sqlite3 "$fresh" 'SELECT count(*) FROM admin_unit')"
  msg=$("$NONGSAN" import units --db "$fresh" "$WORK/export/all.$fmt" 2>&1)
  rc=$?
  if [[ $rc != 0 ]]; then
    mapfile -t lines <<<"$msg"
    fail "import units of the exported $fmt into a fresh database exits 0 (got $rc)" "${lines[@]:0:8}"
    return
  fi
  pass "import units of the exported $fmt into a fresh database exits 0"
  expect_match "import units of the exported $fmt creates 153 units" "created 153," "$msg"
  expect_eq "the imported units have their boundaries ($fmt)" "153" \
    "$(sqlite3 "$fresh" 'SELECT count(*) FROM admin_unit WHERE geom IS NOT NULL')"
  expect_eq "the imported units are linked to their parents ($fmt): parent links" \
    "$(sqlite3 "$DB" 'SELECT count(*) FROM admin_unit_link')" "$(sqlite3 "$fresh" 'SELECT count(*) FROM admin_unit_link')"
  "$NONGSAN" export units --db "$fresh" --format geojson --all --out "$WORK/again-$fmt.geojson" >/dev/null 2>&1
  local a="$WORK/units-before.txt" b="$WORK/units-again-$fmt.txt"
  units_of "$WORK/export/all.geojson" >"$a"
  units_of "$WORK/again-$fmt.geojson" >"$b"
  if diff -q "$a" "$b" >/dev/null; then
    pass "export -> import ($fmt) -> export keeps codes, names, levels, dates and parents"
  else
    mapfile -t lines < <(echo "$(diff "$a" "$b" | grep -c '^<') of 153 units differ; first ones, before / after:"
      paste -d '\n' <(diff "$a" "$b" | grep '^<' | head -n 3) <(diff "$a" "$b" | grep '^>' | head -n 3))
    fail "export -> import ($fmt) -> export keeps codes, names, levels, dates and parents" "${lines[@]}"
  fi
}
log "import of the GeoJSON export"
round_trip geojson
log "import of the GeoPackage export"
round_trip gpkg

# --- broken files store nothing ----------------------------------------------------------
FRESH="$WORK/fresh-broken.gpkg"
"$NONGSAN" migrate --db "$FRESH" >/dev/null 2>&1 || abort "migrate creates a fresh database"
square() { echo "{\"type\":\"Polygon\",\"coordinates\":[[[$1,$2],[$(($1 + 1)),$2],[$(($1 + 1)),$(($2 + 1))],[$1,$(($2 + 1))],[$1,$2]]]}"; }
good1="{\"type\":\"Feature\",\"properties\":{\"code\":\"90\",\"name\":\"Tỉnh Thử\",\"level\":\"province\",\"kind\":\"Tỉnh\",\"valid_from\":\"2020-01-01\"},\"geometry\":$(square 102 21)}"
good2="{\"type\":\"Feature\",\"properties\":{\"code\":\"90001\",\"name\":\"Xã Một\",\"level\":\"commune\",\"kind\":\"Xã\",\"valid_from\":\"2020-01-01\",\"parent_code\":\"90\"},\"geometry\":$(square 102 21)}"
nocode="{\"type\":\"Feature\",\"properties\":{\"code\":\"\",\"name\":\"Xã Không Mã\",\"level\":\"commune\",\"kind\":\"Xã\",\"valid_from\":\"2020-01-01\",\"parent_code\":\"90\"},\"geometry\":$(square 102 21)}"
nokey="{\"type\":\"Feature\",\"properties\":{\"name\":\"Xã Thiếu Mã\",\"level\":\"commune\",\"kind\":\"Xã\",\"valid_from\":\"2020-01-01\",\"parent_code\":\"90\"},\"geometry\":$(square 102 21)}"
bowtie="{\"type\":\"Feature\",\"properties\":{\"code\":\"90002\",\"name\":\"Xã Nơ\",\"level\":\"commune\",\"kind\":\"Xã\",\"valid_from\":\"2020-01-01\",\"parent_code\":\"90\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[102,21],[103,22],[103,21],[102,22],[102,21]]]}}"
fc() { local IFS=,; echo "{\"type\":\"FeatureCollection\",\"features\":[$*]}"; }

fc "$good1" "$good2" >"$WORK/good.geojson"
printf '{"type":"FeatureCollection","features":[%s,{"type":"Feature",' "$good1" >"$WORK/invalid.geojson"
fc "$good1" "$good2" "$nocode" >"$WORK/nocode.geojson"
fc "$good1" "$nokey" "$good2" >"$WORK/nokey.geojson"
fc "$good1" "$good2" "$bowtie" >"$WORK/bowtie.geojson"

broken() {  # broken DESCRIPTION FILE EXPECTED-REGEX
  local msg rc
  msg=$("$NONGSAN" import units --db "$FRESH" "$2" 2>&1)
  rc=$?
  expect_fails "import of $1 exits non-zero" "$rc" "$msg"
  expect_match "import of $1 says what is wrong" "$3" "$msg"
  expect_eq "import of $1 stores nothing" "0" "$(sqlite3 "$FRESH" 'SELECT count(*) FROM admin_unit')"
}
broken "invalid JSON" "$WORK/invalid.geojson" "invalid\.geojson.*(JSON|GeoJSON)"
broken "a feature with an empty code" "$WORK/nocode.geojson" "feature 3, code: is empty"
broken "a feature without a code property" "$WORK/nokey.geojson" "feature 2, code"
broken "a self-intersecting boundary" "$WORK/bowtie.geojson" "feature 3, geometry: is not valid"

msg=$("$NONGSAN" import units --db "$FRESH" "$WORK/good.geojson" 2>&1)
expect_eq "the same features without the broken one import (exit 0)" "0" "$?"
expect_eq "... and create the two units with the commune under the province" "90001|90" \
  "$(sqlite3 "$FRESH" 'SELECT c.code, p.code FROM admin_unit_link l JOIN admin_unit c ON c.id = l.child_id JOIN admin_unit p ON p.id = l.parent_id')"

finish
