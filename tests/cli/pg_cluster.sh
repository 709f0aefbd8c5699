#!/usr/bin/env bash
# The throw-away PostgreSQL cluster of the test suite starts from a checkout that
# sits in a folder only root may enter (a clone in /root, mode 0700): the server
# runs as the `postgres` user, who cannot enter such a folder, so the cluster must
# live elsewhere. Run as root only (as CI is); otherwise there is nothing to prove.
source "$(dirname "$0")/lib/common.bash"

if [[ $(id -u) -ne 0 ]]; then
  pass "skipped: not run as root, the postgres user plays no part"
  finish
fi
command -v runuser >/dev/null || abort "runuser is available"

# A private copy of the script inside a 0700 folder, run from there, as a clone in
# /root would be.
closed=$(mktemp -d /tmp/nongsan-closed.XXXXXX)
chmod 700 "$closed"
mkdir -p "$closed/clone/scripts"
cp "$REPO/scripts/pg-test-cluster.sh" "$closed/clone/scripts/"
runuser -u postgres -- test -x "$closed"
expect_eq "postgres cannot enter the closed folder (exit status of test -x)" 1 $?

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
script="$closed/clone/scripts/pg-test-cluster.sh"
dir=$("$script" dir "$port")
check "the cluster folder is outside the closed folder" test "${dir#"$closed"}" = "$dir"

stop_cluster() { (cd "$closed/clone" && "$script" stop "$port" >/dev/null 2>&1) || true; rm -rf "$closed"; }
trap 'stop_cluster; cleanup' EXIT

( cd "$closed/clone" && "$script" start "$port" ) >"$WORK/start.log" 2>&1
status=$?
check "the cluster starts from a checkout in a 0700 folder" test $status -eq 0
[[ $status -eq 0 ]] || cat "$WORK/start.log"
answer=$(psql -X -tA "postgresql://nongsan@127.0.0.1:$port/nongsan_test" -c "SELECT postgis_lib_version() IS NOT NULL" 2>&1)
expect_eq "PostGIS answers in the test database" "t" "$answer"

# Started twice: the running cluster is reused.
( cd "$closed/clone" && "$script" start "$port" ) >"$WORK/again.log" 2>&1
check "a second start reuses the running cluster" grep -q "reusing" "$WORK/again.log"

( cd "$closed/clone" && "$script" stop "$port" ) >/dev/null 2>&1
check "stop removes the cluster folder" test ! -e "$dir"

# A folder of that name made by someone else is never adopted.
mkdir -m 755 "$dir" && chown nobody "$dir"
( cd "$closed/clone" && "$script" start "$port" ) >"$WORK/foreign.log" 2>&1
check "a foreign folder with the cluster's name is refused" test $? -ne 0
check "the refusal names the folder" grep -q "belongs to nobody" "$WORK/foreign.log"
rm -rf "$dir"

finish
