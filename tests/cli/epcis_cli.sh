# EPCIS from the command line, as another system's operator would use it: `epcis hash`
# reproduces the reference implementation's vectors; `epcis capture` stores GS1's example
# documents (the second time: nothing new) and refuses a broken one with nothing stored
# and the event named; `epcis query` writes an EPCISQueryDocument whose events hash as
# the captured ones, with the standard's parameter names.
#
# usage: bash tests/cli/epcis_cli.sh <nongsan-binary> <repo-root>
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
need_tools jq
DATA="$REPO/tests/data/epcis"
DB="$WORK/e.gpkg"
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; fi; }

# 1. Every vector with a document hashes as the reference.
for doc in "$DATA"/hash-vectors/*.jsonld; do
  expected="${doc%.jsonld}.hashes"
  [[ -f $expected ]] || continue
  check "hash $(basename "$doc")" "diff <(\"$NONGSAN\" epcis hash \"$doc\") <(grep . \"$expected\") >/dev/null"
done

# 2. Capture: new events, then the same again changes nothing.
"$NONGSAN" --db "$DB" migrate >/dev/null
out=$("$NONGSAN" --db "$DB" epcis capture "$DATA/hash-vectors/epcisDocWithVariousEventTypes.jsonld")
check "first capture stores 13" "[[ \"$out\" == 'captured 13, already present 0'* ]]"
out=$("$NONGSAN" --db "$DB" epcis capture "$DATA/hash-vectors/epcisDocWithVariousEventTypes.jsonld")
check "second capture stores nothing" "[[ \"$out\" == 'captured 0, already present 13'* ]]"

# 3. A broken document: refused, the event named, nothing stored.
jq '.epcisBody.eventList[0].eventTime = "2019-10-21T14:45:00"' "$DATA/hash-vectors/epcisDocWithSingleEvent.jsonld" > "$WORK/bad.jsonld"
set +e
err=$("$NONGSAN" --db "$DB" epcis capture "$WORK/bad.jsonld" 2>&1)
rc=$?
set -e
check "broken document exits non-zero" "[[ $rc -ne 0 ]]"
check "broken document names event 0 and eventTime" "grep -q 'event 0' <<<\"\$err\" && grep -q 'eventTime' <<<\"\$err\""
"$NONGSAN" --db "$DB" epcis query --out "$WORK/all.jsonld" 2>/dev/null
check "nothing of the broken document stored" "[[ \$(jq '.epcisBody.queryResults.resultsBody.eventList | length' \"$WORK/all.jsonld\") == 13 ]]"

# 4. Query back: the events hash as captured; the standard's names filter.
check "query document hashes as captured" \
  "diff <(\"$NONGSAN\" epcis hash \"$WORK/all.jsonld\" | sort) <(sort \"$DATA/hash-vectors/epcisDocWithVariousEventTypes.hashes\" | grep .) >/dev/null"
"$NONGSAN" --db "$DB" epcis query --EQ_bizStep packing --out "$WORK/packing.jsonld" 2>/dev/null
check "EQ_bizStep packing gives 2" "[[ \$(jq '.epcisBody.queryResults.resultsBody.eventList | length' \"$WORK/packing.jsonld\") == 2 ]]"
"$NONGSAN" --db "$DB" epcis query --param 'EQ_bizTransaction_inv=urn:epcglobal:cbv:bt:4012345123456:RE1099' --out "$WORK/inv.jsonld" 2>/dev/null
check "EQ_bizTransaction_inv gives 2" "[[ \$(jq '.epcisBody.queryResults.resultsBody.eventList | length' \"$WORK/inv.jsonld\") == 2 ]]"
set +e
"$NONGSAN" --db "$DB" epcis query --param EQ_nonsense=1 >/dev/null 2>&1
rc=$?
set -e
check "unknown parameter refused" "[[ $rc -ne 0 ]]"

exit $fail
