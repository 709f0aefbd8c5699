# The committee's conclusions from the command line (docs/conclusions.md) on the demo
# database as of 30/06/2023: `report conclusions` in DOCX, PDF and HTML (the notice's
# structure, every paragraph with its sources, the appendix), `report conclusions-register`
# (the register of issued reports), errors naming the option; then the public portal
# (docs/portal.md) served without login and without any household's name or phone.
#
# usage: bash tests/cli/conclusions_cli.sh <nongsan-binary> <repo-root>
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
need_tools sqlite3 pdftotext unzip curl python3
DB="$WORK/demo.gpkg"
cd "$WORK" || abort "work folder"
make_demo_db "$DB"

log "report conclusions in the three formats"
for f in docx pdf html; do
  out=$("$NONGSAN" report conclusions --db "$DB" --programme NQ05 --as-of 2023-06-30 --format "$f" --out "$WORK/tb.$f" 2>&1)
  expect_match "report conclusions --format $f stores a draft" "draft [0-9]+ stored" "$out"
  check "tb.$f is written" test -s "$WORK/tb.$f"
done
text=$(pdftotext "$WORK/tb.pdf" - 2>/dev/null | tr -s " \n" "  ")
expect_match "PDF: THÔNG BÁO of the Party committee" "THÔNG BÁO" "$text"
expect_match "PDF: 14/17 indicators over 50 %" "14/17 chỉ tiêu" "$text"
expect_match "PDF: Shan tuyết tea low, with its source" "Trồng mới chè Shan tuyết \(14,0 %\)" "$text"
expect_match "PDF: the tasks section" "Nhiệm vụ, giải pháp" "$text"
expect_match "PDF: the appendix of sources" "NGUỒN SỐ LIỆU" "$text"
expect_match "PDF: marked as a draft and illustrative" "DỰ THẢO" "$text"
docx=$(unzip -p "$WORK/tb.docx" word/document.xml)
expect_match "DOCX: THÔNG BÁO in word/document.xml" "THÔNG BÁO" "$docx"
expect_match "DOCX: Times New Roman" "Times New Roman" "$(unzip -p "$WORK/tb.docx" word/styles.xml word/document.xml)"
# Every paragraph of the body ends with its references, and every reference has its source.
python3 - "$WORK/tb.html" <<'PY' >"$WORK/refs.txt"
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
body = s.split('<section class="sign">')[0]
paras = re.findall(r'<p class="body[^"]*">(.*?)</p>', body, re.S)
texts = [p for p in paras if len(re.sub('<[^>]+>', '', p)) > 40]
missing = [re.sub('<[^>]+>', '', p)[:60] for p in texts if not re.search(r'href="#nguon-\d+"', p)]
refs = set(re.findall(r'href="#nguon-(\d+)"', body))
anchors = set(re.findall(r'id="nguon-(\d+)"', s))
print(len(texts), len(missing), len(refs - anchors), len(anchors))
PY
read -r NPARA NMISSING NDANGLING NSOURCES <"$WORK/refs.txt"
check "HTML: the body has paragraphs ($NPARA)" test "$NPARA" -gt 8
expect_eq "HTML: every paragraph carries a reference" 0 "$NMISSING"
expect_eq "HTML: every reference resolves to a source" 0 "$NDANGLING"
expect_match "HTML: a source links to the indicator's page" 'href="/targets/NQ05/indicators/CHE_SHAN_TM\?as_of=2023-06-30"' "$(cat "$WORK/tb.html")"

log "register the last draft"
ID=$(sqlite3 "$DB" "SELECT max(id) FROM conclusions_draft")
out=$("$NONGSAN" report conclusions-register --db "$DB" "$ID" --format pdf --out "$WORK/final.pdf" 2>&1)
expect_match "conclusions-register registers it" "registered as report [0-9]+" "$out"
expect_no_match "the registered text is no longer a draft" "DỰ THẢO" "$(pdftotext "$WORK/final.pdf" - 2>/dev/null)"
expect_match "report list shows it with kind conclusions" ",conclusions,NQ05," "$("$NONGSAN" report list --db "$DB" 2>&1)"
ISSUE=$(sed -n 's/.*registered as report \([0-9]*\).*/\1/p' <<<"$out")
out=$("$NONGSAN" report conclusions-verify --db "$DB" "$ISSUE" 2>&1)
expect_match "conclusions-verify: the facts are unchanged" "^unchanged: issued [0-9a-f]{64}, now [0-9a-f]{64}" "$out"
# A review's verification would recompute another hash and call the data changed.
out=$("$NONGSAN" report verify --db "$DB" "$ISSUE" 2>&1)
expect_fails "report verify refuses a conclusions report" $? "$out"
expect_match "and says it is not a review" "not a review" "$out"
"$NONGSAN" report conclusions-register --db "$DB" "$ID" --out "$WORK/again.pdf" >"$WORK/again.log" 2>&1
expect_fails "registering twice is refused" $? "$(cat "$WORK/again.log")"

log "errors name the option"
out=$("$NONGSAN" report conclusions --db "$DB" --programme NQ05 --format odt --out "$WORK/x.odt" 2>&1)
expect_fails "an unknown format is refused" $? "$out"
expect_match "the error names --format" "--format" "$out"
out=$("$NONGSAN" report conclusions --db "$DB" --programme NQ05 --as-of 31-31-2023 --format pdf --out "$WORK/x.pdf" 2>&1)
expect_match "a bad date names --as-of" "--as-of" "$out"
"$NONGSAN" report conclusions --db "$DB" --programme NOPE --format pdf --out "$WORK/x.pdf" >/dev/null 2>&1
expect_fails "an unknown programme is refused" $?

log "the public portal, no login"
start_server "$DB"
page=$(curl -sS "$BASE/cong-khai?programme=NQ05&as_of=2023-06-30")
expect_match "the portal shows the programme's indicators" "Trồng mới chè Shan tuyết" "$page"
expect_match "the portal states the licence" "CC BY 4.0" "$page"
expect_no_match "the portal has no script" "<script" "$page"
all="$page"
for p in "api/v1/public/progress.csv?programme=NQ05" api/v1/public/zones.geojson api/v1/public/growing-areas.geojson api/v1/public/ocop.csv; do
  code=$(curl -sS -o "$WORK/dl" -w '%{http_code}' "$BASE/$p")
  expect_eq "GET /$p without login" 200 "$code"
  all+=$(cat "$WORK/dl")
done
while IFS='|' read -r name phone; do
  [[ -n $name ]] && expect_no_match "no household name ($name) on the portal" "$name" "$all"
  [[ -n $phone ]] && expect_no_match "no phone on the portal" "$phone" "$all"
done < <(sqlite3 "$DB" "SELECT name, COALESCE(phone, '') FROM producer WHERE kind = 'household' LIMIT 20")
finish
