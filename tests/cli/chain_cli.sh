# Chains: the linkage report of docs/chains.md checked the way the province will check
# it — contracts and deliveries nobody wrote the code against (a seeded world), imported
# with the CLI into a database that holds nothing else (`nongsan migrate`, no
# administrative units), and `report linkage` compared row for row with an independent
# computation written from the rule (exact fractions in Python; calendar days with both
# end dates counted).
#
# The world: contracts crossing year ends, contracts wholly inside the leap year 2024 and
# across its 29 February, a one-day contract, contracts with no day in the year asked,
# several participants, a zero commitment; deliveries on the start, end, 31 December and
# 1 January, before the start and after the end (stored, not counted), repeated rows, a
# planted side-seller and refused offers (non-purchase). Also: the CSV's number format,
# JSON equal to CSV, bad files refused by line and column with nothing stored, re-imports
# that change nothing, deliveries taken from captured EPCIS receiving events, the imports of
# facilities and investment projects, and the same on PostgreSQL/PostGIS when PostgreSQL 15 is installed.
# Every import is tried with an XLSX workbook too (tests/cli/lib/make_xlsx.py: numbers typed as
# numbers, dates as dates, text as shared strings, as a spreadsheet saves them): the world
# imported from XLSX gives the report of the CSV byte for byte, a re-import of each table
# as XLSX changes nothing, a bad cell is named by its sheet row and column, and the
# Vietnamese text is kept exactly.
#
# usage: bash tests/cli/chain_cli.sh <nongsan-binary> <repo-root>   (SEED=… for another world)
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
need_tools sqlite3 jq python3
SEED=${SEED:-20261206}
W="$WORK/world"
mkdir -p "$W"

# --- the world ------------------------------------------------------------------------------
python3 - "$W" "$SEED" <<'PY'
import csv, datetime as dt, random, sys
out, seed = sys.argv[1], int(sys.argv[2])
rng = random.Random(seed)
D = dt.date
producers = [("DN-01", "enterprise", "Công ty Chè Tam Đường"), ("DN-02", "enterprise", "Công ty Mắc ca Lai Châu"),
             ("HTX-01", "cooperative", "HTX Chanh leo Than Uyên"), ("HTX-02", "cooperative", "HTX Ngô ngọt Tân Uyên")]
producers += [(f"HO-{i:03d}", "household", f"Hộ {i}") for i in range(1, 41)]
with open(f"{out}/producers.csv", "w", newline="") as f:
    w = csv.writer(f); w.writerow(["external_id", "kind", "name"]); w.writerows(producers)
leads = ["DN-01", "DN-02", "HTX-01", "HTX-02"]
households = [p[0] for p in producers if p[1] == "household"]
# Fixed cases first, then random ones.
contracts = [
    ("HD-YEAREND", "DN-01", ["HO-001"], "tea", D(2024, 10, 1), D(2025, 3, 31), 18200),
    ("HD-LEAP", "DN-02", ["HO-002", "HO-003"], "macadamia", D(2024, 2, 1), D(2024, 3, 31), 6000),
    ("HD-ONEDAY", "HTX-01", ["HO-004"], "passion_fruit", D(2025, 12, 31), D(2025, 12, 31), 750.5),
    ("HD-LONG", "HTX-02", ["HO-005", "HO-006", "HTX-01"], "sweet_corn", D(2023, 7, 1), D(2026, 6, 30), 100000),
    ("HD-ZERO", "DN-01", ["HO-007"], "tea", D(2025, 1, 1), D(2025, 12, 31), 0),
    ("HD-SIDE", "DN-01", ["HO-008"], "tea", D(2025, 1, 1), D(2025, 6, 30), 5000),
    ("HD-OLD", "HTX-01", ["HO-009"], "passion_fruit", D(2022, 5, 1), D(2022, 11, 30), 3000),
]
for i in range(25):
    start = D(2023, 1, 1) + dt.timedelta(days=rng.randrange(0, 3 * 365))
    end = start + dt.timedelta(days=rng.choice([0, 1, 30, 90, 180, 364, 365, 366, 500, 800]))
    parts = rng.sample(households[10:], rng.choice([1, 1, 2, 3]))
    contracts.append((f"HD-R{i:02d}", rng.choice(leads), parts, rng.choice(["tea", "macadamia", "passion_fruit", "sweet_corn"]),
                      start, end, rng.choice([1000, 2500, 12345.678, 40000, 7.25])))
with open(f"{out}/contracts.csv", "w", newline="") as f:
    w = csv.writer(f); w.writerow(["contract", "lead", "participant", "commodity", "start", "end", "committed_kg"])
    for code, lead, parts, com, s, e, kg in contracts:
        for p in parts:
            # dd/mm/yyyy on some rows: officials' files mix both.
            sd = s.strftime("%d/%m/%Y") if code.endswith("3") else s.isoformat()
            w.writerow([code, lead, p, com, sd, e.isoformat(), kg])
rows = []
def add(code, part, day, kg, refused=""):
    rows.append([code, part, day.isoformat(), kg, refused])
for code, lead, parts, com, s, e, kg in contracts:
    for p in parts:
        if code == "HD-SIDE":  # the planted side-seller: 10 % of the commitment, offers refused by nobody
            add(code, p, D(2025, 3, 1), 250); add(code, p, D(2025, 5, 1), 250)
            continue
        # the boundary days, inside and just outside
        for day in (s, e, s - dt.timedelta(days=1), e + dt.timedelta(days=1)):
            add(code, p, day, round(rng.uniform(1, 500), 3))
        for y in range(s.year, e.year + 1):
            for day in (D(y, 1, 1), D(y, 12, 31)):
                add(code, p, day, rng.choice([10, 99.99, 123.456]))
        for _ in range(rng.randrange(0, 8)):
            day = s + dt.timedelta(days=rng.randrange(0, (e - s).days + 1))
            add(code, p, day, rng.choice([50, 100, 333.3, 1000.25]))
# Repeats: the same row twice is two deliveries.
rows.append(list(rows[3])); rows.append(list(rows[3])); rows.append(list(rows[10]))
# Non-purchase: the lead of HD-LONG refused an offer.
add("HD-LONG", "HO-005", D(2025, 8, 15), 0, 800)
rng.shuffle(rows)
with open(f"{out}/deliveries.csv", "w", newline="") as f:
    w = csv.writer(f); w.writerow(["contract", "participant", "date", "quantity_kg", "refused_kg"]); w.writerows(rows)
PY

# reference YEAR: the report computed from the files, exactly.
reference() {
  python3 - "$W" "$1" <<'PY'
import csv, datetime as dt, sys
from fractions import Fraction as F
out, year = sys.argv[1], int(sys.argv[2])
def date(t):
    return dt.date.fromisoformat(t) if "-" in t else dt.datetime.strptime(t, "%d/%m/%Y").date()
contracts, order = {}, []
for r in csv.DictReader(open(f"{out}/contracts.csv")):
    c = contracts.setdefault(r["contract"], {"start": date(r["start"]), "end": date(r["end"]),
                                             "kg": F(r["committed_kg"]), "parts": []})
    if r["contract"] not in order: order.append(r["contract"])
    c["parts"].append(r["participant"])
jan1, dec31 = dt.date(year, 1, 1), dt.date(year, 12, 31)
delivered = {}
for r in csv.DictReader(open(f"{out}/deliveries.csv")):
    c, d = contracts[r["contract"]], date(r["date"])
    if c["start"] <= d <= c["end"] and jan1 <= d <= dec31:
        k = (r["contract"], r["participant"])
        delivered[k] = delivered.get(k, F(0)) + F(r["quantity_kg"])
print("contract,participant,committed_kg,delivered_kg,fulfilment_pct")
for code in sorted(order):
    c = contracts[code]
    days = (c["end"] - c["start"]).days + 1
    inside = max(0, (min(c["end"], dec31) - max(c["start"], jan1)).days + 1)
    committed = c["kg"] * inside / days
    for p in c["parts"]:
        got = delivered.get((code, p), F(0))
        pct = "" if committed == 0 else repr(float(100 * got / committed))
        print(f"{code},{p},{float(committed)!r},{float(got)!r},{pct}")
PY
}

# same_report DESC EXPECTED ACTUAL: the same rows, numbers equal to 1e-9 (relative).
same_report() {
  local out
  if out=$(python3 - "$2" "$3" <<'PY'
import csv, sys
a, b = list(csv.reader(open(sys.argv[1]))), list(csv.reader(open(sys.argv[2])))
if a[0] != b[0]: sys.exit(f"header {b[0]} != {a[0]}")
if len(a) != len(b): sys.exit(f"{len(b) - 1} rows, expected {len(a) - 1}")
for x, y in zip(a[1:], b[1:]):
    if x[:2] != y[:2]: sys.exit(f"row {y[:2]}, expected {x[:2]}")
    for i in (2, 3, 4):
        if (x[i] == "") != (y[i] == ""): sys.exit(f"{x[:2]} column {a[0][i]}: {y[i]!r}, expected {x[i]!r}")
        if x[i] and abs(float(x[i]) - float(y[i])) > 1e-9 * max(1.0, abs(float(x[i]))):
            sys.exit(f"{x[:2]} column {a[0][i]}: {y[i]}, expected {x[i]}")
PY
  ); then pass "$1"; else fail "$1" "$out"; fi
}

run_ok() {
  local desc=$1 re=$2 out rc
  shift 2
  out=$("$@" 2>&1)
  rc=$?
  if [[ $rc == 0 && $out =~ $re ]]; then pass "$desc"; else fail "$desc" "exit $rc" "${out:0:600}"; fi
}

q() {
  if [[ $1 == postgresql://* ]]; then psql -X -q -tA -F, "$1" -c "$2" 2>&1; else sqlite3 -separator , "$1" "$2" 2>&1; fi
}

NC=$(($(wc -l <"$W/contracts.csv") - 1))
ND=$(($(wc -l <"$W/deliveries.csv") - 1))
NK=$(tail -n +2 "$W/contracts.csv" | cut -d, -f1 | sort -u | wc -l)

mkx() { python3 "$REPO/tests/cli/lib/make_xlsx.py" "$@" || abort "make_xlsx.py $1"; }

# xlsx_world TARGET TAG: the world imported from XLSX workbooks into an empty database
# gives the linkage report of the CSV world (made by check_target) byte for byte.
xlsx_world() {
  local t=$1 tag=$2 out y
  out=$("$NONGSAN" migrate --db "$t" 2>&1) || abort "$tag xlsx: nongsan migrate" "$out"
  mkx "$W/producers.csv" "$WORK/producers.xlsx"
  mkx "$W/contracts.csv" "$WORK/contracts.xlsx" --numbers committed_kg --dates start,end
  mkx "$W/deliveries.csv" "$WORK/deliveries.xlsx" --numbers quantity_kg,refused_kg --dates date
  run_ok "$tag xlsx: import producers.xlsx" "created 44," "$NONGSAN" import producers --db "$t" "$WORK/producers.xlsx"
  run_ok "$tag xlsx: import contracts.xlsx" "contracts: created $NK, updated 0, unchanged 0" \
    "$NONGSAN" import contracts --db "$t" "$WORK/contracts.xlsx"
  run_ok "$tag xlsx: import deliveries.xlsx (every row)" "deliveries: created $ND, updated 0, unchanged 0" \
    "$NONGSAN" import deliveries --db "$t" "$WORK/deliveries.xlsx"
  run_ok "$tag xlsx: the same workbook again changes nothing" "created 0, updated 0, unchanged $ND" \
    "$NONGSAN" import deliveries --db "$t" "$WORK/deliveries.xlsx"
  expect_eq "$tag xlsx: producer names kept exactly" "Công ty Chè Tam Đường" \
    "$(q "$t" "SELECT name FROM producer WHERE external_id = 'DN-01'")"
  for y in 2024 2025; do
    "$NONGSAN" report linkage --db "$t" --year "$y" --format csv >"$WORK/xlsx-$tag-$y.csv" 2>/dev/null
    if cmp -s "$WORK/got-$tag-$y.csv" "$WORK/xlsx-$tag-$y.csv"; then pass "$tag xlsx: report $y is byte for byte that of the CSV files"
    else fail "$tag xlsx: report $y is byte for byte that of the CSV files" "$(diff "$WORK/got-$tag-$y.csv" "$WORK/xlsx-$tag-$y.csv" | head -5)"; fi
  done
}

check_target() {
  local t=$1 tag=$2 out rc y
  out=$("$NONGSAN" migrate --db "$t" 2>&1) || abort "$tag: nongsan migrate" "$out"
  expect_eq "$tag: no administrative units" "0" "$(q "$t" 'SELECT count(*) FROM admin_unit')"
  run_ok "$tag: import producers" "created 44," "$NONGSAN" import producers --db "$t" "$W/producers.csv"

  # Refused files store nothing and name the line and column.
  printf 'contract,lead,participant,commodity,start,end,committed_kg\nHD-X,HO-001,HO-002,tea,2025-01-01,2025-12-31,100\nHD-Y,DN-01,HO-404,tea,2025-02-30,2025-01-01,-5\nHD-Z,DN-01,HO-001,tea,2025-01-01,2024-12-31,1\n' >"$WORK/bad-contracts.csv"
  out=$("$NONGSAN" import contracts --db "$t" "$WORK/bad-contracts.csv" 2>&1); rc=$?
  expect_fails "$tag: a bad contracts file is refused" "$rc"
  expect_match "$tag: a household cannot lead (line 2, column lead)" "line 2, column lead" "$out"
  expect_match "$tag: an unknown participant (line 3, column participant)" "line 3, column participant" "$out"
  expect_match "$tag: 30 February (line 3, column start)" "line 3, column start" "$out"
  expect_match "$tag: a negative commitment (line 3, column committed_kg)" "line 3, column committed_kg" "$out"
  expect_match "$tag: an end before the start (line 4, column end)" "line 4, column end" "$out"
  expect_eq "$tag: nothing stored from the bad file" "0" "$(q "$t" 'SELECT count(*) FROM chain_contract')"
  printf 'contract,lead,participant,commodity,start,end,committed_kg\nHD-X,DN-01,HO-001,tea,2025-01-01,2025-12-31,100\nHD-X,DN-01,HO-002,tea,2025-01-01,2025-12-31,200\n' >"$WORK/disagree.csv"
  out=$("$NONGSAN" import contracts --db "$t" "$WORK/disagree.csv" 2>&1); rc=$?
  expect_fails "$tag: rows of one contract that disagree are refused" "$rc"
  expect_match "$tag: ... naming line 3, column committed_kg" "line 3, column committed_kg: differs from line 2" "$out"

  run_ok "$tag: import contracts" "contracts: created $NK, updated 0, unchanged 0" \
    "$NONGSAN" import contracts --db "$t" "$W/contracts.csv"
  run_ok "$tag: the same contracts again change nothing" "created 0, updated 0, unchanged $NK" \
    "$NONGSAN" import contracts --db "$t" "$W/contracts.csv"

  printf 'contract,participant,date,quantity_kg\nHD-SIDE,HO-008,2025-03-01,10\nHD-NONE,HO-008,2025-03-01,10\nHD-SIDE,HO-001,2025-13-01,abc\n' >"$WORK/bad-deliveries.csv"
  out=$("$NONGSAN" import deliveries --db "$t" "$WORK/bad-deliveries.csv" 2>&1); rc=$?
  expect_fails "$tag: a bad deliveries file is refused" "$rc"
  expect_match "$tag: an unknown contract (line 3, column contract)" "line 3, column contract" "$out"
  expect_match "$tag: not a participant (line 4, column participant)" "line 4, column participant" "$out"
  expect_match "$tag: a bad date (line 4, column date)" "line 4, column date" "$out"
  expect_match "$tag: a bad quantity (line 4, column quantity_kg)" "line 4, column quantity_kg" "$out"
  expect_eq "$tag: no delivery stored from the bad file" "0" "$(q "$t" 'SELECT count(*) FROM chain_delivery')"

  run_ok "$tag: import deliveries (every row, repeats and out-of-contract dates included)" \
    "deliveries: created $ND, updated 0, unchanged 0" "$NONGSAN" import deliveries --db "$t" "$W/deliveries.csv"
  run_ok "$tag: the same deliveries file again changes nothing" "created 0, updated 0, unchanged $ND" \
    "$NONGSAN" import deliveries --db "$t" "$W/deliveries.csv"
  expect_eq "$tag: every row stored" "$ND" "$(q "$t" 'SELECT count(*) FROM chain_delivery')"

  for y in 2022 2023 2024 2025 2026 2027; do
    reference "$y" >"$WORK/ref-$tag-$y.csv"
    "$NONGSAN" report linkage --db "$t" --year "$y" --format csv >"$WORK/got-$tag-$y.csv" 2>"$WORK/err-$tag-$y.txt"
    same_report "$tag: report linkage $y equals the independent computation" "$WORK/ref-$tag-$y.csv" "$WORK/got-$tag-$y.csv"
    "$NONGSAN" report linkage --db "$t" --year "$y" --format json >"$WORK/got-$tag-$y.json" 2>/dev/null
    jq -r '"contract,participant,committed_kg,delivered_kg,fulfilment_pct", (.rows[] | [.contract, .participant,
      .committed_kg, .delivered_kg, (.fulfilment_pct // "")] | map(tostring) | join(","))' "$WORK/got-$tag-$y.json" \
      >"$WORK/got-$tag-$y-json.csv"
    same_report "$tag: report linkage $y as JSON gives the same figures" "$WORK/ref-$tag-$y.csv" "$WORK/got-$tag-$y-json.csv"
  done
  # The CSV's numbers: plain, '.' as decimal point, at least two decimals, never an exponent.
  bad=$(tail -n +2 "$WORK/got-$tag-2025.csv" | awk -F, '{for (i = 3; i <= 5; i++) if ($i != "" && $i !~ /^[0-9]+\.[0-9][0-9]+$/) print}')
  expect_eq "$tag: CSV numbers are plain with at least two decimals" "" "$bad"
  expect_match "$tag: a contract with no day in 2025 reads 0.00,0.00," $'\nHD-OLD,HO-009,0.00,0.00,\n' "$(cat "$WORK/got-$tag-2025.csv")"
  expect_match "$tag: a zero commitment has an empty percentage" $'\nHD-ZERO,HO-007,0.00,[0-9.]+,$' "$(cat "$WORK/got-$tag-2025.csv")"
  expect_match "$tag: the planted side-seller is warned about" "warning: side_selling HD-SIDE HO-008" "$(cat "$WORK/err-$tag-2025.txt")"
  expect_match "$tag: the refused offer shows as non-purchase by the lead" "warning: non_purchase HD-LONG HTX-02" \
    "$(cat "$WORK/err-$tag-2025.txt")"
  out=$("$NONGSAN" report linkage --db "$t" --year 2025 --as-of 2025-04-01 --format json 2>/dev/null)
  expect_eq "$tag: on 1 April the side-seller is behind, not yet side-selling" "behind" \
    "$(jq -r '[.warnings[] | select(.contract == "HD-SIDE") | .kind] | join(",")' <<<"$out")"

  # The linkage rate (docs/chains.md "Linkage rate"): the tea deliveries of 2025 ÷ the tea
  # harvests of the tea contracts' participants in their diaries. HO-001 owns P-R1 (tea)
  # and harvests 800 kg, one entry amended from 900 to 600 (the amendment counts);
  # a household in no tea contract harvests 5000 kg on P-R2; a 2024 harvest does not count.
  python3 - "$WORK/rate" "$W/contracts.csv" <<'PY'
import csv, sys
w = sys.argv[1]
tea = {r["participant"] for r in csv.DictReader(open(sys.argv[2])) if r["commodity"] == "tea"}
assert "HO-001" in tea
outsider = next(f"HO-{i:03d}" for i in range(1, 41) if f"HO-{i:03d}" not in tea)
x = 520000
rows = ["id,wkt"]
for pid in ("P-R1", "P-R2"):
    rows.append(f'{pid},"POLYGON(({x} 2470000,{x+100} 2470000,{x+100} 2470100,{x} 2470100,{x} 2470000))"')
    x += 300
open(f"{w}-parcels.csv", "w").write("\n".join(rows) + "\n")
open(f"{w}-rights.csv", "w").write("parcel,producer,kind,valid_from,document\nP-R1,HO-001,owner,2020-01-01,GCN\nP-R2," + outsider + ",owner,2020-01-01,GCN\n")
open(f"{w}-plantings.csv", "w").write("parcel,crop,start_date,end_date,planted_area_m2\nP-R1,tea,2020-01-01,,10000\nP-R2,tea,2020-01-01,,10000\n")
open(f"{w}-diary.csv", "w").write(
    "entry,parcel,date,kind,product,dose_per_ha,quantity_kg,lot,amends\n"
    "R1,P-R1,2025-05-01,harvest,,,800,L-R1,\n"
    "R2,P-R1,2025-06-01,harvest,,,900,L-R2,\n"
    "R2b,P-R1,2025-06-01,harvest,,,600,L-R2,R2\n"
    "R3,P-R2,2025-06-01,harvest,,,5000,L-R3,\n"
    "R4,P-R1,2024-06-01,harvest,,,7000,L-R4,\n")
PY
  run_ok "$tag: import parcels for the rate" "created 2" "$NONGSAN" import parcels --db "$t" --crs 9205 --as-of 2020-01-01 "$WORK/rate-parcels.csv"
  run_ok "$tag: import rights for the rate" "rights: created" "$NONGSAN" import rights --db "$t" "$WORK/rate-rights.csv"
  run_ok "$tag: import plantings for the rate" "plantings: created" "$NONGSAN" import plantings --db "$t" "$WORK/rate-plantings.csv"
  run_ok "$tag: import the diary harvests" "diary: created 5" "$NONGSAN" import diary --db "$t" "$WORK/rate-diary.csv"
  out=$("$NONGSAN" report linkage --db "$t" --year 2025 --rates 2>/dev/null)
  local delivered want
  delivered=$(python3 - "$W/contracts.csv" "$WORK/ref-$tag-2025.csv" <<'PY'
import csv, sys
tea = {r["contract"] for r in csv.DictReader(open(sys.argv[1])) if r["commodity"] == "tea"}
print(sum(float(r["delivered_kg"]) for r in csv.DictReader(open(sys.argv[2])) if r["contract"] in tea))
PY
)
  want=$(python3 -c "d=$delivered; print(f'tea,{d:.2f},1400.00,{100*d/1400:.2f}')")
  expect_match "$tag: the tea linkage rate is the deliveries over 800 + 600 kg of diary harvests" "^commodity,delivered_kg,harvested_kg,linkage_rate_pct" "$out"
  got=$(grep '^tea,' <<<"$out" | python3 -c "import sys; c=sys.stdin.read().strip().split(','); print(f'{c[0]},{float(c[1]):.2f},{float(c[2]):.2f},{float(c[3]):.2f}')")
  expect_eq "$tag: … tea: delivered, harvested, rate" "$want" "$got"

  # Deliveries from EPCIS (docs/chains.md "Deliveries from EPCIS"): `epcis capture` of a
  # receiving event naming HD-SIDE and HO-008 adds a delivery dated in the event's offset;
  # one in pounds is listed as unmatched; the same file again adds nothing.
  local before
  before=$(q "$t" "SELECT count(*) FROM chain_delivery WHERE origin = 'epcis'")
  cat >"$WORK/receiving.jsonld" <<'JSON'
{"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"], "type": "EPCISDocument",
 "schemaVersion": "2.0", "creationDate": "2025-03-02T00:00:00Z", "epcisBody": {"eventList": [
  {"type": "ObjectEvent", "eventTime": "2025-02-28T20:00:00Z", "eventTimeZoneOffset": "+07:00", "action": "OBSERVE",
   "bizStep": "https://ref.gs1.org/cbv/BizStep-receiving",
   "bizTransactionList": [{"type": "po", "bizTransaction": "urn:nongsan:contract:HD-SIDE"}],
   "sourceList": [{"type": "https://ref.gs1.org/cbv/SDT-owning_party", "source": "urn:nongsan:producer:HO-008"}],
   "quantityList": [{"epcClass": "urn:epc:class:lgtin:4012345.012345.998877", "quantity": 123.5, "uom": "KGM"}]},
  {"type": "ObjectEvent", "eventTime": "2025-03-05T09:00:00+07:00", "eventTimeZoneOffset": "+07:00", "action": "OBSERVE",
   "bizStep": "receiving",
   "bizTransactionList": [{"type": "po", "bizTransaction": "urn:nongsan:contract:HD-SIDE"}],
   "sourceList": [{"type": "owning_party", "source": "urn:nongsan:producer:HO-008"}],
   "quantityList": [{"epcClass": "urn:epc:class:lgtin:4012345.012345.998877", "quantity": 50, "uom": "LBR"}]}]}}
JSON
  run_ok "$tag: epcis capture of receiving events" "captured 2" "$NONGSAN" epcis capture --db "$t" "$WORK/receiving.jsonld"
  expect_eq "$tag: … the receiving event in kilograms is a delivery on 1 March (Vietnam time)" "HD-SIDE,HO-008,2025-03-01,123.5" \
    "$(q "$t" "SELECT k.code || ',' || p.external_id || ',' || d.delivered_on || ',' || d.quantity_kg FROM chain_delivery d JOIN chain_contract k ON k.id = d.contract_id JOIN producer p ON p.id = d.producer_id WHERE d.origin = 'epcis'")"
  expect_eq "$tag: … the one in pounds is listed as unmatched" "not_kilograms" "$(q "$t" 'SELECT reason FROM chain_epcis_unmatched')"
  run_ok "$tag: the same events again" "captured 0, already present 2" "$NONGSAN" epcis capture --db "$t" "$WORK/receiving.jsonld"
  expect_eq "$tag: … add no delivery" "$((before + 1))" "$(q "$t" "SELECT count(*) FROM chain_delivery WHERE origin = 'epcis'")"

  # Facilities and investment projects from files (docs/chains.md "Processing facilities
  # and markets"), on a database without administrative units.
  printf 'facility,name,operator,commune,technology,commodity,product,capacity_t_per_season,certifications\nCS-01,Xưởng chè Tam Đường,DN-01,,semi_mechanised,tea,chè xanh,1200,VietGAP; HACCP\nCS-01,Xưởng chè Tam Đường,DN-01,,semi_mechanised,tea,chè đen,300.5,VietGAP; HACCP\nCS-02,Xưởng mắc ca,,,manual,macadamia,hạt sấy,80,\n' >"$WORK/facilities.csv"
  printf 'facility,name,operator,commune,technology,commodity,product,capacity_t_per_season,certifications\nCS-09,Xưởng A,HO-404,X99,robotic,tea,chè,-1,\nCS-09,Xưởng B,,,manual,tea,chè,1,\n' >"$WORK/bad-facilities.csv"
  out=$("$NONGSAN" import facilities --db "$t" "$WORK/bad-facilities.csv" 2>&1); rc=$?
  expect_fails "$tag: a bad facilities file is refused" "$rc"
  expect_match "$tag: … an unknown operator (line 2, column operator)" "line 2, column operator" "$out"
  expect_match "$tag: … an unknown commune (line 2, column commune)" "line 2, column commune" "$out"
  expect_match "$tag: … a technology not in the list (line 2, column technology)" "line 2, column technology" "$out"
  expect_match "$tag: … a negative capacity (line 2, column capacity_t_per_season)" "line 2, column capacity_t_per_season" "$out"
  expect_eq "$tag: … nothing stored" "0" "$(q "$t" 'SELECT count(*) FROM chain_facility')"
  run_ok "$tag: import facilities" "facilities: created 2, updated 0, unchanged 0" "$NONGSAN" import facilities --db "$t" "$WORK/facilities.csv"
  run_ok "$tag: the same facilities again change nothing" "created 0, updated 0, unchanged 2" "$NONGSAN" import facilities --db "$t" "$WORK/facilities.csv"
  expect_eq "$tag: … CS-01 has two products, 1500.5 t in all" "2,1500.5" \
    "$(q "$t" "SELECT count(*) || ',' || sum(c.capacity_t_per_season) FROM chain_facility_capacity c JOIN chain_facility f ON f.id = c.facility_id WHERE f.code = 'CS-01'")"
  printf 'project,name,kind,status,investor,commodity,land_ha,raw_material_t,commune\nDA-01,Nhà máy chè Tân Uyên,plant,approved,Công ty Chè Tam Đường,tea,5.5,12000,\nDA-02,Cụm công nghiệp Than Uyên,industrial_cluster,proposed,,,48,,\n' >"$WORK/investments.csv"
  printf 'project,name,kind,status,land_ha\nDA-09,Nhà máy,factory,built,-2\nDA-09,Nhà máy,plant,approved,1\n' >"$WORK/bad-investments.csv"
  out=$("$NONGSAN" import investments --db "$t" "$WORK/bad-investments.csv" 2>&1); rc=$?
  expect_fails "$tag: a bad investments file is refused" "$rc"
  expect_match "$tag: … a kind not in the list (line 2, column kind)" "line 2, column kind" "$out"
  expect_match "$tag: … a status not in the list (line 2, column status)" "line 2, column status" "$out"
  expect_match "$tag: … negative land (line 2, column land_ha)" "line 2, column land_ha" "$out"
  expect_match "$tag: … a project twice (line 3, column project)" "line 3, column project: repeats line 2" "$out"
  run_ok "$tag: import investments" "investments: created 2, updated 0, unchanged 0" "$NONGSAN" import investments --db "$t" "$WORK/investments.csv"
  run_ok "$tag: the same investments again change nothing" "created 0, updated 0, unchanged 2" "$NONGSAN" import investments --db "$t" "$WORK/investments.csv"
  # Buyers and trade-promotion events of the chains.
  printf 'contract,name,market,country\nHD-SIDE,Công ty XNK Chè Việt,export,PK\nHD-SIDE,Siêu thị Hà Nội,domestic,\n' >"$WORK/buyers.csv"
  printf 'contract,name,market\nHD-NONE,Ai đó,export\nHD-SIDE,Ai đó,abroad\n' >"$WORK/bad-buyers.csv"
  out=$("$NONGSAN" import buyers --db "$t" "$WORK/bad-buyers.csv" 2>&1); rc=$?
  expect_fails "$tag: a bad buyers file is refused" "$rc"
  expect_match "$tag: … an unknown contract (line 2, column contract)" "line 2, column contract" "$out"
  expect_match "$tag: … a market not in the list (line 3, column market)" "line 3, column market" "$out"
  run_ok "$tag: import buyers" "buyers: created 2, updated 0, unchanged 0" "$NONGSAN" import buyers --db "$t" "$WORK/buyers.csv"
  run_ok "$tag: the same buyers again change nothing" "created 0, updated 0, unchanged 2" "$NONGSAN" import buyers --db "$t" "$WORK/buyers.csv"
  printf 'contract,name,date,place,result\nHD-SIDE,Hội chợ Nông sản Lai Châu,15/09/2025,TP Lai Châu,2 hợp đồng mới\n' >"$WORK/events.csv"
  run_ok "$tag: import trade-promotion events" "trade-events: created 1, updated 0, unchanged 0" "$NONGSAN" import trade-events --db "$t" "$WORK/events.csv"
  run_ok "$tag: the same events again change nothing" "created 0, updated 0, unchanged 1" "$NONGSAN" import trade-events --db "$t" "$WORK/events.csv"
  expect_eq "$tag: … held on 15 September" "2025-09-15" "$(q "$t" 'SELECT held_on FROM chain_trade_event')"

  # The same tables as XLSX workbooks: re-imported, they change nothing (every field read
  # from the typed cells equals the CSV's); bad cells are named by sheet row and column.
  mkx "$W/contracts.csv" "$WORK/contracts.xlsx" --numbers committed_kg --dates start,end
  run_ok "$tag: contracts.xlsx is the same as contracts.csv" "created 0, updated 0, unchanged $NK" \
    "$NONGSAN" import contracts --db "$t" "$WORK/contracts.xlsx"
  mkx "$WORK/facilities.csv" "$WORK/facilities.xlsx" --numbers capacity_t_per_season
  run_ok "$tag: facilities.xlsx is the same as facilities.csv" "created 0, updated 0, unchanged 2" \
    "$NONGSAN" import facilities --db "$t" "$WORK/facilities.xlsx"
  mkx "$WORK/investments.csv" "$WORK/investments.xlsx" --numbers land_ha,raw_material_t
  run_ok "$tag: investments.xlsx is the same as investments.csv" "created 0, updated 0, unchanged 2" \
    "$NONGSAN" import investments --db "$t" "$WORK/investments.xlsx"
  mkx "$WORK/buyers.csv" "$WORK/buyers.xlsx"
  run_ok "$tag: buyers.xlsx is the same as buyers.csv" "created 0, updated 0, unchanged 2" \
    "$NONGSAN" import buyers --db "$t" "$WORK/buyers.xlsx"
  mkx "$WORK/events.csv" "$WORK/events.xlsx" --dates date
  run_ok "$tag: events.xlsx (a date cell) is the same as events.csv" "created 0, updated 0, unchanged 1" \
    "$NONGSAN" import trade-events --db "$t" "$WORK/events.xlsx"
  expect_eq "$tag: … the Vietnamese text kept exactly" "Hội chợ Nông sản Lai Châu|TP Lai Châu|2 hợp đồng mới" \
    "$(q "$t" "SELECT name || '|' || place || '|' || result FROM chain_trade_event")"
  for kind in facilities investments buyers; do
    mkx "$WORK/bad-$kind.csv" "$WORK/bad-$kind.xlsx" --numbers capacity_t_per_season,land_ha
  done
  out=$("$NONGSAN" import facilities --db "$t" "$WORK/bad-facilities.xlsx" 2>&1); rc=$?
  expect_fails "$tag: a bad facilities.xlsx is refused" "$rc"
  expect_match "$tag: … its negative capacity cell named (line 2, column capacity_t_per_season)" "line 2, column capacity_t_per_season" "$out"
  expect_match "$tag: … its unknown operator named (line 2, column operator)" "line 2, column operator" "$out"
  out=$("$NONGSAN" import investments --db "$t" "$WORK/bad-investments.xlsx" 2>&1); rc=$?
  expect_fails "$tag: a bad investments.xlsx is refused" "$rc"
  expect_match "$tag: … negative land in a number cell (line 2, column land_ha)" "line 2, column land_ha" "$out"
  expect_match "$tag: … a project twice (line 3, column project)" "line 3, column project: repeats line 2" "$out"
  out=$("$NONGSAN" import buyers --db "$t" "$WORK/bad-buyers.xlsx" 2>&1); rc=$?
  expect_fails "$tag: a bad buyers.xlsx is refused" "$rc"
  expect_match "$tag: … the market cell of sheet row 3 named (line 3, column market)" "line 3, column market" "$out"
  mkx "$WORK/bad-deliveries.csv" "$WORK/bad-deliveries.xlsx" --numbers quantity_kg --dates date
  out=$("$NONGSAN" import deliveries --db "$t" "$WORK/bad-deliveries.xlsx" 2>&1); rc=$?
  expect_fails "$tag: a bad deliveries.xlsx is refused" "$rc"
  expect_match "$tag: … a text in the quantity column (line 4, column quantity_kg)" "line 4, column quantity_kg" "$out"
  expect_match "$tag: … an impossible date left as text (line 4, column date)" "line 4, column date" "$out"
  # One text cell makes GDAL read the whole column as text, the date cells as "2025/03/01":
  # they are still dates (docs/chains.md "Processing facilities and markets", XLSX).
  expect_no_match "$tag: … the real date cells of that column are not refused (line 2)" "line 2, column date" "$out"
  expect_eq "$tag: … nothing more stored from the bad workbooks" "$((ND + 1)),2,2,2" \
    "$(q "$t" "SELECT (SELECT count(*) FROM chain_delivery) || ',' || (SELECT count(*) FROM chain_facility) || ',' || (SELECT count(*) FROM chain_investment) || ',' || (SELECT count(*) FROM chain_buyer)")"

  sed -i 's/,approved,Công ty/,under_construction,Công ty/' "$WORK/investments.csv"
  run_ok "$tag: a changed project is updated" "created 0, updated 1, unchanged 1" "$NONGSAN" import investments --db "$t" "$WORK/investments.csv"
}

check_target "$WORK/chains.gpkg" sqlite
xlsx_world "$WORK/chains-xlsx.gpkg" sqlite

# --- the same on PostgreSQL/PostGIS ---------------------------------------------------------
PG_SCRIPT="$REPO/scripts/pg-test-cluster.sh"
if [[ -x /usr/lib/postgresql/15/bin/initdb ]] && command -v psql >/dev/null; then
  PG_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  trap '"$PG_SCRIPT" stop "$PG_PORT" >/dev/null 2>&1; cleanup' EXIT
  log "PostgreSQL: a throw-away cluster on port $PG_PORT"
  if out=$("$PG_SCRIPT" start "$PG_PORT" 2>&1); then
    check_target "postgresql://nongsan@127.0.0.1:$PG_PORT/nongsan_test" pg
    psql -X -q "postgresql://nongsan@127.0.0.1:$PG_PORT/nongsan_test" -c "CREATE DATABASE nongsan_xlsx" >/dev/null 2>&1
    psql -X -q "postgresql://nongsan@127.0.0.1:$PG_PORT/nongsan_xlsx" -c "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
    xlsx_world "postgresql://nongsan@127.0.0.1:$PG_PORT/nongsan_xlsx" pg
    for y in 2024 2025; do
      if cmp -s "$WORK/got-sqlite-$y.csv" "$WORK/got-pg-$y.csv"; then pass "pg: report $y is byte for byte that of SQLite"
      else fail "pg: report $y is byte for byte that of SQLite" "$(diff "$WORK/got-sqlite-$y.csv" "$WORK/got-pg-$y.csv" | head -5)"; fi
    done
  else
    fail "the PostgreSQL test cluster starts" "${out:0:600}"
  fi
else
  pass "PostgreSQL part skipped: PostgreSQL 15 is not installed"
fi

finish
