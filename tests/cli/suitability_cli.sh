#!/usr/bin/env bash
# `nongsan suitability evaluate` as a new user runs it: small rasters made with
# numpy + GDAL, every output cell compared with an independent numpy implementation
# of the rules (tests/cli/lib/suitability_ref.py):
#  - the issue's macadamia example with values exactly on interval ends, nodata,
#    for the three methods (class, limiting factor, index);
#  - layers on mixed grids and CRSs: elevation in VN-2000 / TM-3 103-00
#    (EPSG:9205), the soil codes in WGS 84 (EPSG:4326), rainfall on a coarser
#    UTM 48N grid; slope and aspect derived from elevation by GDAL's DEM processing;
#    a layer without nodata that covers part of the grid;
#  - a shipped profile (--crop rice_paddy, with its advisory factor);
#  - clear errors: missing layer, unreadable raster, raster without CRS, profile
#    errors with their JSON path, unknown method, no database touched.
#
# usage: bash tests/cli/suitability_cli.sh <nongsan-binary> <repo-root>
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
PY=/usr/bin/python3
export NONGSAN  # for the Python checks that run the binary
REF="$REPO/tests/cli/lib/suitability_ref.py"
$PY -c 'import numpy; from osgeo import gdal' 2>/dev/null || abort "Debian's python3-numpy and python3-gdal are installed"

cd "$WORK" || abort "cd $WORK"
log "making rasters"
$PY - <<'EOF' || abort "test rasters are made"
import numpy as np
from osgeo import gdal, osr
gdal.UseExceptions()
rng = np.random.default_rng(5)

def write(path, arr, epsg, gt, nodata=None, dtype=gdal.GDT_Float32):
    d = gdal.GetDriverByName("GTiff").Create(path, arr.shape[1], arr.shape[0], 1, dtype)
    d.SetGeoTransform(gt)
    if epsg:
        s = osr.SpatialReference(); s.ImportFromEPSG(epsg); d.SetProjection(s.ExportToWkt())
    b = d.GetRasterBand(1)
    if nodata is not None:
        b.SetNoDataValue(nodata)
    b.WriteArray(arr)

# 1. the issue's example on one grid: values on interval ends, nodata
H, W = 120, 150
gt = (520000, 30, 0, 2470000, 0, -30)
edges = np.array([150, 200, 399.5, 400, 599.9999, 600, 800, 999.99, 1000, 1300, 1600, 1700], np.float32)
elev = np.where(rng.random((H, W)) < 0.5, rng.choice(edges, (H, W)), rng.uniform(0, 1800, (H, W))).astype(np.float32)
elev[rng.random((H, W)) < 0.01] = -9999
write("elev.tif", elev, 9205, gt, -9999)
soil = rng.integers(0, 9, (H, W)).astype(np.int16)  # 0 is nodata
write("soil.tif", soil, 9205, gt, 0, gdal.GDT_Int16)
write("soil_nocrs.tif", soil, None, gt, 0, gdal.GDT_Int16)

# 2. mixed grids: a smooth DEM in EPSG:9205, soil in EPSG:4326, rainfall in UTM 48N
y, x = np.mgrid[0:H, 0:W]
dem = (900 + 500 * np.sin(x / 23.0) * np.cos(y / 17.0) + 3 * rng.random((H, W))).astype(np.float32)
dem[5, 7] = -9999
write("dem.tif", dem, 9205, gt, -9999)
# the DEM's extent in WGS 84, padded
src = osr.SpatialReference(); src.ImportFromEPSG(9205)
dst = osr.SpatialReference(); dst.ImportFromEPSG(4326)
dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER); src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
ct = osr.CoordinateTransformation(src, dst)
pts = [ct.TransformPoint(gt[0] + gt[1] * i, gt[3] + gt[5] * j) for i in (0, W) for j in (0, H)]
lon0, lon1 = min(p[0] for p in pts) - 0.005, max(p[0] for p in pts) + 0.005
lat0, lat1 = min(p[1] for p in pts) - 0.005, max(p[1] for p in pts) + 0.005
res = 0.0004
sw, sh = int((lon1 - lon0) / res) + 1, int((lat1 - lat0) / res) + 1
soil84 = rng.integers(1, 9, (sh, sw)).astype(np.int16)
soil84[rng.random((sh, sw)) < 0.02] = -1
write("soil84.tif", soil84, 4326, (lon0, res, 0, lat1, 0, -res), -1, gdal.GDT_Int16)
src.ImportFromEPSG(9205); u = osr.SpatialReference(); u.ImportFromEPSG(32648)
u.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
ct2 = osr.CoordinateTransformation(src, u)
pts = [ct2.TransformPoint(gt[0] + gt[1] * i, gt[3] + gt[5] * j) for i in (0, W) for j in (0, H)]
ux0, ux1 = min(p[0] for p in pts) - 500, max(p[0] for p in pts) + 500
uy0, uy1 = min(p[1] for p in pts) - 500, max(p[1] for p in pts) + 500
uw, uh = int((ux1 - ux0) / 100) + 1, int((uy1 - uy0) / 100) + 1
rain = rng.uniform(900, 3200, (uh, uw)).astype(np.float32)
rain[rng.random((uh, uw)) < 0.01] = -9999
write("rain_utm.tif", rain, 32648, (ux0, 100, 0, uy1, 0, -100), -9999)
# rice_paddy's layers on the DEM grid (water_availability 1..4, texture 1..16, drainage 1..7)
for name, lo, hi in (("tmean_season", 12, 36), ("soil_depth", 10, 250), ("ph", 4, 9), ("rainfall", 900, 4000)):
    write(name + ".tif", rng.uniform(lo, hi, (H, W)).astype(np.float32), 9205, gt, -9999)
for name, hi in (("water_availability", 4), ("texture", 16), ("drainage", 7)):
    write(name + ".tif", rng.integers(1, hi + 1, (H, W)).astype(np.uint8), 9205, gt, 0, gdal.GDT_Byte)
open("not_a_raster.tif", "w").write("hello")
# soil codes without a nodata value covering the left 60 columns only (another grid)
write("soil_left.tif", np.full((H * 2, 120), 3, np.int16), 9205, (520000, 15, 0, 2470000, 0, -15), None, gdal.GDT_Int16)
EOF

cat >macadamia.json <<'EOF'
{ "crop": "macadamia", "name_vi": "Mắc ca", "method": "limiting",
  "factors": [
    { "layer": "elevation", "type": "continuous",
      "S1": [[600, 1000]], "S2": [[400, 600], [1000, 1300]], "S3": [[200, 400], [1300, 1600]] },
    { "layer": "soil_group", "type": "categorical", "S1": [3, 5], "S2": [2], "S3": [1, 7] } ],
  "class_thresholds": [75, 50, 25],
  "ratings": { "elevation": [[200, 30], [600, 100], [1000, 100], [1600, 30]] } }
EOF
cat >terrain.json <<'EOF'
{ "crop": "terrain_test", "method": "square_root",
  "factors": [
    { "layer": "elevation", "type": "continuous", "S1": [[700, 1100]], "S2": [[500, 700], [1100, 1300]], "S3": [[300, 1500]] },
    { "layer": "slope", "type": "continuous", "S1": [[0, 8]], "S2": [[8, 15]], "S3": [[15, 25]] },
    { "layer": "soil_group", "type": "categorical", "S1": [3, 4], "S2": [2, 5], "S3": [1, 6] },
    { "layer": "rainfall", "type": "continuous", "S1": [[1400, 2500]], "S2": [[1100, 3000]], "S3": [[900, 3200]] } ],
  "class_thresholds": [70, 45, 20],
  "ratings": { "elevation": [[300, 10], [700, 100], [1100, 100], [1500, 10]],
               "slope": [[0, 100], [8, 85], [15, 60], [25, 30], [35, 0]],
               "rainfall": [[900, 20], [1400, 100], [2500, 100], [3200, 20]] } }
EOF

# run_and_compare DESCRIPTION PROFILE METHOD LAYER...
run_and_compare() {
  local desc=$1 profile=$2 method=$3
  shift 3
  local out
  if ! out=$("$NONGSAN" suitability evaluate --profile "$profile" --method "$method" --out c.tif --limiting l.tif \
    --index i.tif --threads 2 -q "${@/#/--layer=}" 2>&1); then
    fail "$desc: evaluate runs" "$out"
    return
  fi
  if out=$($PY "$REF" "$profile" "$method" c.tif l.tif i.tif "$@" 2>&1); then
    pass "$desc: every cell equals the reference ($out)"
  else
    fail "$desc: every cell equals the reference" "$out"
  fi
}

log "the issue's example, one grid"
for m in limiting storie square_root; do
  run_and_compare "example, $m" macadamia.json $m elevation=elev.tif soil_group=soil.tif
done

log "one point, as the map shows it on a click"
"$NONGSAN" suitability evaluate --profile macadamia.json --method storie --layer elevation=elev.tif \
  --layer soil_group=soil.tif --out c.tif --index i.tif -q >/dev/null 2>&1
check "suitability point gives the class, limiting factor and index of the evaluated cell, for 20 cells" $PY - <<'EOF'
import json, subprocess, os
import numpy as np
from osgeo import gdal, osr
gdal.UseExceptions()
ds = gdal.Open("c.tif"); cls = ds.ReadAsArray(); idx = gdal.Open("i.tif").ReadAsArray(); gt = ds.GetGeoTransform()
src = osr.SpatialReference(); src.ImportFromWkt(ds.GetProjection()); src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
wgs = osr.SpatialReference(); wgs.ImportFromEPSG(4326); wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
ct = osr.CoordinateTransformation(src, wgs)
rng = np.random.default_rng(3)
for row, col in zip(rng.integers(0, cls.shape[0], 20), rng.integers(0, cls.shape[1], 20)):
    lon, lat, _ = ct.TransformPoint(gt[0] + (col + 0.5) * gt[1], gt[3] + (row + 0.5) * gt[5])
    out = subprocess.run([os.environ["NONGSAN"], "suitability", "point", "--profile", "macadamia.json", "--method",
                          "storie", "--layer", "elevation=elev.tif", "--layer", "soil_group=soil.tif",
                          "--lon", repr(lon), "--lat", repr(lat)], capture_output=True, text=True, check=True)
    j = json.loads(out.stdout)
    assert j["class_code"] == cls[row, col], (row, col, j, cls[row, col])
    if j["index"] is None:
        assert np.isnan(idx[row, col]), (row, col, j)
    else:
        assert np.float32(j["index"]) == idx[row, col], (row, col, j["index"], idx[row, col])
    assert len(j["factors"]) == 2 and j["factors"][1]["layer"] == "soil_group"
EOF
err=$("$NONGSAN" suitability point --profile macadamia.json --layer elevation=elev.tif --lon 103 --lat 22 2>&1)
expect_match "suitability point names a missing layer" "needs layer 'soil_group'" "$err"

log "mixed grids and CRSs, derived slope"
for m in limiting storie square_root; do
  run_and_compare "EPSG:9205 DEM + EPSG:4326 soil + UTM 48N rainfall + derived slope, $m" terrain.json $m \
    elevation=dem.tif soil_group=soil84.tif rainfall=rain_utm.tif
done
cat >aspect.json <<'EOF'
{ "crop": "aspect_test", "factors": [
    { "layer": "aspect", "type": "continuous", "S1": [[90, 270]], "S2": [[45, 90], [270, 315]], "S3": [[0, 45], [315, 360]] },
    { "layer": "elevation", "type": "continuous", "S1": [[0, 5000]] } ] }
EOF
run_and_compare "aspect derived from elevation, limiting" aspect.json limiting elevation=dem.tif
out=$("$NONGSAN" suitability evaluate --profile terrain.json --layer elevation=dem.tif --layer soil_group=soil84.tif \
  --layer rainfall=rain_utm.tif --out c.tif -q 2>&1)
expect_match "notes say which layers were warped and derived" "soil_group' put on the grid.*nearest" "$out"
expect_match "slope is derived from elevation" "slope derived from the elevation layer" "$out"
out=$("$NONGSAN" suitability evaluate --profile macadamia.json --layer elevation=dem.tif --layer soil_group=soil_left.tif \
  --out c.tif -q --json 2>/dev/null | $PY -c "import json,sys; j=json.load(sys.stdin); print(j['classes'][0]['cells'])")
expect_eq "cells a layer without nodata does not cover are nodata (1 DEM nodata cell + 90 columns)" \
  "$((90 * 120 + 1))" "$out"
crs=$(gdalsrsinfo -o epsg c.tif 2>/dev/null | tr -d '[:space:]')
expect_eq "the output is on the first layer's CRS" "EPSG:9205" "$crs"

log "a shipped profile"
"$NONGSAN" suitability profiles --crop rice_paddy >rice.json 2>/dev/null
check "suitability profiles --crop prints one profile" $PY -c "import json; assert json.load(open('rice.json'))['crop'] == 'rice_paddy'"
LAYERS=(elevation=dem.tif tmean_season=tmean_season.tif water_availability=water_availability.tif
  soil_depth=soil_depth.tif ph=ph.tif texture=texture.tif drainage=drainage.tif)
for m in limiting storie; do
  run_and_compare "shipped rice_paddy (advisory rainfall not needed), $m" rice.json $m "${LAYERS[@]}"
done
out=$("$NONGSAN" suitability evaluate --crop rice_paddy --json --out c.tif -q "${LAYERS[@]/#/--layer=}" 2>/dev/null)
total=$(echo "$out" | $PY -c "import json,sys; j=json.load(sys.stdin); print(sum(c['cells'] for c in j['classes']))")
expect_eq "--crop uses the shipped profile; --json counts every cell" "18000" "$total"

log "errors"
err=$("$NONGSAN" suitability evaluate --profile macadamia.json --layer elevation=elev.tif --out c.tif 2>&1)
expect_fails "a missing layer is an error" $?
expect_match "... naming the layer" "needs layer 'soil_group'.*--layer soil_group=RASTER" "$err"
err=$("$NONGSAN" suitability evaluate --profile macadamia.json --layer elevation=elev.tif --layer soil_group=nowhere.tif \
  --out c.tif 2>&1)
expect_fails "a missing raster file is an error" $?
expect_match "... naming the layer and the file" "soil_group' \(nowhere.tif\).*no such file" "$err"
err=$("$NONGSAN" suitability evaluate --profile macadamia.json --layer elevation=elev.tif \
  --layer soil_group=not_a_raster.tif --out c.tif 2>&1)
expect_fails "an unreadable raster is an error" $?
expect_match "... naming it" "cannot read raster 'not_a_raster.tif'" "$err"
err=$("$NONGSAN" suitability evaluate --profile macadamia.json --layer elevation=elev.tif \
  --layer soil_group=soil_nocrs.tif --out c.tif 2>&1)
expect_fails "a raster without CRS among rasters with one is an error" $?
expect_match "... saying so" "soil_nocrs.tif\) has no CRS while the first layer is in EPSG:9205" "$err"
err=$("$NONGSAN" suitability evaluate --profile macadamia.json --method fuzzy --layer elevation=elev.tif \
  --layer soil_group=soil.tif --out c.tif 2>&1)
expect_fails "an unknown method is an error" $?
expect_match "... listing the methods" "'fuzzy' is not one of limiting, storie, square_root" "$err"
$PY -c "
import json; p = json.load(open('macadamia.json'))
p['factors'][0]['S2'][1] = [1300, 1000]; p['factors'][1]['S1'] = ['loam']; p['class_thresholds'] = [25, 50, 75]
json.dump(p, open('broken.json', 'w'))"
err=$("$NONGSAN" suitability evaluate --profile broken.json --layer elevation=elev.tif --layer soil_group=soil.tif \
  --out c.tif 2>&1)
expect_fails "a broken profile is an error" $?
expect_match "... with the JSON path of the interval" "factors\[0\]\.S2\[1\]: interval low must be < high" "$err"
expect_match "... of the code" "factors\[1\]\.S1\[0\]: must be an integer code" "$err"
expect_match "... of the thresholds" "class_thresholds: must be in descending order" "$err"
$PY -c "
import json; p = json.load(open('macadamia.json')); del p['ratings']; json.dump(p, open('noratings.json', 'w'))"
err=$("$NONGSAN" suitability evaluate --profile noratings.json --method storie --layer elevation=elev.tif \
  --layer soil_group=soil.tif --out c.tif 2>&1)
expect_fails "a parametric method without rating curves is an error" $?
expect_match "... naming the curve" "ratings.elevation: is required by the storie method" "$err"
"$NONGSAN" suitability evaluate --profile noratings.json --layer elevation=elev.tif --layer soil_group=soil.tif \
  --out c.tif -q >/dev/null 2>&1
expect_eq "... but the same profile evaluates with the limiting method" "0" "$?"
echo '{"crop": ' >bad.json
err=$("$NONGSAN" suitability evaluate --profile bad.json --layer elevation=elev.tif --out c.tif 2>&1)
expect_fails "a profile that is not JSON is an error" $?
expect_match "... saying so" "is not valid JSON" "$err"
rm -f x.tif
err=$("$NONGSAN" suitability evaluate --profile macadamia.json --layer elevation=elev.tif --layer soil_group=soil84.tif \
  --layer soil_group=soil.tif --out x.tif 2>&1)
expect_fails "a layer given twice is an error" $?
[[ ! -e x.tif ]] && pass "no output is left behind after an error" || fail "no output is left behind after an error"
ls ./*.gpkg nongsan* >/dev/null 2>&1 && fail "no database is created" "$(ls)" || pass "no database is created"

finish
