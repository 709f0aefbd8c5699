#!/usr/bin/env bash
# Error messages of the command line in the officer's language: Vietnamese by
# default, English by --lang en, NONGSAN_LANG=en or an English locale; the line and
# column of a bad file kept (as "dòng N, cột X").
#
# usage: bash tests/cli/messages_cli.sh <nongsan-binary> <repo-root>
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash" "$@"
unset NONGSAN_LANG  # common.bash asks for English; this test chooses each time

DB="$WORK/m.gpkg"
"$NONGSAN" migrate --db "$DB" >/dev/null 2>&1 || abort "nongsan migrate creates a database"

# A config file that cannot be read: one message and one field.
out=$(LANG=C.UTF-8 LC_ALL= "$NONGSAN" config --config "$WORK/none.conf" 2>&1)
expect_fails "a missing config file is an error" $?
expect_eq "Vietnamese by default (locale C.UTF-8)" \
  "lỗi: không đọc được tệp cấu hình
  config: không mở được $WORK/none.conf" "$out"
out=$("$NONGSAN" config --lang en --config "$WORK/none.conf" 2>&1)
expect_eq "English with --lang en" "error: cannot read the config file
  config: $WORK/none.conf cannot be opened" "$out"
out=$(NONGSAN_LANG=en "$NONGSAN" config --config "$WORK/none.conf" 2>&1)
expect_match "English with NONGSAN_LANG=en" "^error: cannot read the config file" "$out"
out=$(LANG=en_US.UTF-8 LC_ALL= "$NONGSAN" config --config "$WORK/none.conf" 2>&1)
expect_match "English with an English locale" "^error: cannot read the config file" "$out"
out=$(LANG=en_US.UTF-8 NONGSAN_LANG=vi "$NONGSAN" config --config "$WORK/none.conf" 2>&1)
expect_match "NONGSAN_LANG=vi wins over the locale" "^lỗi: không đọc được tệp cấu hình" "$out"
out=$(NONGSAN_LANG=en "$NONGSAN" config --lang vi --config "$WORK/none.conf" 2>&1)
expect_match "--lang wins over NONGSAN_LANG" "^lỗi: không đọc được tệp cấu hình" "$out"

# A file with bad lines: every problem with its line and column, nothing stored.
printf 'code,name_vi,start,end,baseline_year\nP1,Chương trình thử,2021-01-01,abc,2020\nP2,Chương trình hai,2021-01-01,2025-12-31,năm\n' \
  >"$WORK/programmes.csv"
out=$("$NONGSAN" import programmes "$WORK/programmes.csv" --db "$DB" 2>&1)
expect_fails "a programmes file with bad lines is refused" $?
expect_match "the line and column of the bad date, in Vietnamese" \
  "dòng 2, cột end: 'abc' không phải là ngày \(YYYY-MM-DD hoặc dd/mm/yyyy\)" "$out"
expect_match "the line and column of the bad year, in Vietnamese" "dòng 3, cột baseline_year: 'năm' không phải là số" "$out"
expect_match "the summary in Vietnamese" "^lỗi: .*programmes.csv: 2 lỗi; không có gì được lưu" "$out"
expect_eq "nothing was stored" "0" "$(sqlite3 "$DB" 'SELECT count(*) FROM programme' 2>&1)"
out=$("$NONGSAN" import programmes "$WORK/programmes.csv" --db "$DB" --lang en 2>&1)
expect_match "the same in English" "line 2, column end: 'abc' is not a date" "$out"

finish
