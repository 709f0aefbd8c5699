# OCOP: `nongsan ocop status` checked the way the province will check it — products,
# evaluations and events nobody wrote the code against (lib/ocop_world.py, seeded: band
# edges 49.99/50/70/90, provincial 90+ scores, month-end decision dates, replaced
# certificates, revocations and downgrades, a downgrade of an earlier certificate),
# imported with the CLI into a database that holds nothing else (`nongsan migrate`, no
# administrative units), and the status on every chosen date compared row for row with
# an independent computation of docs/ocop.md's rules (lib/ocop_world.py status).
# Also: bad files are refused with their line and column and store nothing; re-imports
# change nothing; certificates import and the covering query; lab results (pass or fail
# computed, the failed test's finding raised once) and the watch. Then the same on
# PostgreSQL/PostGIS (the throw-away cluster, when PostgreSQL 15 is installed).
#
# usage: bash tests/cli/ocop_cli.sh <nongsan-binary> <repo-root>   (SEED=… for another world)
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
need_tools sqlite3 jq
LIB="$(dirname "${BASH_SOURCE[0]}")/lib"
PY=/usr/bin/python3
SEED=${SEED:-20261206}
W="$WORK/world"
mkdir -p "$W"
"$PY" "$LIB/ocop_world.py" world "$W" "$SEED" || abort "the world is written"

q() {
  if [[ $1 == postgresql://* ]]; then psql -X -q -tA -F, "$1" -c "$2" 2>&1; else sqlite3 -separator , "$1" "$2" 2>&1; fi
}
run_ok() {
  local desc=$1 re=$2 out rc
  shift 2
  out=$("$@" 2>&1)
  rc=$?
  if [[ $rc == 0 && $out =~ $re ]]; then pass "$desc"; else fail "$desc" "exit $rc" "${out:0:600}"; fi
}
NPROD=$(($(wc -l <"$W/products.csv") - 1))
NEVAL=$(($(wc -l <"$W/evaluations.csv") - 1))
NEVENT=$(($(wc -l <"$W/events.csv") - 1))

load() {
  local t=$1 tag=$2 out
  out=$("$NONGSAN" migrate --db "$t" 2>&1) || abort "$tag: nongsan migrate" "$out"
  expect_eq "$tag: no administrative units" "0" "$(q "$t" 'SELECT count(*) FROM admin_unit')"
  run_ok "$tag: import producers" "created 8," "$NONGSAN" import producers --db "$t" "$W/producers.csv"

  # Bad products: an unknown subject, a group outside 1–6, an unknown commune.
  awk -F, 'BEGIN { OFS = "," } NR == 3 { $3 = "NO-SUCH" } NR == 5 { $4 = "7" } { print }' "$W/products.csv" \
    >"$WORK/bad_products.csv"
  out=$("$NONGSAN" import ocop-products --db "$t" "$WORK/bad_products.csv" 2>&1)
  expect_fails "$tag: products with mistakes are refused" $?
  expect_match "$tag: ... an unknown subject by line and column" "line 3, column subject" "$out"
  expect_match "$tag: ... a group outside 1-6 by line and column" "line 5, column group" "$out"
  printf 'product,name,subject,group,commune\nP-X,X,HTX-01,1,99999\n' >"$WORK/bad_commune.csv"
  out=$("$NONGSAN" import ocop-products --db "$t" "$WORK/bad_commune.csv" 2>&1)
  expect_fails "$tag: an unknown commune is refused" $?
  expect_match "$tag: ... naming line 2, column commune" "line 2, column commune" "$out"
  expect_eq "$tag: no product was stored" "0" "$(q "$t" 'SELECT count(*) FROM ocop_product')"
  run_ok "$tag: import ocop-products" "created $NPROD, updated 0, unchanged 0" \
    "$NONGSAN" import ocop-products --db "$t" "$W/products.csv"
  run_ok "$tag: import ocop-products again: unchanged" "created 0, updated 0, unchanged $NPROD" \
    "$NONGSAN" import ocop-products --db "$t" "$W/products.csv"

  # Bad evaluations: a part above its maximum, a level that is not a council's.
  awk -F, 'BEGIN { OFS = "," } NR == 2 { $5 = "25.5" } NR == 4 { $2 = "self" } NR == 6 { $4 = "40.01" } { print }' \
    "$W/evaluations.csv" >"$WORK/bad_evaluations.csv"
  out=$("$NONGSAN" import ocop-evaluations --db "$t" "$WORK/bad_evaluations.csv" 2>&1)
  expect_fails "$tag: evaluations with mistakes are refused" $?
  expect_match "$tag: ... part B above 25 by line and column" "line 2, column part_b" "$out"
  expect_match "$tag: ... part A above 40 by line and column" "line 6, column part_a" "$out"
  expect_match "$tag: ... a level other than province or central" "line 4, column level" "$out"
  expect_eq "$tag: no evaluation was stored" "0" "$(q "$t" 'SELECT count(*) FROM ocop_evaluation')"
  run_ok "$tag: import ocop-evaluations" "created $NEVAL," "$NONGSAN" import ocop-evaluations --db "$t" "$W/evaluations.csv"
  run_ok "$tag: import ocop-evaluations again: unchanged" "created 0, updated 0, unchanged $NEVAL" \
    "$NONGSAN" import ocop-evaluations --db "$t" "$W/evaluations.csv"

  # An event with no certificate in force on its date, and a bad kind.
  printf 'product,date,kind,stars\nP-NONE,2024-01-01,revoked,\nP-EDGE-50,2022-05-09,revoked,\nP-EDGE-50,2023-01-01,suspended,\nP-EDGE-49,2023-01-01,downgraded,2\n' \
    >"$WORK/bad_events.csv"
  out=$("$NONGSAN" import ocop-events --db "$t" "$WORK/bad_events.csv" 2>&1)
  expect_fails "$tag: events with mistakes are refused" $?
  expect_match "$tag: ... no certificate in force (no evaluation)" "line 2, column date" "$out"
  expect_match "$tag: ... no certificate in force (before the decision)" "line 3, column date" "$out"
  expect_match "$tag: ... an unknown kind" "line 4, column kind" "$out"
  expect_match "$tag: ... no certificate in force (below 50)" "line 5, column date" "$out"
  expect_eq "$tag: no event was stored" "0" "$(q "$t" 'SELECT count(*) FROM ocop_event')"
  run_ok "$tag: import ocop-events" "created $NEVENT," "$NONGSAN" import ocop-events --db "$t" "$W/events.csv"
  run_ok "$tag: import ocop-events again: unchanged" "created 0, updated 0, unchanged $NEVENT" \
    "$NONGSAN" import ocop-events --db "$t" "$W/events.csv"
}

compare() {
  local t=$1 tag=$2 d bad=0 n=0
  while read -r d; do
    [[ -z $d ]] && continue
    n=$((n + 1))
    "$NONGSAN" ocop status --db "$t" --on "$d" --format csv >"$WORK/got.csv" 2>&1
    "$PY" "$LIB/ocop_world.py" status "$W" "$d" >"$WORK/want.csv"
    if ! diff -u "$WORK/want.csv" "$WORK/got.csv" >"$WORK/diff.txt"; then
      bad=$((bad + 1))
      [[ $bad -le 3 ]] && fail "$tag: ocop status on $d" "$(head -c 1500 "$WORK/diff.txt")"
    fi
  done <"$W/dates.txt"
  expect_eq "$tag: ocop status equals the independent computation on all $n dates" "0" "$bad"
  # JSON carries the same rows.
  "$NONGSAN" ocop status --db "$t" --on 2026-08-31 --format json >"$WORK/got.json"
  expect_eq "$tag: the JSON rows are the CSV rows" "$("$PY" "$LIB/ocop_world.py" status "$W" 2026-08-31 | tail -n +2)" \
    "$(jq -r '.[] | [.product, .stars, (.decision_date // ""), (.expires // ""), .status] | join(",")' "$WORK/got.json")"
  expect_match "$tag: 31 Aug runs to 31 Aug three years later" "P-AUG-31,4,2023-08-31,2026-08-31,expiring" \
    "$(cat "$WORK/got.csv" 2>/dev/null; "$NONGSAN" ocop status --db "$t" --on 2026-08-01 --format csv)"
  expect_match "$tag: 29 Feb 2024 runs to 28 Feb 2027" "P-FEB-29,4,2024-02-29,2027-02-28,valid" \
    "$("$NONGSAN" ocop status --db "$t" --on 2027-01-28 --format csv)"
  expect_match "$tag: a provincial 90 gives 4 stars" "P-PROV-90,4,2022-06-30,2025-06-30,valid" \
    "$("$NONGSAN" ocop status --db "$t" --on 2023-01-01 --format csv)"
  expect_match "$tag: the owners' notices list the expiring certificate" '"product": "P-AUG-31"' \
    "$("$NONGSAN" ocop notices --db "$t" --on 2026-08-01)"
  expect_match "$tag: the calendar gives the day of the notice" '"notify_on": "2026-08-01"' \
    "$("$NONGSAN" ocop calendar --db "$t" --from 2026-08-01 --to 2026-09-30)"

  # Certificates: one row per scope item; the covering query.
  printf 'certificate,kind,holder,issuer,valid_from,valid_to,scope_kind,scope\nVG-1,vietgap,HTX-01,Chi cục,2024-01-01,2026-12-31,product,P-AUG-31\nVG-1,vietgap,HTX-01,Chi cục,2024-01-01,2026-12-31,code,VN-LC-001\nOR-1,organic,HTX-02,Tổ chức X,2025-01-01,2025-12-31,product,P-AUG-31\n' \
    >"$WORK/certs.csv"
  printf 'certificate,kind,holder,issuer,valid_from,valid_to,scope_kind,scope\nVG-9,vietgap,HTX-01,Chi cục,2024-01-01,2023-12-31,parcel,NO-PARCEL\n' \
    >"$WORK/bad_certs.csv"
  out=$("$NONGSAN" import certificates --db "$t" "$WORK/bad_certs.csv" 2>&1)
  expect_fails "$tag: a certificate ending before it starts, over an unknown parcel, is refused" $?
  expect_match "$tag: ... valid_to by line and column" "line 2, column valid_to" "$out"
  expect_match "$tag: ... the parcel by line and column" "line 2, column scope" "$out"
  run_ok "$tag: import certificates" "created 2, updated 0, unchanged 0" "$NONGSAN" import certificates --db "$t" "$WORK/certs.csv"
  expect_eq "$tag: both certificates cover the product in 2025" "OR-1 VG-1" \
    "$("$NONGSAN" certificates covering --db "$t" --kind product --target P-AUG-31 --on 2025-06-01 | jq -r '[.items[].code] | join(" ")')"
  expect_eq "$tag: only VietGAP covers it in 2026" "VG-1" \
    "$("$NONGSAN" certificates covering --db "$t" --kind product --target P-AUG-31 --on 2026-01-01 | jq -r '[.items[].code] | join(" ")')"
  expect_eq "$tag: the growing-area code is covered" "VG-1" \
    "$("$NONGSAN" certificates covering --db "$t" --kind code --target VN-LC-001 --on 2026-12-31 | jq -r '[.items[].code] | join(" ")')"
  expect_eq "$tag: expiry notices of certificates" "OR-1" \
    "$("$NONGSAN" certificates notices --db "$t" --on 2025-12-01 | jq -r '[.items[].code] | join(" ")')"

  # Lab results: mistakes by line and column and nothing stored; pass or fail computed; the
  # failed test of a certified product raises one finding, a re-import none.
  printf 'sample,product,laboratory,date,parameter,category,value,unit,limit\nKN-2,NO-SUCH,Trung tâm,2025-03-01,Pb,heavy_metal,0.1,mg/kg,0.3\nKN-3,P-AUG-31,Trung tâm,2025-03-01,Pb,metal,abc,mg/kg,0.3\n' \
    >"$WORK/bad_labs.csv"
  out=$("$NONGSAN" import lab-results --db "$t" "$WORK/bad_labs.csv" 2>&1)
  expect_fails "$tag: lab results with mistakes are refused" $?
  expect_match "$tag: ... an unknown product by line and column" "line 2, column product" "$out"
  expect_match "$tag: ... a bad category by line and column" "line 3, column category" "$out"
  expect_match "$tag: ... a value that is not a number by line and column" "line 3, column value" "$out"
  expect_eq "$tag: no lab result was stored" "0" "$(q "$t" 'SELECT count(*) FROM ocop_lab_result')"
  printf 'sample,product,laboratory,date,parameter,category,value,unit,limit,standard\nKN-1,P-AUG-31,Trung tâm,2025-03-01,Chì (Pb),heavy_metal,0.1,mg/kg,0.3,QCVN 8-2:2011/BYT\nKN-1,P-AUG-31,Trung tâm,2025-03-01,Cadimi (Cd),heavy_metal,0.5,mg/kg,0.2,QCVN 8-2:2011/BYT\n' \
    >"$WORK/labs.csv"
  run_ok "$tag: import lab-results: the failed test raises a finding" "created 2, updated 0, unchanged 0, findings raised 1" \
    "$NONGSAN" import lab-results --db "$t" "$WORK/labs.csv"
  run_ok "$tag: import lab-results again: unchanged, nothing raised" "created 0, updated 0, unchanged 2, findings raised 0" \
    "$NONGSAN" import lab-results --db "$t" "$WORK/labs.csv"
  expect_eq "$tag: pass or fail is computed from value and limit" "Cadimi (Cd):false Chì (Pb):true" \
    "$("$NONGSAN" ocop lab-results --db "$t" --product P-AUG-31 | jq -r '[.items[] | "\(.parameter):\(.passed)"] | join(" ")')"
  expect_eq "$tag: one lab_failed finding" "1" "$(q "$t" "SELECT count(*) FROM ocop_finding WHERE kind = 'lab_failed'")"
  # The watch: OR-1 (organic, over P-AUG-31) lapsed on 2026-01-01 while the OCOP certificate was valid.
  expect_eq "$tag: the watch raises the lapsed certificate, dated the day it lapsed" "certificate_lapsed 2026-01-01" \
    "$("$NONGSAN" ocop watch --db "$t" --on 2026-02-01 | jq -r '[.raised[] | "\(.kind) \(.found_on)"] | join(",")')"
  expect_eq "$tag: the watch again raises nothing" "0" \
    "$("$NONGSAN" ocop watch --db "$t" --on 2026-03-01 | jq '.raised | length')"
}

DB="$WORK/ocop.gpkg"
load "$DB" sqlite
compare "$DB" sqlite

PG_SCRIPT="$REPO/scripts/pg-test-cluster.sh"
if [[ -x /usr/lib/postgresql/15/bin/initdb ]] && command -v psql >/dev/null; then
  PG_PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  trap '"$PG_SCRIPT" stop "$PG_PORT" >/dev/null 2>&1; cleanup' EXIT
  log "PostgreSQL: a throw-away cluster on port $PG_PORT"
  if out=$("$PG_SCRIPT" start "$PG_PORT" 2>&1); then
    URL="postgresql://nongsan@127.0.0.1:$PG_PORT/nongsan_test"
    load "$URL" pg
    compare "$URL" pg
  else
    fail "the PostgreSQL test cluster starts" "${out:0:600}"
  fi
else
  pass "PostgreSQL part skipped: PostgreSQL 15 is not installed"
fi

finish
