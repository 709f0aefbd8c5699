# GS1 Digital Link labels and the public page (docs/trace.md): the GTIN table, `trace qr`
# (decoded back with zbarimg), refusals for a held lot, an unknown lot and a bad GTIN,
# and the public page a phone opens — on a database holding nothing but these imports
# (`nongsan migrate`, no administrative units: every record is the province's).
#
# The diary: a spray of ABA (PHI 7 days on tea) on P1 on 2025-04-05; L-OK harvested on
# the 7th day (allowed), L-HELD on the 3rd (a phi_not_passed hold); L-HH on P3, which a
# household holds under its own code: the page must not name the household.
#
# usage: bash tests/cli/trace_cli.sh <nongsan-binary> <repo-root>
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
need_tools sqlite3 zbarimg curl jq python3
DB="$WORK/trace.gpkg"
cd "$WORK" || abort "work folder"

# Illustrative GTINs (GS1 prefix 893, Viet Nam; not assigned to anyone).
G_TEA=8930000000019
G_BAD=8930000000018  # a wrong check digit

cat >producers.csv <<'CSV'
external_id,kind,name,commune_code,phone
HTX1,cooperative,HTX chè Tả Phìn Thử Nghiệm,,
HH1,household,Lò Văn Hộ Riêng,,0912345678
CSV
python3 - <<'PY'
rows = ["id,wkt"]
x = 520000
for pid in ("P1", "P3"):
    rows.append(f'{pid},"POLYGON(({x} 2470000,{x+150} 2470000,{x+150} 2470100,{x} 2470100,{x} 2470000))"')
    x += 300
open("parcels.csv", "w").write("\n".join(rows) + "\n")
PY
cat >plantings.csv <<'CSV'
parcel,crop,start_date,end_date,planted_area_m2
P1,tea,2020-01-01,,15000
P3,tea,2020-01-01,,15000
CSV
cat >products.csv <<'CSV'
product,name,active_ingredients,registered_from,registered_to
ABA,Abamectin,abamectin,2020-01-01,
CSV
cat >labels.csv <<'CSV'
product,crop,max_dose_per_ha,phi_days
ABA,tea,0.3,7
CSV
cat >diary.csv <<'CSV'
entry,parcel,date,kind,product,dose_per_ha,quantity_kg,lot
T01,P1,2025-04-05,spray,ABA,0.3,,
T02,P1,2025-04-08,harvest,,,200,L-HELD
T03,P1,2025-04-12,harvest,,,500,L-OK
T04,P3,2025-04-20,harvest,,,300,L-HH
CSV
cat >codes.csv <<'CSV'
code,kind,holder,crop,standard,parcels,issued,status,facility,capacity_t_per_day
VN-DTOR-0017,area,HTX1,tea,VietGAP,P1,2024-03-01,issued,,
VN-12-106-03424-001-24,area,HH1,tea,VietGAP,P3,2024-03-01,issued,,
CSV

out=$("$NONGSAN" migrate --db "$DB" 2>&1) || abort "migrate" "$out"
check "import producers" "$NONGSAN" import producers --db "$DB" producers.csv
check "import parcels" "$NONGSAN" import parcels --db "$DB" --crs 9205 --as-of 2020-01-01 parcels.csv
check "import plantings" "$NONGSAN" import plantings --db "$DB" plantings.csv
check "import pesticide-products" "$NONGSAN" import pesticide-products --db "$DB" products.csv
check "import pesticide-labels" "$NONGSAN" import pesticide-labels --db "$DB" labels.csv
check "import diary" "$NONGSAN" import diary --db "$DB" diary.csv
check "import area-codes" "$NONGSAN" import area-codes --db "$DB" codes.csv

# The GTIN table.
out=$("$NONGSAN" trace gtin set --db "$DB" --gtin "$G_BAD" --crop tea --name-vi "Chè" 2>&1)
expect_fails "a GTIN with a wrong check digit is refused" $? "$out"
expect_match "… naming the field" "gtin.*check digit" "$out"
out=$("$NONGSAN" trace gtin set --db "$DB" --gtin "$G_TEA" --crop tea --name-vi "Chè búp tươi Tả Phìn" \
  --name-en "Fresh tea shoots" --illustrative 2>&1)
expect_eq "set a GTIN (stored as GTIN-14)" "0$G_TEA	tea	Chè búp tươi Tả Phìn	(illustrative)" "$out"
expect_eq "the change is audited" 1 "$(sqlite3 "$DB" "SELECT count(*) FROM audit_log WHERE entity = 'trace_gtin'")"

# A GTIN file, all or nothing: a bad row is named and nothing is stored.
cat >gtins-bad.json <<'JSON'
{"gtins": [{"crop": "macadamia", "gtin": "8939999000031", "name_vi": "Mắc ca"},
           {"crop": "coffee", "gtin": "8939999000030", "name_vi": "Cà phê"}]}
JSON
out=$("$NONGSAN" trace gtin import --db "$DB" gtins-bad.json 2>&1)
expect_fails "a GTIN file with a wrong check digit is refused" $? "$out"
expect_match "… naming the row and field" "gtins\[1\]\.gtin" "$out"
expect_eq "… and nothing of it is stored" 1 "$(sqlite3 "$DB" "SELECT count(*) FROM trace_gtin")"
out=$("$NONGSAN" trace gtin import --db "$DB" 2>&1)
expect_eq "the shipped GTINs are imported" "GTINs added or changed: 5" "$out"
out=$("$NONGSAN" trace gtin import --db "$DB" 2>&1)
expect_eq "… and importing them again changes nothing" "GTINs added or changed: 0" "$out"

# The diary's events and the QR codes read the same GTIN table: tea's lowest GTIN (the
# one set above) names a lot harvested from now on, also one whose code holds a slash.
printf 'entry,parcel,date,kind,product,dose_per_ha,quantity_kg,lot\nT05,P1,2025-05-02,harvest,,,120,L/5\n' >diary2.csv
check "import a harvest of lot L/5" "$NONGSAN" import diary --db "$DB" diary2.csv
"$NONGSAN" epcis query --db "$DB" --format jsonld --out q.jsonld >/dev/null 2>&1
expect_eq "the harvest's event names the lot with tea's GTIN from the table" \
  "https://id.gs1.org/01/0$G_TEA/10/L%2F5" \
  "$(jq -r '.epcisBody.queryResults.resultsBody.eventList[] | select(.eventID == "urn:nongsan:diary:T05") | .quantityList[0].epcClass' q.jsonld)"
"$NONGSAN" trace qr --db "$DB" --gtin "$G_TEA" --lot L/5 --out slash.png >/dev/null 2>&1
expect_eq "the QR code of lot L/5 encodes its slash" "QR-Code:http://127.0.0.1:8080/01/0$G_TEA/10/L%2F5" \
  "$(zbarimg -q slash.png 2>/dev/null)"

# QR codes: the default resolver is the server's own address.
out=$("$NONGSAN" trace qr --db "$DB" --gtin "$G_TEA" --lot L-OK --out ok.png 2>&1)
expect_eq "trace qr prints the URI" "http://127.0.0.1:8080/01/0$G_TEA/10/L-OK" "$out"
expect_eq "zbarimg reads the URI back from the PNG" "QR-Code:http://127.0.0.1:8080/01/0$G_TEA/10/L-OK" \
  "$(zbarimg -q ok.png 2>/dev/null)"
out=$("$NONGSAN" trace qr --db "$DB" --gtin "$G_TEA" --lot L-OK --out ok.svg 2>&1)
expect_match "an SVG is written" "^<svg xmlns" "$(head -c 20 ok.svg)"
out=$("$NONGSAN" trace qr --db "$DB" --gtin "$G_TEA" --lot L-HELD --out held.png 2>&1)
expect_fails "a held lot gets no QR code" $? "$out"
expect_match "… saying why" "lot L-HELD is held" "$out"
[[ ! -e held.png ]] && pass "no file for the held lot" || fail "no file for the held lot" "held.png exists"
out=$("$NONGSAN" trace qr --db "$DB" --gtin "$G_TEA" --lot L-NOPE --out x.png 2>&1)
expect_fails "an unknown lot is refused" $? "$out"
expect_match "… naming it" "no such lot: L-NOPE" "$out"
out=$("$NONGSAN" trace qr --db "$DB" --gtin "$G_BAD" --lot L-OK --out x.png 2>&1)
expect_fails "a bad GTIN is refused" $? "$out"
expect_match "… naming the check digit" "gtin.*check digit" "$out"
out=$("$NONGSAN" trace qr --db "$DB" --gtin 8930000000026 --lot L-OK --out x.png 2>&1)
expect_fails "a GTIN not in the table is refused" $? "$out"
expect_match "… saying so" "not in the GTIN table" "$out"
out=$("$NONGSAN" trace qr --db "$DB" --gtin "$G_TEA" --lot L-OK --out x.pdf 2>&1)
expect_fails "an output that is neither .svg nor .png is refused" $? "$out"
out=$("$NONGSAN" trace resolver --db "$DB" --set https://truyxuat.example.vn/ 2>&1)
expect_eq "set the resolver" "https://truyxuat.example.vn" "$out"
"$NONGSAN" trace qr --db "$DB" --gtin "$G_TEA" --lot L-OK --out r.png >/dev/null 2>&1
expect_eq "the URI uses the resolver" "QR-Code:https://truyxuat.example.vn/01/0$G_TEA/10/L-OK" "$(zbarimg -q r.png 2>/dev/null)"

# The public page, without login.
start_server "$DB"
trap 'stop_server; cleanup' EXIT
page() { curl -s --max-time 10 -o page.html -w '%{http_code}' "$@"; }
code=$(page -H 'Accept-Language: vi' "$BASE/01/0$G_TEA/10/L-OK")
expect_eq "the page of a good lot answers 200 without login" 200 "$code"
body=$(cat page.html)
for want in "Chè búp tươi Tả Phìn" "HTX chè Tả Phìn Thử Nghiệm" "VN-DTOR-0017" "2025-04-12" \
            "Đủ thời gian cách ly trước thu hoạch" "Dữ liệu minh họa" 'lang="vi"'; do
  expect_match "the page shows $want" "$want" "$body"
done
expect_no_match "no script on the page" "<script" "$body"
size=$(wc -c <page.html)
(( size < 8000 )) && pass "the page is light ($size bytes)" || fail "the page is light" "$size bytes"
code=$(page "$BASE/01/0$G_TEA/10/L-OK?lang=en")
expect_match "?lang=en gives English" "Pesticide checks passed" "$(cat page.html)"
code=$(page -H 'Accept-Language: en-GB,en;q=0.8' "$BASE/01/0$G_TEA/10/L-OK")
expect_match "Accept-Language: en gives English" 'lang="en"' "$(cat page.html)"

code=$(page "$BASE/01/0$G_TEA/10/L-HELD")
expect_eq "a held lot's page answers 200" 200 "$code"
expect_match "… saying it is under review" "đang được cơ quan quản lý xem xét" "$(cat page.html)"
expect_no_match "… and nothing else of it" "2025-04-08|VN-DTOR-0017|HTX chè" "$(cat page.html)"

code=$(page "$BASE/01/0$G_TEA/10/L-HH")
expect_eq "the household's lot answers 200" 200 "$code"
expect_no_match "no household name on the page" "Lò Văn Hộ Riêng|HH1" "$(cat page.html)"
expect_no_match "no household phone on the page" "0912345678|345678" "$(cat page.html)"
expect_match "… only that it is a household" "Hộ sản xuất" "$(cat page.html)"

code=$(page "$BASE/01/0$G_TEA/10/L%2F5")
expect_eq "the page of lot L/5 (an encoded slash in the URI) answers 200" 200 "$code"
expect_match "… and shows the lot" "L/5" "$(cat page.html)"

code=$(page "$BASE/01/0$G_TEA/10/L-NOPE")
expect_eq "an unknown lot answers 404" 404 "$code"
expect_match "… with a clear page" "Không có lô hàng với mã này" "$(cat page.html)"
code=$(page "$BASE/01/$G_BAD/10/L-OK?lang=en")
expect_eq "a bad GTIN answers 404" 404 "$code"
expect_match "… with a clear page in English" "The GTIN is not valid" "$(cat page.html)"
code=$(page "$BASE/01/0$G_TEA/10/%3Cscript%3Ealert(1)%3Cb%3E")
expect_no_match "values are escaped" "<script>alert" "$(cat page.html)"

out=$(curl -s --max-time 10 -H 'Accept: application/linkset+json' "$BASE/01/0$G_TEA/10/L-OK")
expect_eq "the linkset's anchor is the URI" "https://truyxuat.example.vn/01/0$G_TEA/10/L-OK" "$(jq -r '.linkset[0].anchor' <<<"$out")"
expect_eq "… with gs1:pip and gs1:traceability" "true true" \
  "$(jq -r '.linkset[0] | "\(has("https://gs1.org/voc/pip")) \(has("https://gs1.org/voc/traceability"))"' <<<"$out")"

# The rest of the server is unchanged: the SPA, its fallback, the API's login.
expect_eq "the SPA still answers /" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/")"
expect_eq "the SPA fallback still answers /trace/labels" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/trace/labels")"
expect_eq "the QR route needs a login" 401 \
  "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/v1/trace/qr.svg?gtin=$G_TEA&lot=L-OK")"
expect_eq "POST on the public page is refused" 405 \
  "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$BASE/01/0$G_TEA/10/L-OK")"
stop_server
finish
