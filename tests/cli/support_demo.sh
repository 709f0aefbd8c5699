# The support part of `nongsan demo`, as a new user meets it: the shipped Lai Châu
# policies (the bee-keeping support of Resolution 07/2021/NQ-HĐND with its sourced
# 700,000 đồng per hive, the rest illustrative, with amendments), budgets per policy,
# year and funding source, two illustrative years of applications and payments, and the
# check runs that fill the review queue — where every kind of finding of docs/support.md
# shows. Running the demo again adds nothing.
#
# usage: bash tests/cli/support_demo.sh <nongsan-binary> <repo-root>
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
need_tools sqlite3 jq

DB="$WORK/demo.gpkg"
log "the demo database"
out=$("$NONGSAN" demo --db "$DB" 2>&1) || abort "nongsan demo" "${out:0:2000}"
expect_match "the demo says what support it loaded, illustrative" \
  'support \(illustrative\): Resolution 07/2021/NQ-HĐND policies .* 2025: [0-9]+ applications, [0-9]+ findings of 11 kinds' "$out"
q() { sqlite3 "$DB" "$1" 2>&1; }

log "policies"
expect_eq "the shipped policies: 14 versions of 12 codes" "14|12" "$(q 'SELECT count(*), count(DISTINCT code) FROM support_policy')"
expect_eq "bee-keeping: the sourced amount, not illustrative" "NQ07-ONG|hive|700000.0|0" \
  "$(q "SELECT code, item, rate, illustrative FROM support_policy WHERE code = 'NQ07-ONG'")"
expect_eq "every other policy is illustrative" "0" \
  "$(q "SELECT count(*) FROM support_policy WHERE code <> 'NQ07-ONG' AND illustrative = 0")"
expect_match "the bee-keeping note keeps its source and confidence" 'Confidence medium.*phongtho\.laichau\.gov\.vn' \
  "$(q "SELECT note FROM support_policy WHERE code = 'NQ07-ONG'")"
expect_eq "amendments: tea planting (2024-07-01) and barns (2023-09-01)" \
  "NQ07-CHE|2021-03-22|0.5
NQ07-CHE|2024-07-01|0.3
NQ07-CHUONG|2021-03-22|
NQ07-CHUONG|2023-09-01|" \
  "$(q "SELECT code, version, CASE WHEN conditions LIKE 'claimed_ha >= 0.5%' THEN '0.5' WHEN conditions LIKE 'claimed_ha >= 0.3%' THEN '0.3' ELSE '' END FROM support_policy WHERE code IN ('NQ07-CHE', 'NQ07-CHUONG') ORDER BY code, version")"

log "budgets, applications, payments"
expect_eq "budgets for 2024 and 2025 from the five kinds of funding source" "2|5" \
  "$(q 'SELECT count(DISTINCT year), count(DISTINCT funding_source) FROM support_budget')"
expect_eq "every budget line says it is illustrative" "0" "$(q "SELECT count(*) FROM support_budget WHERE note NOT LIKE '%minh họa%'")"
napps=$(q 'SELECT count(*) FROM support_application')
expect_match "two years of applications" '^[0-9]{3}$' "$napps"
expect_eq "applications of 2024 and 2025, labelled illustrative" "2024|2025|0" \
  "$(q "SELECT min(substr(filed, 1, 4)), max(substr(filed, 1, 4)), sum(source NOT LIKE '%minh họa%') FROM support_application")"
expect_eq "every status of the life cycle but 'recovered' in 2025, and rejected ones" "7" \
  "$(q "SELECT count(DISTINCT status) FROM support_application WHERE filed >= '2025-01-01'")"
expect_match "payments with their funding source" '^[1-9][0-9]*\|0$' \
  "$(q "SELECT count(*), sum(funding_source = '') FROM support_payment")"
expect_eq "a person registered twice (same citizen ID, another producer id)" "1" \
  "$(q "SELECT count(*) FROM (SELECT citizen_id_hash FROM producer WHERE citizen_id_hash <> '' GROUP BY citizen_id_hash HAVING count(*) > 1 AND sum(external_id LIKE '%-B') = 1)")"

log "the review queue was filled"
expect_eq "one check run stored for each year" "2024|1
2025|1" "$(q 'SELECT year, count(*) FROM support_check_run GROUP BY year ORDER BY year')"
expect_eq "the stored findings of 2025 hold every kind" "11" \
  "$(q "SELECT count(DISTINCT finding) FROM support_check_finding f JOIN support_check_run r ON r.id = f.run_id WHERE r.year = 2025")"
"$NONGSAN" check claims --db "$DB" --year 2025 --format csv --out "$WORK/claims.csv" 2>/dev/null
expect_eq "check claims exits 0" "0" "$?"
for k in overlap exclusive_policies over_declared not_controlled outside_zone wrong_crop unsuitable duplicate_person \
  cap_exceeded paid_without_acceptance paid_over_approved; do
  n=$(grep -c "^$k," "$WORK/claims.csv")
  if [[ $n -gt 0 ]]; then pass "check claims --year 2025 finds $k ($n)"; else fail "check claims --year 2025 finds $k"; fi
done
expect_eq "the same findings as the demo's stored run" \
  "$(q "SELECT finding || ',' || application || ',' || other_application || ',' || parcel FROM support_check_finding WHERE run_id = (SELECT min(id) FROM support_check_run WHERE year = 2025) ORDER BY id" | md5sum)" \
  "$(tail -n +2 "$WORK/claims.csv" | cut -d, -f1-4 | md5sum)"
"$NONGSAN" support evaluate --db "$DB" --year 2025 --format json --out "$WORK/amounts.json" 2>/dev/null
expect_match "honest applications are paid something, the cut ones less" '^[1-9][0-9]+ [1-9][0-9]*$' \
  "$(jq -r '[([.applications[] | select(.amount > 0)] | length), ([.applications[] | select(.before_cap > .amount)] | length)] | join(" ")' "$WORK/amounts.json")"
expect_eq "the rule trace says why a condition failed (two head of cattle)" "quantity >= 3|2|false" \
  "$(jq -r '[.applications[] | select(.policy == "NQ07-GIONG-GS" and .conditions_hold == false)][0].conditions[0] | [.text, .left, (.result | tostring)] | join("|")' "$WORK/amounts.json")"

log "running the demo again adds nothing"
out=$("$NONGSAN" demo --db "$DB" 2>&1) || abort "nongsan demo (again)" "${out:0:2000}"
expect_match "it says the applications were left as they are" 'support: applications already present' "$out"
expect_eq "no application added" "$napps" "$(q 'SELECT count(*) FROM support_application')"
expect_eq "no policy added" "14" "$(q 'SELECT count(*) FROM support_policy')"

finish
