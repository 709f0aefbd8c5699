# Area codes from the command line, on a database holding nothing but the imports
# (`nongsan migrate`, no administrative units): producers, parcels in VN-2000 (EPSG:9205,
# whole metres, so their areas are exact), codes and seasons; `check codes` compared
# with the rules of docs/area-codes.md computed here independently, at the edges
# (1 ha exactly, 10 % exactly, just over). Also: a bad file stores nothing and names
# line and column; a re-import changes nothing and does not lift the system's
# suspension; `check codes` exits 0.
#
# usage: bash tests/cli/areacode_cli.sh <nongsan-binary> <repo-root>
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
need_tools sqlite3 python3
DB="$WORK/codes.gpkg"
cd "$WORK" || abort "work folder"

cat >producers.csv <<'CSV'
external_id,kind,name,commune_code
HTX1,cooperative,HTX chè Thử Nghiệm,
HH1,household,Lò Văn A,
CSV
# id,width,height in metres: the expected areas come from these numbers only.
cat >sizes.txt <<'TXT'
P1 100 100
P2 100 50
P3 100 99.99
P4 30 30
P5 100 150
P6 40 25
TXT
python3 - <<'PY'
rows = ["id,wkt"]
x = 520000
for line in open("sizes.txt"):
    pid, w, h = line.split(); w = float(w); h = float(h)
    rows.append(f'{pid},"POLYGON(({x} 2470000,{x+w} 2470000,{x+w} {2470000+h},{x} {2470000+h},{x} 2470000))"')
    x += 300
open("parcels.csv", "w").write("\n".join(rows) + "\n")
PY
cat >codes.csv <<'CSV'
code,kind,holder,crop,standard,parcels,issued,status,facility,capacity_t_per_day
VN-DTOR-0017,area,HTX1,tea,VietGAP,P1;P2,2024-03-01,issued,,
VN-12-106-03424-001-24,area,HH1,tea,VietGAP,P3,2024-03-01,issued,,
VN-12-106-03424-002-24,area,HH1,maize,VietGAP,P4,2024-03-01,issued,,
VN-12-000-03390-001-25,area,HTX1,macadamia,hữu cơ,P5,2025-08-01,issued,,
VN-12-000-03390-002-25,area,HH1,rice,VietGAP,P6,2025-08-01,cancelled,,
VN-DTPH-0001,packing_house,HTX1,tea,,,2024-03-01,issued,Xưởng sơ chế chè,12.5
CSV
cat >seasons.csv <<'CSV'
code,season,crop,variety,area_ha,expected_kg,harvest_from,harvest_to,actual_kg
VN-DTOR-0017,2024,tea,Kim Tuyên,1.65,20000,2024-03-01,2024-11-30,18000
VN-DTOR-0017,2025,tea,Kim Tuyên,1.6501,20000,2025-03-01,2025-11-30,
VN-DTOR-0017,2026,tea,Kim Tuyên,1.35,20000,2026-03-01,2026-11-30,
VN-12-000-03390-001-25,2025,macadamia,OC,1.3499,3000,2025-08-01,2025-10-30,
VN-12-000-03390-001-25,2026,macadamia,OC,1.35,3000,2026-08-01,2026-10-30,
VN-12-106-03424-002-24,2025-xuan,maize,,0.09,500,2025-06-01,2025-07-15,
VN-12-000-03390-002-25,2025,rice,,3,500,2025-06-01,2025-07-15,
CSV

out=$("$NONGSAN" migrate --db "$DB" 2>&1) || abort "migrate" "$out"
expect_eq "no administrative units" 0 "$(sqlite3 "$DB" 'SELECT count(*) FROM admin_unit')"
check "import producers" "$NONGSAN" import producers --db "$DB" producers.csv
check "import parcels (EPSG:9205)" "$NONGSAN" import parcels --db "$DB" --crs 9205 parcels.csv

# A bad file: every problem by line and column; nothing stored.
cat >bad.csv <<'CSV'
code,kind,holder,crop,standard,parcels,issued,status
VN-DTOR-0018,area,HTX1,tea,VietGAP,P1,2024-03-01,issued
VN-DTOR-17,area,NOPE,coffee,,P9,31/02/2024,active
VN-DTOR-0018,packing_house,HTX1,,,,2024-01-01,issued
CSV
out=$("$NONGSAN" import area-codes --db "$DB" bad.csv 2>&1)
expect_fails "a bad codes file is refused" $? "$out"
for m in "line 3, column code" "line 3, column holder" "line 3, column crop" "line 3, column parcels" \
         "line 3, column issued" "line 3, column status" "line 4, column code: is neither" "line 4, column facility"; do
  expect_match "the error names $m" "$m" "$out"
done
expect_eq "nothing stored" 0 "$(sqlite3 "$DB" 'SELECT count(*) FROM area_code')"
cat >bad_cols.csv <<'CSV'
code,kind,holder,crop,standard,parcels,issued,colour
CSV
out=$("$NONGSAN" import area-codes --db "$DB" bad_cols.csv 2>&1)
expect_fails "unknown and missing columns are refused" $? "$out"
expect_match "names the unknown column" "column colour: is not a column" "$out"
expect_match "names the missing column" "column status: is missing" "$out"

out=$("$NONGSAN" import area-codes --db "$DB" codes.csv 2>&1)
expect_match "import area-codes" "created 6, updated 0, unchanged 0" "$out"
out=$("$NONGSAN" import code-seasons --db "$DB" seasons.csv 2>&1)
expect_match "import code-seasons" "created 7, updated 0, unchanged 0" "$out"
printf 'code,season,crop,variety,area_ha,expected_kg,harvest_from,harvest_to,actual_kg\nVN-DTOR-0017,2027,rice,,1,1,2027-02-01,2027-01-01,x\n' >bad_seasons.csv
out=$("$NONGSAN" import code-seasons --db "$DB" bad_seasons.csv 2>&1)
expect_fails "a bad seasons file is refused" $? "$out"
expect_match "season crop named" "line 2, column crop: must be the code's crop \(tea\)" "$out"
expect_match "harvest window named" "line 2, column harvest_to: is before harvest_from" "$out"
expect_match "actual named" "line 2, column actual_kg" "$out"

# The expected findings, computed here from sizes.txt and the files.
python3 - >expected.csv <<'PY'
import csv
area = {l.split()[0]: float(l.split()[1]) * float(l.split()[2]) / 1e4 for l in open("sizes.txt")}
perennial = {"tea": True, "macadamia": True, "maize": False, "rice": False}
codes = {r["code"]: r for r in csv.DictReader(open("codes.csv"))}
rows = []
for code, r in sorted(codes.items()):
    if r["kind"] != "area" or r["status"] not in ("issued", "suspended"): continue
    reg = sum(area[p] for p in r["parcels"].split(";"))
    if reg < (1.0 if perennial[r["crop"]] else 0.1) - 1e-12: rows.append(("below_minimum", code, ""))
    seasons = sorted((s for s in csv.DictReader(open("seasons.csv")) if s["code"] == code), key=lambda s: (s["harvest_from"], s["season"]))
    for s in seasons:
        if abs(float(s["area_ha"]) - reg) > 0.10 * reg + 1e-9: rows.append(("area_mismatch", code, s["season"]))
print("finding,code,season")
for f in rows: print(",".join(f))
PY
"$NONGSAN" check codes --db "$DB" --no-suspend --out found.csv 2>/dev/null
expect_eq "check codes --no-suspend exits 0" 0 $?
cut -d, -f1-3 found.csv >found3.csv
expect_eq "the findings are those of the rules, row for row" "$(cat expected.csv)" "$(cat found3.csv)"
expect_eq "nothing suspended by --no-suspend" 0 "$(sqlite3 "$DB" "SELECT count(*) FROM area_code WHERE status = 'suspended'")"

out=$("$NONGSAN" check codes --db "$DB" --format json 2>&1 >found.json)
expect_eq "check codes exits 0" 0 $?
expect_match "two codes suspended (below_minimum is serious)" "2 codes suspended" "$out"
expect_eq "suspended by the system, pending review" "VN-12-106-03424-001-24|1|1
VN-12-106-03424-002-24|1|1" "$(sqlite3 "$DB" "SELECT a.code, a.pending_review, s.by_system FROM area_code a JOIN area_code_step s ON s.code_id = a.id AND s.action = 'suspend' ORDER BY a.code")"
expect_eq "audited" 2 "$(sqlite3 "$DB" "SELECT count(*) FROM audit_log WHERE entity = 'area_code' AND action = 'suspend'")"
out=$("$NONGSAN" check codes --db "$DB" 2>&1 >/dev/null)
expect_match "a second check suspends nothing more" "0 codes suspended" "$out"
out=$("$NONGSAN" import area-codes --db "$DB" codes.csv 2>&1)
expect_match "a re-import changes nothing" "created 0, updated 0, unchanged 6" "$out"
out=$("$NONGSAN" import code-seasons --db "$DB" seasons.csv 2>&1)
expect_match "a seasons re-import changes nothing" "created 0, updated 0, unchanged 7" "$out"
expect_eq "the suspensions stand" 2 "$(sqlite3 "$DB" "SELECT count(*) FROM area_code WHERE status = 'suspended'")"
finish
