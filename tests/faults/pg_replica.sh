#!/usr/bin/env bash
# Read routing to a streaming replica, and a primary restarted under a running
# process: starts a throw-away primary and its streaming replica on free loopback
# ports (scripts/pg-test-cluster.sh start / replica), runs the PgReplica* tests of
# storage_tests against them, and removes both clusters.
#
# usage: bash tests/faults/pg_replica.sh <storage_tests-binary> <repo-root>
set -u
tests=$1
repo=$(realpath "${2:-$(dirname "$0")/../..}")
script="$repo/scripts/pg-test-cluster.sh"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
primary=$(free_port)
replica=$(free_port)
while [[ $replica == "$primary" ]]; do replica=$(free_port); done
cleanup() {
  "$script" stop "$replica" >/dev/null 2>&1
  "$script" stop "$primary" >/dev/null 2>&1
}
trap cleanup EXIT
"$script" start "$primary" || exit 1
"$script" replica "$primary" "$replica" || exit 1
NONGSAN_TEST_PG_URL="postgresql://nongsan@127.0.0.1:$primary/nongsan_test" \
  NONGSAN_TEST_PG_REPLICA_URL="postgresql://nongsan@127.0.0.1:$replica/nongsan_test" \
  NONGSAN_TEST_PG_PRIMARY_PORT=$primary NONGSAN_TEST_PG_REPLICA_PORT=$replica \
  NONGSAN_TEST_PG_CLUSTER_SCRIPT=$script \
  "$tests" --gtest_filter='PgReplica*'
