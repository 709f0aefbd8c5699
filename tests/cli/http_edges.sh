#!/usr/bin/env bash
# HTTP edges of `nongsan serve`, seen from curl and a raw socket: size limits,
# bad JSON, login, unknown routes, the UI, the OpenAPI document, security headers,
# request ids, and garbage on the wire (the server must keep serving).
#
# usage: bash tests/cli/http_edges.sh <nongsan-binary> <repo-root>
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
need_tools curl jq sqlite3 timeout brotli gzip

DB="$WORK/edges.gpkg"
"$NONGSAN" migrate --db "$DB" >/dev/null 2>&1 || abort "nongsan migrate creates a database"
"$NONGSAN" user add --db "$DB" edge.admin --name "Quản trị thử" --role province_admin \
  --password 'edge-test-password-2025' >/dev/null 2>&1 || abort "nongsan user add creates an administrator"
start_server "$DB"
TOKEN=$(bearer_token edge.admin edge-test-password-2025)
[[ -n $TOKEN ]] || abort "the administrator gets a bearer token"
AUTH="Authorization: Bearer $TOKEN"

# request OUT-PREFIX CURL-ARGS...: runs curl; leaves the status in CODE, the headers in
# OUT-PREFIX.h and the body in OUT-PREFIX.b.
request() {
  local p=$1
  shift
  CODE=$(curl -s --max-time 20 -D "$p.h" -o "$p.b" -w '%{http_code}' "$@")
}
header() { grep -i "^$1:" "$2" | head -n 1 | cut -d: -f2- | tr -d '\r' | sed 's/^ *//'; }
figures_stored() { sqlite3 "$DB" 'SELECT count(*) FROM unit_figure'; }

# 1 MiB limit.
n0=$(figures_stored)
head -c $((2 * 1024 * 1024)) /dev/zero | tr '\0' ' ' >"$WORK/2mib.json"
request "$WORK/big" -X POST -H "$JSON_CT" -H "$AUTH" --data-binary @"$WORK/2mib.json" "$BASE/api/v1/figures"
expect_eq "a 2 MiB body gets 413" "413" "$CODE"
expect_eq "the 413 is the JSON error payload_too_large" "payload_too_large" "$(jq -r .code "$WORK/big.b" 2>&1)"
# Just over the limit, well-formed JSON.
{ printf '{"series":"tea_area_ha","unit_id":1,"year":2025,"value":1,"note":"'; head -c $((1024 * 1024)) /dev/zero | tr '\0' 'x'; printf '"}'; } >"$WORK/1mib.json"
request "$WORK/big1" -X POST -H "$JSON_CT" -H "$AUTH" --data-binary @"$WORK/1mib.json" "$BASE/api/v1/figures"
expect_eq "a valid JSON body just over 1 MiB gets 413" "413" "$CODE"
expect_eq "nothing is stored by the oversized requests" "$n0" "$(figures_stored)"

# Bad JSON.
request "$WORK/malformed" -X POST -H "$JSON_CT" -H "$AUTH" -d '{"series": "tea_area_ha", "unit_id": ' "$BASE/api/v1/figures"
expect_eq "malformed JSON gets 400" "400" "$CODE"
expect_eq "malformed JSON: code invalid_input" "invalid_input" "$(jq -r .code "$WORK/malformed.b" 2>&1)"
request "$WORK/unknown" -X POST -H "$JSON_CT" -H "$AUTH" \
  -d '{"series":"tea_area_ha","unit_id":1,"year":2025,"value":1,"colour":"green"}' "$BASE/api/v1/figures"
expect_eq "an unknown field gets 400" "400" "$CODE"
expect_eq "the 400 names the unknown field" "colour" "$(jq -r '.errors[0].field' "$WORK/unknown.b" 2>&1)"
request "$WORK/wrongtype" -X POST -H "$JSON_CT" -H "$AUTH" \
  -d '{"series":"tea_area_ha","unit_id":"one","year":2025,"value":1}' "$BASE/api/v1/figures"
expect_eq "a wrong type gets 400" "400" "$CODE"
request "$WORK/notjson" -X POST -H 'Content-Type: text/plain' -H "$AUTH" -d 'hello' "$BASE/api/v1/figures"
expect_eq "a body that is not application/json gets 415" "415" "$CODE"
expect_eq "nothing is stored by the rejected requests" "$n0" "$(figures_stored)"

# Login.
request "$WORK/anon" "$BASE/api/v1/figures"
expect_eq "GET /api/v1/figures without login gets 401" "401" "$CODE"
expect_eq "the 401 is the JSON error unauthenticated" "unauthenticated" "$(jq -r .code "$WORK/anon.b" 2>&1)"
request "$WORK/badtoken" -H "Authorization: Bearer not-a-real-token" "$BASE/api/v1/figures"
expect_eq "a made-up bearer token gets 401" "401" "$CODE"
request "$WORK/anonpost" -X POST -H "$JSON_CT" -d '{"series":"tea_area_ha","unit_id":1,"year":2025,"value":1}' "$BASE/api/v1/figures"
expect_eq "POST /api/v1/figures without login gets 401" "401" "$CODE"

# Unknown routes, methods and ids.
request "$WORK/nf" "$BASE/api/v1/no-such-thing"
expect_eq "an unknown /api route gets 404" "404" "$CODE"
expect_match "the 404 is JSON" "^application/json" "$(header Content-Type "$WORK/nf.h")"
expect_eq "the 404 has code not_found" "not_found" "$(jq -r .code "$WORK/nf.b" 2>&1)"
request "$WORK/nf2" -H "$AUTH" "$BASE/api/v2/figures"
expect_eq "an unknown API version gets 404 JSON" "404 not_found" "$CODE $(jq -r .code "$WORK/nf2.b" 2>&1)"
request "$WORK/method" -X DELETE "$BASE/api/health"
expect_eq "a wrong method on a known route gets 405" "405" "$CODE"
request "$WORK/nonnum" -H "$AUTH" "$BASE/api/v1/figures/abc"
expect_match "a non-numeric id gets 400 or 404" "^(400|404)$" "$CODE"
request "$WORK/missing" -H "$AUTH" "$BASE/api/v1/figures/999999"
expect_eq "a figure that does not exist gets 404" "404" "$CODE"

# Request ids and security headers.
request "$WORK/health" "$BASE/api/health"
expect_eq "GET /api/health is 200" "200" "$CODE"
expect_eq "GET /api/health says ok" "ok" "$(jq -r .status "$WORK/health.b" 2>&1)"
expect_eq "X-Content-Type-Options: nosniff on API responses" "nosniff" "$(header X-Content-Type-Options "$WORK/health.h")"
rid=$(header X-Request-Id "$WORK/health.h")
expect_match "X-Request-Id on API responses" "^[A-Za-z0-9_-]{6,}$" "$rid"
rid2=$(header X-Request-Id "$WORK/nf.h")
expect_eq "the error body's request_id is the X-Request-Id header" "$rid2" "$(jq -r .request_id "$WORK/nf.b" 2>&1)"
request "$WORK/health2" "$BASE/api/health"
expect_no_match "each response has its own request id" "^$rid$" "$(header X-Request-Id "$WORK/health2.h")"
expect_match "X-Request-Id on error responses (413)" "." "$(header X-Request-Id "$WORK/big.h")"
expect_eq "X-Content-Type-Options on error responses (401)" "nosniff" "$(header X-Content-Type-Options "$WORK/anon.h")"

# The UI at /.
request "$WORK/root" "$BASE/"
ct=$(header Content-Type "$WORK/root.h")
if [[ $CODE == 200 ]]; then
  expect_match "GET / is HTML" "^text/html" "$ct"
  expect_match "GET / is an HTML page" "<html" "$(tr '[:upper:]' '[:lower:]' <"$WORK/root.b")"
  expect_match "GET / has a Content-Security-Policy" "default-src" "$(header Content-Security-Policy "$WORK/root.h")"
elif [[ $CODE == 503 ]]; then
  expect_match "GET / without a built UI is 503 text" "^text/plain" "$ct"
else
  fail "GET / is 200 HTML (or 503 text when the UI is not built)" "got HTTP $CODE, $ct"
fi
expect_eq "X-Content-Type-Options on the UI" "nosniff" "$(header X-Content-Type-Options "$WORK/root.h")"
if [[ $CODE == 200 ]]; then
  # The embedded UI, precompressed: negotiated, with its length, its tag and 304.
  request "$WORK/rootbr" -H 'Accept-Encoding: br, gzip' "$BASE/"
  expect_eq "GET / with Accept-Encoding: br is sent brotli-compressed" "br" "$(header Content-Encoding "$WORK/rootbr.h")"
  expect_eq "Vary: Accept-Encoding" "Accept-Encoding" "$(header Vary "$WORK/rootbr.h")"
  expect_eq "Content-Length is the compressed length" "$(stat -c %s "$WORK/rootbr.b")" "$(header Content-Length "$WORK/rootbr.h")"
  expect_eq "the brotli body decodes to the page" "$(cat "$WORK/root.b")" "$(brotli -dc "$WORK/rootbr.b" 2>&1)"
  request "$WORK/rootgz" -H 'Accept-Encoding: gzip' "$BASE/"
  expect_eq "the gzip body decodes to the page" "$(cat "$WORK/root.b")" "$(gzip -dc "$WORK/rootgz.b" 2>&1)"
  request "$WORK/roothead" -I -H 'Accept-Encoding: gzip' "$BASE/"
  expect_eq "HEAD gives the Content-Length of the GET" "$(header Content-Length "$WORK/rootgz.h")" \
    "$(header Content-Length "$WORK/roothead.h")"
  etag=$(header ETag "$WORK/rootbr.h")
  request "$WORK/root304" -H 'Accept-Encoding: br' -H "If-None-Match: $etag" "$BASE/"
  expect_eq "If-None-Match with the ETag gets 304" "304" "$CODE"
  expect_eq "the 304 has no Content-Length" "" "$(header Content-Length "$WORK/root304.h")"
fi
expect_match "X-Frame-Options on the UI" "^(DENY|SAMEORIGIN)$" "$(header X-Frame-Options "$WORK/root.h")"

# The OpenAPI document.
request "$WORK/openapi" "$BASE/api/openapi.json"
expect_eq "GET /api/openapi.json is 200" "200" "$CODE"
expect_match "the OpenAPI document is version 3" "^3\." "$(jq -r .openapi "$WORK/openapi.b" 2>&1)"
npaths=$(jq '.paths | length' "$WORK/openapi.b" 2>&1)
expect_match "the OpenAPI document has paths" "^[1-9][0-9]*$" "$npaths"
# Outside /api/ only the paths a standard names (the EPCIS 2.0 REST binding and a lot's GS1
# Digital Link) and the public portal's page /cong-khai (docs/portal.md).
expect_eq "every OpenAPI path starts with /api/, /epcis/ or /01/, or is /cong-khai" "" "$(jq -r '.paths | keys[] | select((startswith("/api/") or startswith("/epcis/") or startswith("/01/") or . == "/cong-khai") | not)' "$WORK/openapi.b" 2>&1)"
expect_eq "the OpenAPI document lists POST /api/v1/figures" "true" \
  "$(jq '.paths["/api/v1/figures"].post != null' "$WORK/openapi.b" 2>&1)"

# Garbage on the wire. raw_exchange BYTES: sends BYTES on a fresh connection, prints
# what comes back (at most 3 s).
raw_exchange() {
  local port=${BASE##*:}
  (
    exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
    printf '%b' "$1" >&3
    timeout 3 cat <&3
  ) 2>/dev/null
}
reply=$(raw_exchange 'GARBAGE\r\n\r\n')
expect_match "a garbage request line gets 400 (or the connection closed)" "^(HTTP/1\.1 400|$)" "$reply"
expect_eq "the server still answers /api/health after a garbage request line" "200" \
  "$(curl -s -o /dev/null --max-time 5 -w '%{http_code}' "$BASE/api/health")"
raw_exchange 'GET /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: banana\r\n\r\n' >/dev/null
raw_pids=()
raw_exchange 'POST /api/v1/figures HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"half' >/dev/null &
raw_pids+=($!)
raw_exchange "GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: $(head -c 100000 /dev/zero | tr '\0' 'a')\r\n\r\n" >/dev/null
raw_exchange '\x00\x01\x02\xff\xfe\r\n\r\n' >/dev/null
for ((i = 0; i < 20; i++)); do
  raw_exchange 'GARBAGE\r\n\r\n' >/dev/null &
  raw_pids+=($!)
done
wait "${raw_pids[@]}"  # not a bare `wait`: the server is a background job too
expect_eq "the server still answers /api/health after bad lengths, half requests, huge headers, binary noise" "200" \
  "$(curl -s -o /dev/null --max-time 5 -w '%{http_code}' "$BASE/api/health")"
check "the server process is still running" kill -0 "$SERVER_PID"

# --web-root: no request path leaves the root or reaches a dot-file or the database,
# however it is written (curl --path-as-is sends it as given).
stop_server
mkdir -p "$WORK/dist/assets" "$WORK/private"
echo '<html>web root app</html>' >"$WORK/dist/index.html"
echo 'SECRET_DOTFILE' >"$WORK/dist/.env"
echo 'SECRET_OUTSIDE' >"$WORK/private/secret.txt"
ln -s "$WORK/private/secret.txt" "$WORK/dist/assets/link.txt"
cp "$DB" "$WORK/dist/served.gpkg"
start_server "$WORK/dist/served.gpkg" --web-root "$WORK/dist"
for target in //etc/passwd /%2fetc%2fpasswd "/$WORK/private/secret.txt" "/${WORK//\//%2f}%2fprivate%2fsecret.txt" \
  /../private/secret.txt /%2e%2e/private/secret.txt /assets/..%2f..%2fprivate%2fsecret.txt /assets/link.txt \
  /.env /served.gpkg /served.gpkg-wal; do
  request "$WORK/wr" --path-as-is "$BASE$target"
  expect_no_match "GET $target with --web-root gives neither a file outside the root, a dot-file nor the database" \
    "SECRET|^root:|SQLite format" "$(head -c 200 "$WORK/wr.b" | tr -d '\0')"
done
request "$WORK/wr" --path-as-is "$BASE/../private/secret.txt"
expect_eq "a path with .. is refused with 404" "404" "$CODE"
request "$WORK/wr" "$BASE/some/client/route"
expect_match "other paths still get the app's index.html" "web root app" "$(cat "$WORK/wr.b")"

finish
