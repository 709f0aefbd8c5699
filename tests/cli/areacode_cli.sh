# Area codes from the command line, on a database holding nothing but the imports
# (`nongsan migrate`, no administrative units): producers, parcels in VN-2000 (EPSG:9205,
# whole metres, so their areas are exact), codes and seasons; `check codes` compared
# with the rules of docs/area-codes.md computed here independently, at the edges
# (1 ha exactly, 10 % exactly, just over; 60 days without a diary entry exactly, the
# ceiling of the plausible yield exactly, just over), with diary entries, a banned
# pesticide and an EPCIS event naming a code. Also: a bad file stores nothing and names
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

# The diary: entries on the codes' parcels (P1, P2: VN-DTOR-0017; P5: the macadamia code).
# 2024: never more than 60 days without an entry; a harvest of exactly the ceiling
# (1.65 ha x 25000 kg). 2025: 61 days without one, a spray of a banned ingredient, a
# harvest 1 kg over the ceiling (1.6501 ha). P6 (a cancelled code) has a ban: no finding.
cat >products.csv <<'CSV'
product,name,active_ingredients,registered_from,registered_to
CARB,Carbendazim 50SC,carbendazim,2015-01-01,
ABA,Abamectin,abamectin,2015-01-01,
CSV
cat >status.csv <<'CSV'
active_ingredient,status,from
carbendazim,banned,2025-01-01
CSV
cat >diary.csv <<'CSV'
entry,parcel,date,kind,product,dose_per_ha,quantity_kg,lot
D01,P1,2024-03-01,observation,,,,
D02,P2,2024-04-30,spray,ABA,0.3,,
D03,P1,2024-06-29,harvest,,,41250,L24
D04,P2,2024-08-28,observation,,,,
D05,P1,2024-10-27,observation,,,,
D06,P1,2024-11-30,observation,,,,
D07,P1,2025-03-01,observation,,,,
D08,P2,2025-05-02,spray,CARB,0.5,,
D09,P1,2025-07-01,harvest,,,41253,L25
D10,P1,2025-08-30,observation,,,,
D11,P1,2025-10-29,observation,,,,
D13,P6,2025-06-10,spray,CARB,0.5,,
D14,P5,2025-08-01,observation,,,,
D15,P5,2025-09-15,harvest,,,6000,LM25
CSV
# An EPCIS event naming the macadamia code (a top-level extension field), 6750 kg:
# over 1.3499 ha x 5000 kg while the diary's harvest (6000 kg) is not.
cat >events.jsonld <<'JSON'
{"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", {"ns": "https://nongsan.vn/epcis/"}],
 "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2025-10-02T00:00:00Z",
 "epcisBody": {"eventList": [
  {"type": "ObjectEvent", "eventTime": "2025-10-01T08:00:00+07:00", "eventTimeZoneOffset": "+07:00",
   "action": "OBSERVE", "bizStep": "shipping",
   "quantityList": [{"epcClass": "urn:epc:class:lgtin:4012345.012345.LM25", "quantity": 6750, "uom": "KGM"}],
   "ns:areaCode": "VN-12-000-03390-001-25"},
  {"type": "ObjectEvent", "eventTime": "2025-10-02T08:00:00+07:00", "eventTimeZoneOffset": "+07:00",
   "action": "OBSERVE", "bizStep": "shipping",
   "quantityList": [{"epcClass": "urn:epc:class:lgtin:4012345.012345.LX", "quantity": 99999, "uom": "KGM"}],
   "ns:areaCode": "VN-DTPH-0001"}]}}
JSON

out=$("$NONGSAN" migrate --db "$DB" 2>&1) || abort "migrate" "$out"
expect_eq "no administrative units" 0 "$(sqlite3 "$DB" 'SELECT count(*) FROM admin_unit')"
check "import producers" "$NONGSAN" import producers --db "$DB" producers.csv
check "import parcels (EPSG:9205)" "$NONGSAN" import parcels --db "$DB" --crs 9205 parcels.csv
check "import pesticide-products" "$NONGSAN" import pesticide-products --db "$DB" products.csv
check "import pesticide-status" "$NONGSAN" import pesticide-status --db "$DB" status.csv
check "import diary" "$NONGSAN" import diary --db "$DB" diary.csv
out=$("$NONGSAN" --db "$DB" epcis capture events.jsonld 2>&1)
expect_match "epcis capture" "captured 2" "$out"

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
import csv, datetime as dt, json
area = {l.split()[0]: float(l.split()[1]) * float(l.split()[2]) / 1e4 for l in open("sizes.txt")}
perennial = {"tea": True, "macadamia": True, "maize": False, "rice": False}
max_yield = {"tea": 25000, "macadamia": 5000, "maize": 12000, "rice": 9000}  # data/areacodes/crops.json
banned_from = {r["active_ingredient"]: r["from"] for r in csv.DictReader(open("status.csv")) if r["status"] == "banned"}
ingredients = {r["product"]: r["active_ingredients"] for r in csv.DictReader(open("products.csv"))}
diary = list(csv.DictReader(open("diary.csv")))
events = []
for e in json.load(open("events.jsonld"))["epcisBody"]["eventList"]:
    events.append((e["ns:areaCode"], e["eventTime"][:10], sum(q["quantity"] for q in e["quantityList"] if q["uom"] == "KGM")))
today = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=7)).date()
day = dt.date.fromisoformat
codes = {r["code"]: r for r in csv.DictReader(open("codes.csv"))}
rows = []
for code, r in sorted(codes.items()):
    if r["kind"] != "area" or r["status"] not in ("issued", "suspended"): continue
    parcels = r["parcels"].split(";")
    reg = sum(area[p] for p in parcels)
    if reg < (1.0 if perennial[r["crop"]] else 0.1) - 1e-12: rows.append(("below_minimum", code, ""))
    seasons = sorted((s for s in csv.DictReader(open("seasons.csv")) if s["code"] == code), key=lambda s: (s["harvest_from"], s["season"]))
    for s in seasons:
        if abs(float(s["area_ha"]) - reg) > 0.10 * reg + 1e-9: rows.append(("area_mismatch", code, s["season"]))
    mine = [e for e in diary if e["parcel"] in parcels]
    inside = lambda s, d: s["harvest_from"] <= d <= s["harvest_to"]
    for s in seasons:  # diary_gap: a day-by-day count of the days without an entry
        start, end = day(s["harvest_from"]), min(day(s["harvest_to"]), today)
        if end < start: continue
        dates = {day(e["date"]) for e in mine if inside(s, e["date"])}
        run = longest = 0
        d = start
        while d <= end:
            run = 0 if d in dates else run + 1
            longest = max(longest, run)
            d += dt.timedelta(days=1)
        if longest > 60: rows.append(("diary_gap", code, s["season"]))
    for s in seasons:  # banned_use
        if any(e["kind"] == "spray" and inside(s, e["date"]) and
               any(i.strip() in banned_from and banned_from[i.strip()] <= e["date"] for i in ingredients[e["product"]].split(";"))
               for e in mine):
            rows.append(("banned_use", code, s["season"]))
    for s in seasons:  # over_shipped
        ceiling = float(s["area_ha"]) * max_yield[r["crop"]]
        harvested = sum(float(e["quantity_kg"]) for e in mine if e["kind"] == "harvest" and inside(s, e["date"]))
        shipped = sum(q for c, d, q in events if c == code and inside(s, d))
        if max(harvested, shipped) > ceiling + 1e-9: rows.append(("over_shipped", code, s["season"]))
print("finding,code,season")
for f in rows: print(",".join(f))
PY
grep -q "^banned_use,VN-DTOR-0017,2025$" expected.csv && grep -q "^over_shipped,VN-12-000-03390-001-25,2025$" expected.csv &&
  grep -q "^over_shipped,VN-DTOR-0017,2025$" expected.csv && grep -q "^diary_gap,VN-DTOR-0017,2025$" expected.csv &&
  ! grep -q "VN-DTOR-0017,2024$" expected.csv
expect_eq "the files plant each diary and EPCIS finding once" 0 $?
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
