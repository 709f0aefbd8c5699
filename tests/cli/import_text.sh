# Officials' files as they come: tables in the legacy Vietnamese encodings (TCVN3,
# VNI, Windows-1258) and Latin-1, detected or named with --encoding on every import
# command; text that reads as nothing, column names with invisible characters and
# files over the import.* limits refused with the line and column, storing nothing.
#
# usage: bash tests/cli/import_text.sh <nongsan-binary> <repo-root>
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
need_tools sqlite3

DB="$WORK/t.gpkg"
header='code,name_vi,start,end,baseline_year'
name_of() { sqlite3 "$DB" "SELECT name_vi FROM programme WHERE code = '$1'"; }

# "Chương trình chè Shan tuyết" from each chart (bytes written by hand).
printf '%s\nP_TCVN,Ch\xad\xacng tr\xd7nh ch\xcc Shan tuy\xd5t,2021-01-01,2025-12-31,2020\n' "$header" >"$WORK/tcvn3.csv"
printf '%s\nP_VNI,Ch\xf6\xf4ng tr\xecnh che\xf8 Shan tuye\xe1t,2021-01-01,2025-12-31,2020\n' "$header" >"$WORK/vni.csv"
printf '%s\nP_1258,Ch\xfd\xf5ng tri\xccnh ch\xe8 Shan tuy\xea\xect,2021-01-01,2025-12-31,2020\n' "$header" >"$WORK/cp1258.csv"
for f in tcvn3 vni cp1258; do
  out=$("$NONGSAN" --db "$DB" import programmes "$WORK/$f.csv" 2>&1)
  expect_match "$f.csv imports" "programmes: created 1" "$out"
done
expect_eq "TCVN3 stored as UTF-8" "Chương trình chè Shan tuyết" "$(name_of P_TCVN)"
expect_eq "VNI stored as UTF-8" "Chương trình chè Shan tuyết" "$(name_of P_VNI)"
expect_eq "Windows-1258 stored as UTF-8 (NFC)" "Chương trình chè Shan tuyết" "$(name_of P_1258)"

# Latin-1 that VNI reads the same way: --encoding decides.
printf '%s\nP_L1,B\xecnh Ch\xe2u,2021-01-01,2025-12-31,2020\n' "$header" >"$WORK/latin1.csv"
out=$("$NONGSAN" --db "$DB" import programmes --encoding latin-1 "$WORK/latin1.csv" 2>&1)
expect_match "--encoding latin-1 imports" "created 1" "$out"
expect_eq "Latin-1 stored as UTF-8" "Bình Châu" "$(name_of P_L1)"
out=$("$NONGSAN" --db "$DB" import programmes --encoding koi8-r "$WORK/latin1.csv" 2>&1)
expect_fails "an unknown --encoding is refused" $?
expect_match "… naming the option" "--encoding: must be one of" "$out"

# Bytes that read as nothing: the line and column of the first, nothing stored.
printf '%s\nP_BAD,a\xff\x01\x9d\xfe,2021-01-01,2025-12-31,2020\n' "$header" >"$WORK/junk.csv"
out=$("$NONGSAN" --db "$DB" import programmes "$WORK/junk.csv" 2>&1)
expect_fails "undecodable text is refused" $?
expect_match "… at line 2, column 8" "line 2, column 8: byte 0xFF is not valid UTF-8" "$out"
expect_eq "… and nothing is stored" "" "$(name_of P_BAD)"

# A zero-width space in a column name is named; a BOM and a trailing CR are not problems.
printf '\xef\xbb\xbfcode,name\xe2\x80\x8b_vi,start,end,baseline_year\r\nP_Z,Z,2021-01-01,2025-12-31,2020\r\n' >"$WORK/zwsp.csv"
out=$("$NONGSAN" --db "$DB" import programmes "$WORK/zwsp.csv" 2>&1)
expect_fails "an invisible character in the header is refused" $?
expect_match "… and named" "column 'name_vi' contains an invisible character U\+200B \(zero-width space\)" "$out"
printf '\xef\xbb\xbf%s\r\nP_BOM,Có BOM,2021-01-01,2025-12-31,2020\r\n' "$header" >"$WORK/bom.csv"
out=$("$NONGSAN" --db "$DB" import programmes "$WORK/bom.csv" 2>&1)
expect_match "a BOM and CRLF line ends import" "created 1" "$out"

# Limits from the settings.
out=$(NONGSAN_IMPORT_MAX_COLUMN_NAME_BYTES=8 "$NONGSAN" --db "$DB" import programmes "$WORK/bom.csv" 2>&1)
expect_fails "a column name over import.max_column_name_bytes is refused" $?
expect_match "… naming line and column" "line 1, column 5: the column name \('baseline_year'\) is 13 bytes long" "$out"

# The users import reads its CSV the same way.
printf 'username,display_name,role\nhuong,Nguy\xd4n Th\xde H\xad\xacng,province_officer\n' >"$WORK/users.csv"
out=$("$NONGSAN" --db "$DB" import users "$WORK/users.csv" 2>&1)
expect_match "users import from TCVN3" "huong," "$out"
expect_eq "… the display name in UTF-8" "Nguyễn Thị Hương" \
  "$(sqlite3 "$DB" "SELECT display_name FROM app_user WHERE username = 'huong'")"

finish
