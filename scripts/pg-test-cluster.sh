#!/usr/bin/env bash
# A throw-away PostgreSQL 15 + PostGIS cluster for the test suite.
#
#   pg-test-cluster.sh start PORT   create (if needed) and start the cluster
#   pg-test-cluster.sh stop  PORT   stop it and remove its folder
#   pg-test-cluster.sh dir   PORT   print the cluster's folder
#   pg-test-cluster.sh replica PRIMARY_PORT PORT
#                                   a streaming replica of the running cluster on
#                                   PRIMARY_PORT (pg_basebackup -R over 127.0.0.1), on PORT
#   pg-test-cluster.sh halt    PORT   stop the server, keep its folder
#   pg-test-cluster.sh resume  PORT   start a halted server again
#   pg-test-cluster.sh restart PORT   pg_ctl restart -m fast (clients are disconnected)
#
# The cluster lives in its own folder, ROOT/nongsan-pg-test-PORT, where ROOT is
# $NONGSAN_PG_TEST_ROOT or /tmp. It is never placed inside the caller's tree: a
# checkout may sit in a folder only root can enter (/root is 0700), and the server
# runs as the `postgres` user, who must be able to enter every parent of its data
# folder. /tmp (mode 1777) is always enterable. The cluster listens on
# 127.0.0.1:PORT only, keeps its socket in its folder and trusts every loopback
# connection. It holds the superuser role `nongsan` and the database
# `nongsan_test` with PostGIS.
#
# `start` is idempotent: a healthy cluster already running from its folder is reused; a
# stale one (a crashed run left its files, or it does not answer) is stopped,
# removed and created afresh. PostgreSQL refuses to run as root, so when run as
# root (as CI does) the server runs as the `postgres` user, which owns the folder.
set -euo pipefail

usage() {
  echo "usage: $0 start|stop|dir|halt|resume|restart PORT, or $0 replica PRIMARY_PORT PORT" >&2
  exit 2
}
[[ $# -ge 2 ]] || usage
action=$1
primary_port=""
if [[ $action == replica ]]; then
  [[ $# -eq 3 ]] || usage
  primary_port=$2
  port=$3
  [[ $primary_port =~ ^[0-9]+$ ]] || usage
else
  [[ $# -eq 2 ]] || usage
  port=$2
fi
[[ $port =~ ^[0-9]+$ ]] || usage
root=${NONGSAN_PG_TEST_ROOT:-/tmp}
[[ $root == /* ]] || { echo "pg-test-cluster: NONGSAN_PG_TEST_ROOT must be an absolute path" >&2; exit 2; }
dir=${root%/}/nongsan-pg-test-$port
if [[ $action == dir ]]; then
  echo "$dir"
  exit 0
fi

pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
[[ -x $pg_bin/initdb ]] || pg_bin=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
if [[ ! -x $pg_bin/initdb ]]; then
  echo "pg-test-cluster: PostgreSQL 15 binaries not found (install postgresql-15)" >&2
  exit 1
fi

cd /  # the postgres user may not be allowed into the caller's working directory
data=$dir/data
log=$dir/server.log
role=nongsan
database=nongsan_test

# Run a command as the cluster owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

superuser=$( [[ $(id -u) -eq 0 ]] && echo postgres || id -un)

psql_admin() {
  as_owner "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$superuser" "$@"
}

is_running() {
  [[ -f $data/PG_VERSION ]] && as_owner "$pg_bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

is_healthy() {
  is_running && as_owner "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 5 &&
    psql_admin -d postgres -tA -c "SELECT 1" >/dev/null 2>&1
}

stop_and_remove() {
  if [[ -f $data/PG_VERSION ]]; then
    # Immediate shutdown: the data is thrown away anyway.
    as_owner "$pg_bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

create_and_start() {
  # The folder's name is predictable: make it afresh, never adopt one someone else made.
  if ! mkdir -m 700 "$dir"; then
    echo "pg-test-cluster: cannot create $dir" >&2
    exit 1
  fi
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres:postgres "$dir"
    # The postgres user must be able to reach the folder; /tmp always is, a
    # NONGSAN_PG_TEST_ROOT may not be.
    if ! runuser -u postgres -- test -x "$dir"; then
      echo "pg-test-cluster: user postgres cannot enter $dir (choose a NONGSAN_PG_TEST_ROOT that every user may enter, such as /tmp)" >&2
      exit 1
    fi
  fi
  chmod 700 "$dir"
  as_owner "$pg_bin/initdb" -D "$data" -U "$superuser" --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync \
    >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
  }
  # A test cluster: durability is not wanted, speed is.
  cat >>"$data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
  if ! as_owner "$pg_bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null; then
    echo "pg-test-cluster: server did not start; log follows" >&2
    cat "$log" >&2 || true
    exit 1
  fi
}

ensure_role_and_database() {
  psql_admin -d postgres <<EOF
SELECT 'CREATE ROLE $role SUPERUSER LOGIN'
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$role') \gexec
SELECT 'CREATE DATABASE $database OWNER $role ENCODING ''UTF8'' TEMPLATE template0'
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$database') \gexec
EOF
  psql_admin -d "$database" -c "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS postgis"
  psql_admin -d "$database" -tA -c "SELECT 1 FROM pg_extension WHERE extname = 'postgis'" | grep -q 1 || {
    echo "pg-test-cluster: PostGIS is not available (install postgresql-15-postgis-3)" >&2
    exit 1
  }
}

# The streaming replica: a base backup of the primary with -R (standby.signal and
# primary_conninfo written for us), then its own port and socket folder. The primary
# (initdb's defaults: wal_level = replica, max_wal_senders = 10) accepts replication
# connections from 127.0.0.1 through the entry added here.
create_replica() {
  local primary_dir=${root%/}/nongsan-pg-test-$primary_port
  [[ -f $primary_dir/data/PG_VERSION ]] || { echo "pg-test-cluster: no cluster on port $primary_port to replicate" >&2; exit 1; }
  if ! grep -q '^host replication all 127.0.0.1/32' "$primary_dir/data/pg_hba.conf"; then
    echo "host replication all 127.0.0.1/32 trust" | as_owner tee -a "$primary_dir/data/pg_hba.conf" >/dev/null
    as_owner "$pg_bin/pg_ctl" -D "$primary_dir/data" reload >/dev/null
  fi
  mkdir -m 700 "$dir" || { echo "pg-test-cluster: cannot create $dir" >&2; exit 1; }
  [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$dir"
  as_owner "$pg_bin/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U "$superuser" -D "$data" -R -X stream \
    --checkpoint=fast >"$dir/basebackup.log" 2>&1 || {
    cat "$dir/basebackup.log" >&2
    exit 1
  }
  printf "port = %s\nunix_socket_directories = '%s'\nhot_standby = on\n" "$port" "$dir" |
    as_owner tee -a "$data/postgresql.conf" >/dev/null
  if ! as_owner "$pg_bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null; then
    echo "pg-test-cluster: replica did not start; log follows" >&2
    cat "$log" >&2 || true
    exit 1
  fi
}

case $action in
  replica)
    if [[ -e $dir || -L $dir ]]; then
      echo "pg-test-cluster: $dir exists; stop it first" >&2
      exit 1
    fi
    create_replica
    echo "pg-test-cluster: streaming replica of 127.0.0.1:$primary_port on 127.0.0.1:$port (data in $data)"
    ;;
  halt)
    as_owner "$pg_bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    echo "pg-test-cluster: halted the server in $dir"
    ;;
  resume)
    as_owner "$pg_bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null
    echo "pg-test-cluster: resumed the server in $dir"
    ;;
  restart)
    as_owner "$pg_bin/pg_ctl" -D "$data" -l "$log" -m fast -w -t 60 restart >/dev/null
    echo "pg-test-cluster: restarted the server in $dir"
    ;;
  start)
    if is_healthy; then
      ensure_role_and_database
      echo "pg-test-cluster: reusing the cluster running in $dir on 127.0.0.1:$port"
      exit 0
    fi
    if [[ -e $dir || -L $dir ]]; then
      owner=$(stat -c %U "$dir")
      if [[ -L $dir || ( $owner != "$(id -un)" && $owner != postgres ) ]]; then
        echo "pg-test-cluster: $dir exists and belongs to $owner; remove it or choose another port" >&2
        exit 1
      fi
      echo "pg-test-cluster: removing a stale cluster in $dir"
      stop_and_remove
    fi
    if as_owner "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 1; then
      echo "pg-test-cluster: another server already listens on 127.0.0.1:$port" >&2
      exit 1
    fi
    create_and_start
    ensure_role_and_database
    echo "pg-test-cluster: PostgreSQL $("$pg_bin/postgres" -V | awk '{print $3}') with PostGIS on 127.0.0.1:$port (data in $data)"
    ;;
  stop)
    stop_and_remove
    echo "pg-test-cluster: stopped and removed $dir"
    ;;
  *)
    usage
    ;;
esac
