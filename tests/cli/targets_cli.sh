# Targets and the mid-term review, as a new user meets them: the four imports (CSV
# and XLSX), `report review --format json` checked figure by figure against an
# independent computation of the rules (lib/targets_reference.py, which reads the
# imported CSV files and the unit hierarchy, not the review tables), re-imports that
# change nothing, bad files that name the line and column and store nothing, the
# register of issued reports, and `check observations`.
#
# The data are drawn at random (seeded) over the Lai Châu demo hierarchy, so the
# figures are ones the code was not written against: old communes and districts to
# 30/6/2025, the new communes after the reform, targets at several levels, a revision,
# drafts that must not count, decimal commas and dd/mm/yyyy dates.
#
# usage: bash tests/cli/targets_cli.sh <nongsan-binary> <repo-root>
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
need_tools sqlite3 python3 ogr2ogr jq
REF="$(dirname "${BASH_SOURCE[0]}")/lib/targets_reference.py"

DB="$WORK/t.gpkg"
log "demo database"
make_demo_db "$DB"

log "random programme data (seed ${SEED:=20260101})"
python3 - "$DB" "$WORK" "$SEED" <<'PY'
import csv, random, sqlite3, sys
db, work, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
rnd = random.Random(seed)
con = sqlite3.connect(db)
rows = con.execute("SELECT code, level, valid_from, valid_to FROM admin_unit").fetchall()
province = [r[0] for r in rows if r[1] == "province"][0]
districts = [r[0] for r in rows if r[1] == "district"]
old = [r[0] for r in rows if r[1] == "commune" and r[3] == "2025-06-30"]
new = [r[0] for r in rows if r[1] == "commune" and r[2] == "2025-07-01"]
def w(name, header, data):
    with open(f"{work}/{name}", "w", newline="", encoding="utf-8") as f:
        c = csv.writer(f); c.writerow(header); c.writerows(data)
def v(x, comma=False):
    s = f"{x:.2f}"
    return s.replace(".", ",") if comma else s
w("programmes.csv", ["code", "name_vi", "start", "end", "baseline_year", "milestones"],
  [["TST21", "Nghị quyết 05-NQ/TU về phát triển nông nghiệp hàng hóa tập trung", "2021-01-01", "31/12/2025", 2020, "2025;2030"]])
w("indicators.csv", ["programme", "code", "name_vi", "name_en", "unit", "kind", "direction"], [
  ["TST21", "A_STOCK", "Diện tích chè", "Tea area", "ha", "stock", "up"],
  ["TST21", "B_FLOW", "Diện tích trồng mới", "Newly planted", "ha", "flow", "up"],
  ["TST21", "C_DOWN", "Tỷ lệ hộ nghèo", "Poverty rate", "%", "stock", "down"],
  ["TST21", "D_DRAFT", "Số hợp tác xã", "Cooperatives", "HTX", "stock", "up"],
  ["TST21", "E_NODATA", "Sản lượng cá lồng", "Cage fish", "tấn", "flow", "up"],
  ["TST21", "F_FLOWDOWN", "Diện tích lúa kém hiệu quả", "Inefficient rice", "ha", "flow", "down"]])
obs = []
for c in old:
    base = rnd.uniform(20, 400)
    for y in range(2020, 2025):
        if rnd.random() < 0.75:
            obs.append(["TST21", "A_STOCK", c, y, v(base * (1 + 0.06 * (y - 2020)) + rnd.uniform(-5, 5), rnd.random() < 0.3), ""])
    for y in range(2021, 2025):
        if rnd.random() < 0.6:
            obs.append(["TST21", "B_FLOW", c, y, v(rnd.uniform(0, 30)), ""])
        if rnd.random() < 0.4:
            obs.append(["TST21", "F_FLOWDOWN", c, y, v(rnd.uniform(0, 5)), ""])
    for y in (2020, 2022, 2023):
        if rnd.random() < 0.5:
            obs.append(["TST21", "D_DRAFT", c, y, v(rnd.randint(0, 5)), rnd.choice(["", "approved", "draft", "submitted"])])
for d in rnd.sample(districts, 3):  # a district's own figure overrides its communes
    obs.append(["TST21", "A_STOCK", d, 2022, v(rnd.uniform(500, 3000)), "approved"])
for c in new:
    if rnd.random() < 0.7:
        obs.append(["TST21", "A_STOCK", c, 2025, v(rnd.uniform(100, 900)), ""])
    if rnd.random() < 0.7:
        obs.append(["TST21", "B_FLOW", c, 2025, v(rnd.uniform(0, 60), True), ""])
for y, x in ((2020, 38.5), (2022, 29.1), (2023, 25.4), (2024, 22.0)):
    obs.append(["TST21", "C_DOWN", province, y, v(x + rnd.uniform(-1, 1)), ""])
w("observations.csv", ["programme", "indicator", "unit_code", "year", "value", "status"], obs)
t = [["TST21", "A_STOCK", province, 2025, v(rnd.uniform(9000, 14000)), "", ""],
     ["TST21", "C_DOWN", province, 2025, "15", "", ""],
     ["TST21", "D_DRAFT", province, 2025, "80", "", ""],
     ["TST21", "E_NODATA", province, 2025, "1000", "", ""],
     ["TST21", "F_FLOWDOWN", province, 2025, "120", "", ""],
     ["TST21", "A_STOCK", province, 2030, "20000", "", ""]]
for d in districts:
    t.append(["TST21", "B_FLOW", d, 2025, v(rnd.uniform(100, 400)), "", ""])
for c in new:
    t.append(["TST21", "B_FLOW", c, 2025, v(rnd.uniform(20, 120)), "", ""])
for c in rnd.sample(new, 5):
    t.append(["TST21", "A_STOCK", c, 2025, v(rnd.uniform(300, 1200)), "", ""])
t.append(["TST21", "A_STOCK", province, 2025, v(rnd.uniform(9000, 14000), True), "Nghị quyết 15/NQ-HĐND", "01/03/2023"])
w("targets.csv", ["programme", "indicator", "unit_code", "year", "value", "decision", "effective_date"], t)
open(f"{work}/units.txt", "w").write(f"{province} {districts[1]} {new[0]} {new[-1]}\n")
PY
read -r PROV DIST NEW1 NEW2 <"$WORK/units.txt"
ogr2ogr -f XLSX "$WORK/targets.xlsx" "$WORK/targets.csv" -nln targets 2>/dev/null
check "ogr2ogr made targets.xlsx" test -s "$WORK/targets.xlsx"

log "imports"
out=$("$NONGSAN" import programmes --db "$DB" "$WORK/programmes.csv" 2>&1)
expect_match "import programmes creates 1" "created 1," "$out"
out=$("$NONGSAN" import indicators --db "$DB" "$WORK/indicators.csv" 2>&1)
expect_match "import indicators creates 6" "created 6," "$out"
out=$("$NONGSAN" import targets --db "$DB" "$WORK/targets.xlsx" 2>&1)
expect_match "import targets from XLSX, with one revision" "revisions 1" "$out"
out=$("$NONGSAN" import observations --db "$DB" "$WORK/observations.csv" 2>&1)
expect_eq "import observations exits 0" "0" "$?"
nobs=$(($(wc -l <"$WORK/observations.csv") - 1))
# (the demo database has its own programme NQ05; count this programme's rows only)
expect_eq "every observation row is stored" "$nobs" "$(sqlite3 "$DB" "SELECT count(*) FROM observation o JOIN indicator i ON i.id = o.indicator_id JOIN programme p ON p.id = i.programme_id WHERE p.code = 'TST21'")"
expect_eq "the revision keeps the original" "2" \
  "$(sqlite3 "$DB" "SELECT count(*) FROM target_revision r JOIN target t ON t.id = r.target_id JOIN admin_unit u ON u.id = t.unit_id JOIN indicator i ON i.id = t.indicator_id WHERE i.code = 'A_STOCK' AND u.code = '$PROV' AND t.year = 2025")"

log "re-imports change nothing"
for k in programmes indicators observations; do
  out=$("$NONGSAN" import $k --db "$DB" "$WORK/$k.csv" 2>&1)
  expect_match "re-import $k: unchanged" "created 0, updated 0, unchanged [1-9]" "$out"
done
out=$("$NONGSAN" import targets --db "$DB" "$WORK/targets.csv" 2>&1)
expect_match "re-import targets (CSV of the same rows): unchanged" "created 0, updated 0, unchanged [1-9][0-9]*, revisions 0" "$out"

log "reviews against the independent computation"
compare() {  # compare MILESTONE AS_OF UNIT
  local label="review $3 as of $2" got ref
  got=$("$NONGSAN" report review --db "$DB" --programme TST21 --milestone "$1" --as-of "$2" --unit "$3" --format json 2>"$WORK/review.err")
  if [[ $? != 0 ]]; then fail "$label runs" "$(cat "$WORK/review.err")"; return; fi
  ref=$(python3 "$REF" "$DB" "$WORK/programmes.csv" "$WORK/indicators.csv" "$WORK/targets.csv" "$WORK/observations.csv" "$1" "$2" "$3")
  diff=$(python3 - "$got" "$ref" <<'PY'
import json, math, sys
got, ref = json.loads(sys.argv[1]), json.loads(sys.argv[2])
bad = []
items = {i["indicator"]: i for i in got["indicators"]}
for code, want in ref.items():
    if code == "_counts":
        continue
    have = items.get(code)
    if have is None:
        bad.append(f"{code}: missing"); continue
    for k, w in want.items():
        h = have.get(k)
        if isinstance(w, float) or isinstance(h, float):
            if w is None or h is None or not math.isclose(h, w, rel_tol=1e-9, abs_tol=1e-9):
                bad.append(f"{code}.{k}: got {h}, want {w}")
        elif h != w:
            bad.append(f"{code}.{k}: got {h}, want {w}")
for k, w in ref["_counts"].items():
    if got["counts"].get(k) != w:
        bad.append(f"counts.{k}: got {got['counts'].get(k)}, want {w}")
print("; ".join(bad))
PY
)
  if [[ -z $diff ]]; then pass "$label: every figure agrees ($(jq -c '.counts' <<<"$got"))"; else fail "$label" "$diff"; fi
}
compare 2025 2023-06-30 "$PROV"
compare 2025 2022-12-31 "$PROV"
compare 2025 2024-09-15 "$PROV"
compare 2025 2025-12-31 "$PROV"
compare 2025 2023-06-30 "$DIST"
compare 2025 2025-12-31 "$NEW1"
compare 2025 2025-12-31 "$NEW2"
compare 2030 2026-06-30 "$PROV"

log "the review JSON"
"$NONGSAN" report review --db "$DB" --programme TST21 --milestone 2025 --as-of 30/06/2023 --format json --out "$WORK/r.json" 2>/dev/null
expect_eq "--out writes the file" "object" "$(jq -r 'type' "$WORK/r.json")"
expect_match "narrative in Vietnamese, date dd/mm/yyyy" "^Đến ngày 30/06/2023, Tỉnh Lai Châu có [0-9]+/6 chỉ tiêu đạt trên 50 %" \
  "$(jq -r '.narrative.paragraphs[0]' "$WORK/r.json")"
expect_eq "the revision in force and the original" "Nghị quyết 15/NQ-HĐND true" \
  "$(jq -r '.indicators[] | select(.indicator == "A_STOCK") | "\(.target_decision) \(.target != .target_original)"' "$WORK/r.json")"
expect_eq "per-unit detail: the 8 districts on 30/06/2023" "8" "$(jq '.units | length' "$WORK/r.json")"
"$NONGSAN" report review --db "$DB" --programme TST21 --milestone 2025 --as-of 2023-06-30 --lang en --format json --out "$WORK/r_en.json" 2>/dev/null
expect_match "--lang en: the narrative in English" "^As of 30/06/2023, Tỉnh Lai Châu has [0-9]+ of 6 indicators above 50 %" \
  "$(jq -r '.narrative.paragraphs[0]' "$WORK/r_en.json")"
expect_eq "--lang en: the same figures" "$(jq -c '[.counts, .data_hash]' "$WORK/r.json")" "$(jq -c '[.counts, .data_hash]' "$WORK/r_en.json")"
expect_eq "an indicator with a target and no figure is 'no data'" "no_data" \
  "$(jq -r '.indicators[] | select(.indicator == "E_NODATA") | .status' "$WORK/r.json")"
h1=$(jq -r .data_hash "$WORK/r.json")
h2=$("$NONGSAN" report review --db "$DB" --programme TST21 --milestone 2025 --as-of 2023-06-30 --format json 2>/dev/null | jq -r .data_hash)
expect_eq "unchanged data, the same data hash" "$h1" "$h2"
expect_eq "each issued report is registered" "$(sqlite3 "$DB" 'SELECT count(*) FROM report_issue')" "$(sqlite3 "$DB" "SELECT count(*) FROM report_issue WHERE data_hash <> '' AND parameters LIKE '%TST21%'")"
expect_match "the register keeps the file's SHA-256" "^[0-9a-f]{64}$" \
  "$(sqlite3 "$DB" "SELECT file_sha256 FROM report_issue WHERE file_name = '$WORK/r.json'")"
expect_eq "register file hash = sha256sum of the file" "$(sha256sum "$WORK/r.json" | cut -d' ' -f1)" \
  "$(sqlite3 "$DB" "SELECT file_sha256 FROM report_issue WHERE file_name = '$WORK/r.json'")"
"$NONGSAN" report review --db "$DB" --programme TST21 --milestone 2025 --as-of 2023-06-30 --format pdf --out "$WORK/r.pdf" >/dev/null 2>"$WORK/pdf.err"
rc=$?
if [[ $rc == 0 ]]; then pass "format pdf is produced (writers wired)"; else expect_match "format pdf: a clear error until the writers are wired" "report writers" "$(cat "$WORK/pdf.err")"; fi

id=$("$NONGSAN" report list --db "$DB" --programme TST21 2>/dev/null | awk -F, 'NR == 2 {print $1}')
out=$("$NONGSAN" report verify --db "$DB" "$id" 2>&1)
expect_eq "report verify on unchanged data exits 0" "0" "$?"
expect_match "... and says unchanged" "^unchanged: issued [0-9a-f]{64}" "$out"
printf 'programme,indicator,unit_code,year,value\nTST21,C_DOWN,%s,2021,30\n' "$PROV" >"$WORK/more.csv"
"$NONGSAN" import observations --db "$DB" "$WORK/more.csv" >/dev/null 2>&1
out=$("$NONGSAN" report verify --db "$DB" "$id" 2>&1)
expect_eq "report verify after a new approved observation exits 1" "1" "$?"
expect_match "... and says changed" "^changed: " "$out"

log "bad files store nothing"
before=$(sqlite3 "$DB" 'SELECT count(*) FROM observation')
printf 'programme,indicator,unit_code,year,value,colour\nTST21,A_STOCK,%s,2021,5,red\n' "$PROV" >"$WORK/bad1.csv"
err=$("$NONGSAN" import observations --db "$DB" "$WORK/bad1.csv" 2>&1)
expect_fails "an unknown column is refused" $?
expect_match "the error names the column" "line 1, column colour: unknown column" "$err"
printf 'programme,indicator,unit_code,year,value\nTST21,A_STOCK,%s,2021,7\nTST21,A_STOCK,%s,2021,12x\nTST21,A_STOCK,99999,2021,1\nTST21,NOPE,%s,2021,1\nTST21,A_STOCK,%s,2021,-3\n' \
  "$PROV" "$PROV" "$PROV" "$PROV" >"$WORK/bad2.csv"
err=$("$NONGSAN" import observations --db "$DB" "$WORK/bad2.csv" 2>&1)
expect_fails "a file with bad rows is refused" $?
expect_match "line 3, column value" "line 3, column value: '12x' is not a number" "$err"
expect_match "line 4, column unit_code" "line 4, column unit_code: unknown administrative unit '99999'" "$err"
expect_match "line 5, column indicator" "line 5, column indicator: unknown indicator 'NOPE'" "$err"
expect_match "line 6, column value" "line 6, column value: must not be negative" "$err"
expect_eq "nothing was stored (not even the good line 2)" "$before" "$(sqlite3 "$DB" 'SELECT count(*) FROM observation')"
printf 'programme,indicator,unit_code,year,value,decision,effective_date\nTST21,A_STOCK,%s,2027,5,,\nTST21,A_STOCK,%s,2025,5,,31/02/2024\n' "$PROV" "$PROV" >"$WORK/bad3.csv"
ogr2ogr -f XLSX "$WORK/bad3.xlsx" "$WORK/bad3.csv" 2>/dev/null
err=$("$NONGSAN" import targets --db "$DB" "$WORK/bad3.xlsx" 2>&1)
expect_fails "a bad XLSX is refused" $?
expect_match "XLSX: line 2, column year (not a milestone)" "line 2, column year: 2027 is not a milestone year" "$err"
expect_match "XLSX: line 3, column effective_date" "line 3, column effective_date: '31/02/2024' is not a date" "$err"

# Found by mutating good files: a programme ending before it starts reached the
# database as a raw "CHECK constraint failed"; milestone 2023-02-30 was stored as 2023;
# a not_above naming no indicator passed; year -1 and 0001-01-01 passed.
printf 'code,name_vi,start,end,baseline_year,milestones\nBACK,Ngược,2025-01-01,2021-12-31,2020,\nFEB,Ngày,2021-01-01,2025-12-31,2020,2023-02-30\nOLD,Cũ,0001-01-01,2025-12-31,-1,\n' >"$WORK/bad4.csv"
before=$(sqlite3 "$DB" 'SELECT count(*) FROM programme')
err=$("$NONGSAN" import programmes --db "$DB" "$WORK/bad4.csv" 2>&1)
expect_fails "impossible programmes are refused" $?
expect_match "line 2: ends before it starts" "line 2, column end: 2021-12-31 is before the start 2025-01-01" "$err"
expect_no_match "… never a raw database error" "CHECK constraint" "$err"
expect_match "line 3: a milestone that is not a year" "line 3, column milestones: '2023-02-30' is not a year" "$err"
expect_match "line 4: a date outside the plausible years" "line 4, column start: '0001-01-01' is outside the years 1900–2100" "$err"
expect_match "line 4: a year outside the plausible years" "line 4, column baseline_year: -1 is outside the years 1900–2100" "$err"
expect_eq "no programme was stored" "$before" "$(sqlite3 "$DB" 'SELECT count(*) FROM programme')"
printf 'programme,code,name_vi,name_en,unit,kind,direction,not_above\nTST21,G_HARV,Thu hoạch,Harvest,ha,stock,up,NO_SUCH\n' >"$WORK/bad5.csv"
err=$("$NONGSAN" import indicators --db "$DB" "$WORK/bad5.csv" 2>&1)
expect_fails "a not_above naming no indicator is refused" $?
expect_match "… with its line" "line 2, column not_above: no indicator 'NO_SUCH' in programme TST21" "$err"
expect_eq "each import is audited with the file's SHA-256" "$(sha256sum "$WORK/observations.csv" | cut -d' ' -f1)" \
  "$(sqlite3 "$DB" "SELECT json_extract(after_json, '\$.sha256') FROM audit_log WHERE entity = 'targets_file' AND entity_id = '$WORK/observations.csv' LIMIT 1")"

log "check observations"
out=$("$NONGSAN" check observations --db "$DB" --programme TST21 2>"$WORK/check.err")
expect_eq "check observations exits 0" "0" "$?"
expect_match "prints a CSV with the flags" "^indicator,unit_code,year,period,value,status,flag,message" "$out"
expect_match "reports what it checked" "checked $((nobs + 1)) observations" "$(cat "$WORK/check.err")"

finish
