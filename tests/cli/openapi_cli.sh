#!/usr/bin/env bash
# `nongsan openapi`: the OpenAPI document without a database (the same as GET
# /api/openapi.json), the route tables of docs/api.md, and --update, which rewrites the
# tables of a stale copy in place and leaves an up-to-date file as it is.
#
# usage: bash tests/cli/openapi_cli.sh <nongsan-binary> <repo-root>
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
ROOT="$2"

out=$("$NONGSAN" openapi 2>&1)
expect_eq "openapi prints the document (exit status)" 0 "$?"
expect_eq "it is OpenAPI 3.0.3 with typed answers" "3.0.3 ParcelSaved" \
  "$(printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["openapi"], d["paths"]["/api/v1/parcels"]["post"]["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1])')"

out=$("$NONGSAN" openapi --format markdown 2>&1)
expect_eq "openapi --format markdown prints the route tables (exit status)" 0 "$?"
expect_match "a table per tag, with its markers" "<!-- routes: support -->" "$out"
expect_match "and the schemas' table" "<!-- schemas -->" "$out"
expect_match "each route with its permission and answer" "\| GET \| /api/v1/support/budget \| support.read \|" "$out"

cp "$ROOT/docs/api.md" "$WORK/api.md"
out=$("$NONGSAN" openapi --format markdown --update "$WORK/api.md" 2>&1)
expect_eq "--update on the repository's docs/api.md (exit status)" 0 "$?"
expect_eq "docs/api.md is up to date" "$WORK/api.md: the route tables are up to date" "$out"

sed 's#^| GET | /api/v1/jobs | .*#| GET | /api/v1/jobs | stale |#' "$ROOT/docs/api.md" >"$WORK/stale.md"
out=$("$NONGSAN" openapi --format markdown --update "$WORK/stale.md" 2>&1)
expect_eq "--update rewrites a stale table (exit status)" 0 "$?"
expect_eq "the stale copy is the repository's file again" "" "$(diff "$WORK/stale.md" "$ROOT/docs/api.md")"

printf '# API\n<!-- schemas -->\n<!-- /schemas -->\n<!-- routes: nosuch -->\n<!-- /routes -->\n' >"$WORK/bad.md"
out=$("$NONGSAN" openapi --format markdown --update "$WORK/bad.md" --lang en 2>&1)
expect_fails "a marker naming no routes is refused" $?
expect_match "the error names the tag" "no route has the tag 'nosuch'" "$out"
expect_eq "the refused file is left as it was" \
  "$(printf '# API\n<!-- schemas -->\n<!-- /schemas -->\n<!-- routes: nosuch -->\n<!-- /routes -->')" "$(cat "$WORK/bad.md")"

finish
