#!/usr/bin/env bash
# `nongsan report render` as an officer uses it: the review JSON fixtures of
# tests/reports/fixtures rendered to HTML, PDF, DOCX and XLSX, then opened the way a
# reader would open them:
#  - DOCX: a valid ZIP whose XML parts all parse; LibreOffice converts it to PDF and the
#    text of the decree's elements is there (header, number, date, title, signature);
#  - PDF: A4, Liberation Serif embedded, Vietnamese text extracted intact, no page
#    number on page 1 and "2" at the top of page 2;
#  - HTML: parses, escapes, carries its figures inline;
#  - XLSX: LibreOffice recalculates every formula and gets the figures of the JSON
#    (achievement, forecast, bands, counts, f); a figure changed in the JSON shows up
#    in the check column;
#  - bad options and bad JSON fail with a message naming the field.
# LibreOffice checks are skipped, with a message, when soffice is not installed.
#
# usage: bash tests/cli/report_render.sh <nongsan-binary> <repo-root>
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
need_tools pdffonts pdftotext pdfinfo unzip
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3

FIX="$REPO/tests/reports/fixtures"
PROV="$FIX/review_province_nq05.json"
COMMUNE="$FIX/review_commune.json"
SHAPES="$REPO/data/laichau/laichau-boundaries-pre2025.geojson"
OUT="$WORK/out"
mkdir -p "$OUT"

log "rendering the province review in four formats"
for f in html pdf docx xlsx; do
  check "render $f" "$NONGSAN" report render --in "$PROV" --format "$f" --out "$OUT/prov.$f" --shapes "$SHAPES"
done
check "render party docx" "$NONGSAN" report render --in "$PROV" --format docx --out "$OUT/party.docx" --profile party \
  --number 752 --shapes "$SHAPES"
check "render party pdf" "$NONGSAN" report render --in "$PROV" --format pdf --out "$OUT/party.pdf" --profile party --number 752
check "render the commune review" "$NONGSAN" report render --in "$COMMUNE" --format pdf --out "$OUT/commune.pdf"

# --- DOCX -------------------------------------------------------------------------
check "docx: the zip tests clean" unzip -tq "$OUT/prov.docx"
docx_check=$("$PY" - "$OUT/prov.docx" "$OUT/party.docx" <<'PYEOF'
import sys, zipfile, xml.etree.ElementTree as ET
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
for path in sys.argv[1:]:
    z = zipfile.ZipFile(path)
    for n in z.namelist():
        if n.endswith(".xml") or n.endswith(".rels"):
            ET.fromstring(z.read(n))  # raises on malformed XML
    doc = ET.fromstring(z.read("word/document.xml"))
    texts = ["".join(t.text or "" for t in p.iter(W + "t")) for p in doc.iter(W + "p")]
    fonts = {r.get(W + "ascii") for r in doc.iter(W + "rFonts")}
    sect = doc.find(f".//{W}sectPr")
    print(path.rsplit("/", 1)[-1], "parts-ok", "fonts=" + ",".join(sorted(fonts)),
          "titlePg=" + str(sect.find(W + "titlePg") is not None), "|".join(t for t in texts if t)[:6000])
PYEOF
)
expect_match "docx: every part parses, only Times New Roman, first page different" \
  "prov.docx parts-ok fonts=Times New Roman titlePg=True" "$docx_check"
expect_match "docx: state header, number, date, title" \
  "UBND TỈNH LAI CHÂU\|SỞ NÔNG NGHIỆP.*CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\|Độc lập - Tự do - Hạnh phúc.*Số: .*/BC-SNNMT\|Lai Châu, ngày 05 tháng 7 năm 2023\|BÁO CÁO\|Kết quả thực hiện các chỉ tiêu" "$docx_check"
expect_match "docx: recipients and signature" "Nơi nhận:.*- Lưu: VT, KHTC\.\|KT\. GIÁM ĐỐC\|PHÓ GIÁM ĐỐC" "$docx_check"
expect_match "docx: party header and number" "party.docx parts-ok.*TỈNH ỦY LAI CHÂU\|\*.*ĐẢNG CỘNG SẢN VIỆT NAM\|Số 752-BC/TU" "$docx_check"

# --- PDF --------------------------------------------------------------------------
fonts=$(pdffonts "$OUT/prov.pdf")
expect_match "pdf: Liberation Serif embedded (regular, bold, italic)" \
  "\+LiberationSerif .*\+LiberationSerif-Bold .*\+LiberationSerif-Italic |\+LiberationSerif-Italic .*\+LiberationSerif .*\+LiberationSerif-Bold " "$fonts"
expect_no_match "pdf: no font left unembedded" " no +(yes|no) +(yes|no) " "$(echo "$fonts" | tail -n +3)"
expect_match "pdf: A4" "Page size: +595.2[0-9]* x 841.8[0-9]* pts \(A4\)" "$(pdfinfo "$OUT/prov.pdf")"
page1=$(pdftotext -layout -f 1 -l 1 "$OUT/prov.pdf" -)
expect_match "pdf: the decree's header with diacritics" "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" "$page1"
expect_match "pdf: motto" "Độc lập - Tự do - Hạnh phúc" "$page1"
expect_match "pdf: place and date" "Lai Châu, ngày 05 tháng 7 năm 2023" "$page1"
expect_match "pdf: data trace in the footer" "Số liệu: 9f3c2a7b41d0" "$page1"
expect_match "pdf: page 1 says the figures are illustrative" "SỐ LIỆU MINH HỌA" "$page1"
expect_match "pdf: the time is Vietnam's and says so" "lập lúc 05/07/2023 09:30 giờ Việt Nam \(UTC\+7\)" "$page1"
expect_match "docx: page 1 says the figures are illustrative" "SỐ LIỆU MINH HỌA" "$docx_check"
expect_no_match "pdf: no page number on page 1" "^[[:space:]]*1[[:space:]]*$" "$(echo "$page1" | head -3)"
expect_match "pdf: page 2 numbered at the top" "^[[:space:]]*2[[:space:]]*$" "$(pdftotext -layout -f 2 -l 2 "$OUT/prov.pdf" - | grep -v '^\s*$' | head -1)"
all=$(pdftotext "$OUT/prov.pdf" -)
expect_match "pdf: the table of indicators" "Biểu 1\. Kết quả thực hiện các chỉ tiêu" "$all"
expect_match "pdf: signature block" "KT\. GIÁM ĐỐC" "$all"
expect_match "pdf: appendix by unit" "Phụ lục II" "$all"
party=$(pdftotext "$OUT/party.pdf" -)
expect_match "party pdf: title and number" "ĐẢNG CỘNG SẢN VIỆT NAM" "$party"
expect_match "party pdf: signature" "T/M BAN THƯỜNG VỤ" "$party"
expect_match "commune pdf: names the commune" "Xã Tân Uyên" "$(pdftotext "$OUT/commune.pdf" -)"

# --- HTML -------------------------------------------------------------------------
html_check=$("$PY" - "$OUT/prov.html" <<'PYEOF'
import sys, html.parser
class P(html.parser.HTMLParser):
    def __init__(s):
        super().__init__(); s.tags = {}
    def handle_starttag(s, t, a):
        s.tags[t] = s.tags.get(t, 0) + 1
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
print("svg=%d table=%d script=%d img=%d" % (p.tags.get("svg", 0), p.tags.get("table", 0), p.tags.get("script", 0), p.tags.get("img", 0)))
PYEOF
)
expect_eq "html: 5 inline charts, 3 tables, no script, no external images" "svg=5 table=3 script=0 img=0" "$html_check"

# --- errors -------------------------------------------------------------------------
"$NONGSAN" report render --in "$PROV" --format odt --out "$OUT/x.odt" >"$WORK/err" 2>&1
rc=$?
expect_fails "bad --format is refused" $rc
expect_match "… naming the option" "--format: must be html, pdf, docx or xlsx" "$(cat "$WORK/err")"
echo '{"kind":"review"' >"$WORK/broken.json"
"$NONGSAN" report render --in "$WORK/broken.json" --format pdf --out "$OUT/b.pdf" >"$WORK/err" 2>&1
expect_fails "broken JSON is refused" $?
"$PY" -c "import json,sys; r=json.load(open(sys.argv[1])); del r['data_hash']; r['indicators'][1]['band']='great'; json.dump(r,open(sys.argv[2],'w'))" "$PROV" "$WORK/bad.json"
"$NONGSAN" report render --in "$WORK/bad.json" --format pdf --out "$OUT/bad.pdf" >"$WORK/err" 2>&1
expect_fails "a review off the contract is refused" $?
err=$(tr '\n' ' ' <"$WORK/err")
expect_match "… naming the missing hash" "data_hash: missing" "$err"
expect_match "… and the bad band" "indicators\[1\]\.band: must be one of achieved, over_half, low or null" "$err"
check "… and nothing is written" test ! -e "$OUT/bad.pdf" -a ! -e "$OUT/bad.pdf.part"
# Mutated files: nesting 60,000 deep (it crashed the renderer, exit 139), wrong types
# (they surfaced as type_error.302), 350,000 "ố" in a unit's level (it ran for minutes).
"$PY" -c "print('[' * 60000 + ']' * 60000)" >"$WORK/deep.json"
"$NONGSAN" report render --in "$WORK/deep.json" --format html --out "$OUT/deep.html" >"$WORK/err" 2>&1
rc=$?
expect_eq "JSON nested 60,000 deep: a data error, not a crash" "65" "$rc"
expect_match "… saying where it is too deep" "nests objects and arrays more than 64 deep \(line 1, column 65\)" "$(cat "$WORK/err")"
"$PY" -c "import json,sys; r=json.load(open(sys.argv[1])); r['units'][3]['level']=5; r['indicators'][0]['illustrative']='yes'; json.dump(r,open(sys.argv[2],'w'))" "$PROV" "$WORK/types.json"
"$NONGSAN" report render --in "$WORK/types.json" --format pdf --out "$OUT/types.pdf" >"$WORK/err" 2>&1
expect_fails "wrong JSON types are refused" $?
err=$(tr '\n' ' ' <"$WORK/err")
expect_match "… naming the path" "units\[3\]\.level: must be a string" "$err"
expect_match "… every one of them" "indicators\[0\]\.illustrative: must be true or false" "$err"
expect_no_match "… never a library's exception" "type_error" "$err"
"$PY" -c "import json,sys; r=json.load(open(sys.argv[1])); r['unit']['name']='ố'*350000; json.dump(r,open(sys.argv[2],'w'),ensure_ascii=False)" "$PROV" "$WORK/long.json"
"$NONGSAN" report render --in "$WORK/long.json" --format pdf --out "$OUT/long.pdf" >"$WORK/err" 2>&1
expect_fails "350,000 characters in a unit's name are refused" $?
expect_match "… naming the field and the limit" "unit.name: is longer than 500 characters" "$(cat "$WORK/err")"
check "… and nothing is written" test ! -e "$OUT/long.pdf"

# --- LibreOffice: open the DOCX, recalculate the XLSX -----------------------------------
if ! command -v soffice >/dev/null 2>&1; then
  echo "# SKIPPED: LibreOffice checks (soffice not installed; scripts/install-deps.sh installs libreoffice-writer-nogui and libreoffice-calc-nogui)"
  finish
fi
# A private LibreOffice profile that recalculates XLSX formulas on load (its default shows
# the cached results, which are the JSON's own figures and would prove nothing).
PROFILE="$WORK/lo-profile"
mkdir -p "$PROFILE/user"
cat >"$PROFILE/user/registrymodifications.xcu" <<'XCU'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
XCU
lo() { timeout 180 soffice -env:UserInstallation=file://"$PROFILE" --headless "$@" >/dev/null 2>&1; }
log "LibreOffice: DOCX to PDF"
lo --convert-to pdf --outdir "$WORK/lo" "$OUT/prov.docx"
check "LibreOffice opens the DOCX" test -s "$WORK/lo/prov.pdf"
lo_text=$(pdftotext "$WORK/lo/prov.pdf" - 2>/dev/null)
expect_match "… and lays out the header, title and signature" \
  "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM.*BÁO CÁO.*Nơi nhận:" "$(echo "$lo_text" | tr '\n' ' ')"
pages=$(pdfinfo "$WORK/lo/prov.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
check "… on several A4 pages ($pages)" test "${pages:-0}" -ge 5

log "LibreOffice: XLSX recalculated to CSV"
xlsx_csv() {  # xlsx_csv FILE DIR: every sheet to DIR/<name>-<sheet>.csv
  lo --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,false,false,false,-1' --outdir "$2" "$1"
}
xlsx_csv "$OUT/prov.xlsx" "$WORK/csv"
xlsx_result=$("$PY" - "$PROV" "$WORK/csv" prov <<'PYEOF'
import csv, json, sys
review, folder, stem = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
def num(s):
    s = s.strip()
    return None if s == "" else float(s.replace(".", "").replace(",", ".") if "," in s else s)
rows = list(csv.reader(open(f"{folder}/{stem}-Chỉ tiêu.csv", encoding="utf-8")))
data = [r for r in rows[4:] if r and r[0].strip().isdigit()]
band = {"achieved": "Đạt, vượt", "over_half": "Trên 50%", "low": "Thấp", None: "Chưa có số liệu"}
bad = []
for r, ind in zip(data, review["indicators"]):
    code = r[1]
    for col, key in ((11, "achievement_pct"), (12, "forecast"), (13, "forecast_pct")):
        got, want = num(r[col]), ind[key]
        if (got is None) != (want is None) or (got is not None and abs(got - want) > 1e-6 * max(1, abs(want))):
            bad.append(f"{code} {key}: formula {r[col]!r} json {want!r}")
    if r[14] != band[ind["band"]]:
        bad.append(f"{code} band: formula {r[14]!r} json {ind['band']!r}")
    fr = ind["forecast_reached"]
    if r[15] != ("" if fr is None else "Đạt" if fr else "Khó đạt"):
        bad.append(f"{code} forecast_reached: formula {r[15]!r} json {fr!r}")
    if r[18].strip() and abs(num(r[18])) > 1e-6:
        bad.append(f"{code} check column shows {r[18]!r}")
params = {r[0]: r[1:] for r in csv.reader(open(f"{folder}/{stem}-Tham số.csv", encoding="utf-8")) if r}
f = num(params["f = (D − S)/(E − S), tối đa 1 — công thức"][0])
if abs(f - review["elapsed_fraction"]) > 1e-12:
    bad.append(f"f: formula {f} json {review['elapsed_fraction']}")
labels = {"total": "Tổng số chỉ tiêu", "achieved": "Đạt, vượt", "over_half": "Đạt trên 50%", "low": "Đạt thấp",
          "no_data": "Chưa có số liệu", "passed_half": "Đạt từ 50% trở lên", "forecast_missed": "Dự báo khó đạt"}
for k, l in labels.items():
    if num(params[l][0]) != review["counts"][k]:
        bad.append(f"count {k}: formula {params[l][0]!r} json {review['counts'][k]}")
print(f"rows={len(data)} mismatches={len(bad)}", *bad[:10], sep="\n")
PYEOF
)
expect_eq "xlsx: every formula recalculates to the JSON's figures" "rows=14 mismatches=0" "$xlsx_result"

# A figure changed in the JSON (as if typed over) is caught by the check column.
"$PY" -c "import json,sys; r=json.load(open(sys.argv[1])); r['indicators'][0]['achievement_pct'] += 10; json.dump(r,open(sys.argv[2],'w'),ensure_ascii=False)" "$PROV" "$WORK/tampered.json"
check "render the tampered review" "$NONGSAN" report render --in "$WORK/tampered.json" --format xlsx --out "$OUT/tampered.xlsx"
xlsx_csv "$OUT/tampered.xlsx" "$WORK/csv2"
diff_col=$("$PY" -c "
import csv,sys
rows=[r for r in csv.reader(open(sys.argv[1]+'/tampered-Chỉ tiêu.csv',encoding='utf-8')) if r and r[0].strip().isdigit()]
print(rows[0][1], rows[0][18].replace(',', '.'))" "$WORK/csv2")
expect_match "xlsx: the check column shows the difference" "^TEA_AREA -10(\.0+)?$" "$diff_col"
finish
